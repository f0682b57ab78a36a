"""Conversations and their messages in the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.db import utcnow
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.models import Conversation, Message
from chatbot.pending import mark_pending


@dataclass(frozen=True)
class Accepted:
    """A customer message safely stored; what the channel acknowledges."""

    message_id: int
    conversation_id: str
    received_at: datetime
    is_first: bool
    duplicate: bool = False


def to_outbound(m: Message) -> OutboundMessage:
    return OutboundMessage(
        id=m.id, conversation_id=m.conversation_id, author=m.author, kind=m.kind, text=m.text,
        lang=m.lang or "en", created_at=m.created_at, ticket=(m.meta or {}).get("ticket"),
    )


class ConversationStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def accept(self, inbound: InboundMessage) -> Accepted:
        """Store the customer's message in one transaction (creating the conversation if new)."""
        async with self.sessions() as s:
            async with s.begin():
                conv = await s.get(Conversation, inbound.conversation_id)
                if conv is None:
                    conv = Conversation(id=inbound.conversation_id, channel=inbound.channel,
                                        contact=inbound.sender.address, state={})
                    s.add(conv)
                    await s.flush()
                if inbound.client_id:
                    dup = await s.scalar(select(Message).where(
                        Message.conversation_id == conv.id, Message.client_id == inbound.client_id))
                    if dup is not None:
                        return Accepted(dup.id, conv.id, dup.created_at, False, duplicate=True)
                earlier = await s.scalar(select(func.count()).select_from(Message).where(
                    Message.conversation_id == conv.id, Message.author == "customer"))
                msg = Message(conversation_id=conv.id, author="customer", kind="text", text=inbound.text,
                              lang=None, client_id=inbound.client_id, created_at=inbound.received_at,
                              meta={"subject": inbound.subject} if inbound.subject else {})
                s.add(msg)
                await s.flush()
                mark_pending(s, msg)  # the turn is owed until its last commit (chatbot/recovery.py)
            return Accepted(msg.id, conv.id, msg.created_at, is_first=earlier == 0)

    async def exists(self, conversation_id: str) -> bool:
        async with self.sessions() as s:
            return await s.get(Conversation, conversation_id) is not None

    async def history(self, conversation_id: str, limit: int = 500) -> list[dict[str, object]]:
        async with self.sessions() as s:
            rows = (await s.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id).limit(limit))).all()
        return [
            {"id": m.id, "conversation_id": m.conversation_id, "author": m.author, "kind": m.kind,
             "text": m.text, "lang": m.lang, "created_at": m.created_at.isoformat()}
            for m in rows
        ]

    @staticmethod
    async def add_reply(session: AsyncSession, conversation_id: str, author: str, kind: str, text: str,
                        lang: str, ticket: dict[str, object] | None = None) -> OutboundMessage:
        msg = Message(conversation_id=conversation_id, author=author, kind=kind, text=text, lang=lang,
                      created_at=utcnow(), meta={"ticket": ticket} if ticket else {})
        session.add(msg)
        await session.flush()
        return to_outbound(msg)
