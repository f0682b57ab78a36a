"""What an agent does with a conversation: take it, write in it, hand it back to the bot, turn it
into a ticket for another team, close it. Each returns what the visitor must be shown; the agent
channel emits it (to the visitor's chat room and to the consoles watching).

Taking is one conditional UPDATE (``status`` still waiting or with the bot): when two agents click
at once, the database lets exactly one row change, and the other is told who has it.
"""
from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.agents.auth import AgentIdentity
from chatbot.agents.models import Agent, Handoff
from chatbot.agents.tickets import TicketMaker
from chatbot.conversations import to_outbound
from chatbot.db import utcnow
from chatbot.handoff import open_handoff
from chatbot.i18n import N_, gettext
from chatbot.messages import OutboundMessage
from chatbot.models import Conversation, Message

JOINED = N_("{name} from the INTROSERV support team has joined the conversation.")
HANDED_BACK = N_("{name} has handed the conversation back to the assistant. Write here if you need anything else.")
CLOSED = N_("{name} has closed the conversation. Thank you for contacting INTROSERV support!")
TAKEABLE = ("waiting", "bot", "closed")


class TakeoverError(Exception):
    """An action the agent may not do now; ``code`` is the error the console shows."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Done:
    conversation_id: str
    messages: list[OutboundMessage] = field(default_factory=list)  # for the visitor, in their language
    ticket: dict[str, Any] | None = None  # the chat's `ticket` event, when one was opened or moved
    agent_name: str | None = None  # who wrote, when an agent wrote


LockFor = Callable[[str], asyncio.Lock]


class Takeover:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], tickets: TicketMaker, *,
                 first_response: timedelta, lock: LockFor | None = None, max_chars: int = 4000,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.sessions = sessions
        self.tickets = tickets
        self.first_response = first_response
        self._lock = lock
        self.max_chars = max_chars
        self.clock = clock

    @contextlib.asynccontextmanager
    async def _turn(self, conversation_id: str) -> AsyncIterator[AsyncSession]:
        """One transaction, ordered with the bot's turns of this conversation in this process."""
        lock = self._lock(conversation_id) if self._lock else contextlib.nullcontext()
        async with lock, self.sessions() as s, s.begin():
            yield s

    async def _holder_name(self, s: AsyncSession, h: Handoff | None) -> str | None:
        return None if h is None or h.agent_id is None else await s.scalar(
            select(Agent.name).where(Agent.id == h.agent_id))

    async def take(self, agent: AgentIdentity, conversation_id: str) -> Done:
        async with self._turn(conversation_id) as s:
            now = self.clock()
            won = await s.execute(update(Conversation).where(
                Conversation.id == conversation_id, Conversation.status.in_(TAKEABLE),
                Conversation.channel == "chat")  # an email thread cannot be joined live
                .values(status="agent", updated_at=now).execution_options(synchronize_session=False))
            h = await open_handoff(s, conversation_id)
            if won.rowcount != 1:  # type: ignore[attr-defined]
                if await s.get(Conversation, conversation_id) is None:
                    raise TakeoverError("not_found")
                raise TakeoverError("already_taken", name=await self._holder_name(s, h) or "?")
            if h is None:  # taken straight from the bot: this is the handoff
                h = Handoff(conversation_id=conversation_id, reason="taken", priority="regular",
                            requested_at=now, due_at=now + self.first_response)
                s.add(h)
            h.agent_id, h.taken_at = agent.id, now
            conv = await s.get(Conversation, conversation_id, populate_existing=True)
            assert conv is not None
            note = await self._say(s, conv, "system", "notice", gettext(JOINED, conv.lang or "en", name=agent.name))
        return Done(conversation_id, [note])

    async def _held(self, s: AsyncSession, agent: AgentIdentity, conversation_id: str,
                    admin_may: bool = True) -> tuple[Conversation, Handoff]:
        conv = await s.get(Conversation, conversation_id, populate_existing=True)
        if conv is None:
            raise TakeoverError("not_found")
        h = await open_handoff(s, conversation_id)
        if conv.status != "agent" or h is None or h.agent_id is None:
            raise TakeoverError("not_taken")
        if h.agent_id != agent.id and not (admin_may and agent.role == "admin"):
            raise TakeoverError("held_by_other", name=await self._holder_name(s, h) or "?")
        return conv, h

    async def _say(self, s: AsyncSession, conv: Conversation, author: str, kind: str, text: str,
                   meta: dict[str, Any] | None = None, client_id: str | None = None) -> OutboundMessage:
        msg = Message(conversation_id=conv.id, author=author, kind=kind, text=text, lang=conv.lang,
                      client_id=client_id, created_at=self.clock(), meta=meta or {})
        s.add(msg)
        conv.updated_at = msg.created_at
        await s.flush()
        return to_outbound(msg)

    def _text(self, text: object) -> str:
        if not isinstance(text, str) or not text.strip():
            raise TakeoverError("empty_text")
        if len(text.strip()) > self.max_chars:
            raise TakeoverError("text_too_long", limit=self.max_chars)
        return text.strip()

    async def send(self, agent: AgentIdentity, conversation_id: str, text: object,
                   client_id: str | None = None) -> Done:
        body = self._text(text)
        async with self._turn(conversation_id) as s:
            conv, _ = await self._held(s, agent, conversation_id, admin_may=False)
            if client_id:  # a resend after a lost acknowledgement stores nothing new
                dup = await s.scalar(select(Message).where(Message.conversation_id == conversation_id,
                                                           Message.client_id == client_id))
                if dup is not None:
                    return Done(conversation_id, [to_outbound(dup)], agent_name=agent.name)
            out = await self._say(s, conv, "agent", "text", body, {"agent_id": agent.id, "agent_name": agent.name},
                                  client_id)
            await record_human_response(s, conversation_id, out.created_at)
        return Done(conversation_id, [out], agent_name=agent.name)

    async def holder_check(self, agent: AgentIdentity, conversation_id: str) -> None:
        """Raise unless ``agent`` holds the conversation (typing and read receipts are theirs alone)."""
        async with self.sessions() as s:
            await self._held(s, agent, conversation_id, admin_may=False)

    async def hand_back(self, agent: AgentIdentity, conversation_id: str) -> Done:
        async with self._turn(conversation_id) as s:
            conv, h = await self._held(s, agent, conversation_id)
            self._end(conv, h, "bot", "bot")
            note = await self._say(s, conv, "system", "notice", gettext(HANDED_BACK, conv.lang or "en", name=agent.name))
        return Done(conversation_id, [note])

    async def close(self, agent: AgentIdentity, conversation_id: str) -> Done:
        async with self._turn(conversation_id) as s:
            conv, h = await self._held(s, agent, conversation_id)
            self._end(conv, h, "closed", "closed")
            note = await self._say(s, conv, "system", "closed", gettext(CLOSED, conv.lang or "en", name=agent.name))
        return Done(conversation_id, [note])

    async def convert(self, agent: AgentIdentity, conversation_id: str, team: object, priority: object = None,
                      note: object = None) -> Done:
        async with self._turn(conversation_id) as s:
            conv, h = await self._held(s, agent, conversation_id)
            ticket, text = await self.tickets.for_team(s, conv, agent, team, priority, note, self.clock())
            self._end(conv, h, "ticket", "bot")
            out = await self._say(s, conv, "bot", "ticket", text, {"ticket": ticket})
        return Done(conversation_id, [out], ticket)

    def _end(self, conv: Conversation, h: Handoff, outcome: str, status: str) -> None:
        h.ended_at, h.outcome = self.clock(), outcome
        conv.status = status
        # A fresh start for the bot: earlier misunderstandings must not send it straight back.
        conv.state = {**(conv.state or {}), "misunderstood": 0}

    async def visitor_read(self, conversation_id: str, up_to: int) -> bool:
        """Remember the last message the visitor has seen; False when nothing changed."""
        async with self.sessions() as s, s.begin():
            h = await open_handoff(s, conversation_id)
            newest = await s.scalar(select(Message.id).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id.desc()).limit(1))
            if h is None or newest is None or (h.visitor_read_id or 0) >= min(up_to, newest):
                return False
            h.visitor_read_id = min(up_to, newest)
            return True


async def record_human_response(session: AsyncSession, conversation_id: str, at: datetime) -> None:
    """SLA hook: the first response by a person stops the first-response clock.

    ``chatbot.sla.record_human_response(session, conversation_id, at)`` belongs to the SLA engine,
    built beside this module; it is called when present, so that neither has to wait for the other.
    """
    try:
        sla = importlib.import_module("chatbot.sla")
    except ModuleNotFoundError as exc:
        if exc.name != "chatbot.sla":
            raise
        return
    record = getattr(sla, "record_human_response", None)
    if record is not None:
        await record(session, conversation_id, at)
