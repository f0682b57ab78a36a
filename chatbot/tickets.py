"""Tickets: opened for anything non-trivial, numbered for humans, with a history of changes."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot import sla_clocks
from chatbot.db import utcnow
from chatbot.desk import Desk, Route
from chatbot.models import Ticket, TicketEvent

OPEN_STATUSES = ("new", "open", "waiting", "escalated")
# The lifecycle: new (nobody has answered yet) → open (being worked on) ⇄ waiting (for the customer),
# escalated (with a specialist team), resolved (the fix is confirmed), closed (final). A resolved
# ticket can be reopened; a closed one cannot (a new problem gets a new ticket).
STATUSES = ("new", "open", "waiting", "escalated", "resolved", "closed")
TRANSITIONS = {
    "new": {"open", "waiting", "escalated", "resolved", "closed"},
    "open": {"waiting", "escalated", "resolved", "closed"},
    "waiting": {"open", "escalated", "resolved", "closed"},
    "escalated": {"open", "waiting", "resolved", "closed"},
    "resolved": {"open", "closed"},
    "closed": set(),
}


class TicketStatusError(ValueError):
    """A status change the lifecycle does not allow (the message says which)."""


def ticket_number(ticket_id: int) -> str:
    return f"T-{ticket_id:06d}"


async def open_ticket_for(session: AsyncSession, conversation_id: str) -> Ticket | None:
    return await session.scalar(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id.desc()).limit(1))


async def open_ticket(session: AsyncSession, *, conversation_id: str, customer_id: int | None, channel: str,
                      intent: str, route: Route, lang: str, details: dict[str, Any], summary: str,
                      received_at: datetime) -> Ticket:
    assert route.department and route.team and route.priority, "only routed intents become tickets"
    ticket = Ticket(conversation_id=conversation_id, customer_id=customer_id, channel=channel, intent=intent,
                    department=route.department, team=route.team, priority=route.priority, status="new",
                    lang=lang, details=dict(details), summary=summary[:2000], received_at=received_at)
    session.add(ticket)
    await session.flush()
    ticket.number = ticket_number(ticket.id)
    session.add(TicketEvent(ticket_id=ticket.id, actor="bot", action="created",
                            data={"intent": intent, "team": route.team, "priority": route.priority}))
    await session.flush()
    await sla_clocks.start_clocks(session, ticket)
    return ticket


async def update_details(session: AsyncSession, ticket: Ticket, details: dict[str, Any], actor: str) -> bool:
    merged = {**ticket.details, **{k: v for k, v in details.items() if v not in (None, "")}}
    if merged == ticket.details:
        return False
    changed = {k: v for k, v in merged.items() if ticket.details.get(k) != v}
    ticket.details = merged
    session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="details", data=changed))
    return True


async def raise_priority(session: AsyncSession, ticket: Ticket, actor: str) -> bool:
    if ticket.priority == "high":
        return False
    session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="priority",
                            data={"from": ticket.priority, "to": "high"}))
    ticket.priority = "high"
    await sla_clocks.follow(session, ticket)  # status updates are now owed at the high interval
    return True


async def set_status(session: AsyncSession, ticket: Ticket, status: str, actor: str, *,
                     at: datetime | None = None, note: str | None = None) -> bool:
    """Move the ticket along its lifecycle and record who did it and when. The SLA clocks follow:
    they pause while the ticket waits for the customer and stop once it is resolved or closed."""
    if status not in STATUSES:
        raise TicketStatusError(f"unknown ticket status {status!r}; known: {', '.join(STATUSES)}")
    if status == ticket.status:
        return False
    if status not in TRANSITIONS[ticket.status]:
        raise TicketStatusError(f"ticket {ticket.number} cannot go from {ticket.status} to {status}")
    at = at or utcnow()
    data = {"from": ticket.status, "to": status, **({"note": note} if note else {})}
    session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="status", data=data, created_at=at))
    before, ticket.status = ticket.status, status
    if status == "waiting":
        await sla_clocks.pause(session, ticket.id, at)
    elif status in ("resolved", "closed"):
        await sla_clocks.stop(session, ticket.id, at)
    elif before == "waiting":
        await sla_clocks.resume(session, ticket.id, at)
    await session.flush()
    return True


async def escalate(session: AsyncSession, ticket: Ticket, route: Route, actor: str, *,
                   at: datetime | None = None, reason: str | None = None) -> None:
    """Hand the ticket to another team. It keeps its number and its conversation: the customer
    resubmits nothing. Telling the customer counts as a status update (the clock restarts)."""
    assert route.team and route.department, "escalation needs a team"
    at = at or utcnow()
    changes = {k: {"from": getattr(ticket, k), "to": v} for k, v in
               (("team", route.team), ("department", route.department)) if getattr(ticket, k) != v}
    if changes:
        session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="team", created_at=at,
                                data={**changes, **({"reason": reason} if reason else {})}))
        ticket.team, ticket.department = route.team, route.department
    if route.priority == "high" and ticket.priority != "high":
        await raise_priority(session, ticket, actor)
    if ticket.status != "escalated":
        await set_status(session, ticket, "escalated", actor, at=at, note=reason)
    await sla_clocks.follow(session, ticket)
    await sla_clocks.restart(session, sla_clocks.TABLE.c.ticket_id == ticket.id, at)


def first_response_due(ticket: Ticket, desk: Desk) -> datetime:
    return ticket.received_at + timedelta(seconds=desk.promises.first_response_seconds)


def wire(ticket: Ticket, desk: Desk) -> dict[str, Any]:
    """The `ticket` event of the chat protocol."""
    return {"number": ticket.number, "department": ticket.department, "team": ticket.team,
            "priority": ticket.priority, "eta": first_response_due(ticket, desk).isoformat()}
