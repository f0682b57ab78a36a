"""What the agent console lists: conversations waiting for a person, ordered by SLA urgency, the
ones held by people, and the live ones still with the bot (an agent may step in at any time).

Ordering follows the provider's promise: high-priority requests are handled first ("Les tickets
hautement prioritaires sont traités en priorité"), and within a priority the conversation whose
first human response is due soonest comes first: the handoff's own due time (request + 10 minutes)
or, when the conversation has a ticket, the SLA engine's first-response clock if that is earlier.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.agents.auth import AgentIdentity
from chatbot.agents.models import Agent, Handoff
from chatbot.db import utcnow
from chatbot.models import Conversation, Customer, Message, Ticket
from chatbot.sla_clocks import BREACHED, RUNNING, SlaClock
from chatbot.tickets import OPEN_STATUSES

LIVE_WITH_BOT = timedelta(minutes=30)  # a bot conversation silent for longer is over
PREVIEW_CHARS = 160
SECTIONS = ("waiting", "mine", "others", "bot")


def _customer(conv: Conversation, customer: Customer | None) -> dict[str, Any] | None:
    if customer is None or not conv.verified:
        return None  # whatever the visitor claims, only a verified identity is shown as a customer
    return {"name": customer.name, "external_id": customer.external_id, "email": customer.email,
            "services": [s.name for s in customer.services]}


def _details(conv: Conversation, ticket: Ticket | None) -> dict[str, Any]:
    found = dict((conv.state or {}).get("values") or {})
    if ticket is not None:
        found.update(ticket.details or {})
    return {k: v for k, v in found.items() if v not in (None, "")}


class Queue:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def entries(self, viewer: AgentIdentity, now: datetime | None = None,
                      only: str | None = None) -> list[dict[str, Any]]:
        """Every conversation the console shows, each with its ``section``, in display order."""
        now = now or utcnow()
        async with self.sessions() as s:
            held = select(Handoff).where(Handoff.ended_at.is_(None))
            if only is not None:
                held = held.where(Handoff.conversation_id == only)
            handoffs = {h.conversation_id: h for h in (await s.scalars(held)).all()}
            ids = set(handoffs)
            if only is None:
                live = select(Conversation.id).where(
                    Conversation.status.in_(("bot", "closed")), Conversation.channel == "chat",
                    Conversation.updated_at >= now - LIVE_WITH_BOT).order_by(Conversation.updated_at.desc()).limit(30)
                ids |= set((await s.scalars(live)).all())
            else:
                ids.add(only)
            return await self._build(s, viewer, ids, handoffs, now)

    async def _build(self, s: AsyncSession, viewer: AgentIdentity, ids: set[str],
                     handoffs: dict[str, Handoff], now: datetime) -> list[dict[str, Any]]:
        if not ids:
            return []
        convs = (await s.scalars(select(Conversation).where(Conversation.id.in_(ids)))).all()
        customer_ids = {c.customer_id for c in convs if c.customer_id is not None}
        customers = {c.id: c for c in (await s.scalars(select(Customer).where(Customer.id.in_(customer_ids)))).all()}
        tickets: dict[str, Ticket] = {}
        for t in (await s.scalars(select(Ticket).where(Ticket.conversation_id.in_(ids),
                                                       Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.id))).all():
            tickets[t.conversation_id] = t  # the newest open ticket wins
        sla_due = dict((await s.execute(
            select(SlaClock.conversation_id, func.min(SlaClock.due_at)).where(
                SlaClock.conversation_id.in_(ids), SlaClock.kind == "first_response",
                SlaClock.status.in_((RUNNING, BREACHED)), SlaClock.due_at.is_not(None)).group_by(SlaClock.conversation_id))).all())
        agent_ids = {h.agent_id for h in handoffs.values() if h.agent_id is not None}
        names = dict((await s.execute(select(Agent.id, Agent.name).where(Agent.id.in_(agent_ids)))).all())
        last_ids = select(func.max(Message.id)).where(Message.conversation_id.in_(ids)).group_by(Message.conversation_id)
        last = {m.conversation_id: m for m in (await s.scalars(select(Message).where(Message.id.in_(last_ids)))).all()}
        out: list[dict[str, Any]] = []
        for conv in convs:
            h, ticket, msg = handoffs.get(conv.id), tickets.get(conv.id), last.get(conv.id)
            clock_due: datetime | None = sla_due.get(conv.id)
            due = None if h is None or h.taken_at is not None else (
                h.due_at if clock_due is None else min(h.due_at, clock_due))
            section = ("bot" if h is None else "waiting" if h.agent_id is None
                       else "mine" if h.agent_id == viewer.id else "others")
            out.append({
                "conversation_id": conv.id, "section": section, "status": conv.status, "lang": conv.lang or "en",
                "channel": conv.channel, "verified": bool(conv.verified),
                "customer": _customer(conv, customers.get(conv.customer_id or -1)),
                "details": _details(conv, ticket),
                "ticket": None if ticket is None else {"number": ticket.number, "team": ticket.team,
                                                       "priority": ticket.priority, "status": ticket.status},
                "reason": h.reason if h else None,
                "priority": h.priority if h else (ticket.priority if ticket else "regular"),
                "requested_at": h.requested_at.isoformat() if h else None,
                "due_at": due.isoformat() if due else None,
                "overdue": bool(due and due <= now),
                "holder": None if h is None or h.agent_id is None else {"id": h.agent_id, "name": names.get(h.agent_id)},
                "visitor_read_id": h.visitor_read_id if h else None,
                "last_message": None if msg is None else {"author": msg.author, "kind": msg.kind,
                                                          "text": msg.text[:PREVIEW_CHARS],
                                                          "created_at": msg.created_at.isoformat()},
                "updated_at": conv.updated_at.isoformat(),
                "_sort": self._sort_key(section, h, conv, due),
            })
        out.sort(key=lambda e: e.pop("_sort"))
        return out

    @staticmethod
    def _sort_key(section: str, h: Handoff | None, conv: Conversation, due: datetime | None) -> tuple[Any, ...]:
        rank = SECTIONS.index(section)
        if h is not None and due is not None:
            return (rank, h.priority != "high", due.timestamp())
        if h is not None:
            return (rank, False, (h.taken_at or h.requested_at).timestamp())
        return (rank, False, -conv.updated_at.timestamp())  # the liveliest bot conversation first

    async def transcript(self, conversation_id: str, limit: int = 1000) -> list[dict[str, Any]]:
        """The whole conversation for the console, oldest first, with who wrote each agent line."""
        async with self.sessions() as s:
            rows = (await s.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id).limit(limit))).all()
        return [{"id": m.id, "conversation_id": m.conversation_id, "author": m.author, "kind": m.kind,
                 "text": m.text, "lang": m.lang, "created_at": m.created_at.isoformat(),
                 "agent_name": (m.meta or {}).get("agent_name"), "ticket": (m.meta or {}).get("ticket")}
                for m in rows]
