"""Tickets: opened for anything non-trivial, numbered for humans, with a history of changes."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.desk import Desk, Route
from chatbot.models import Ticket, TicketEvent

OPEN_STATUSES = ("new", "open", "waiting", "escalated")


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
    return True


def first_response_due(ticket: Ticket, desk: Desk) -> datetime:
    return ticket.received_at + timedelta(seconds=desk.promises.first_response_seconds)


def wire(ticket: Ticket, desk: Desk) -> dict[str, Any]:
    """The `ticket` event of the chat protocol."""
    return {"number": ticket.number, "department": ticket.department, "team": ticket.team,
            "priority": ticket.priority, "eta": first_response_due(ticket, desk).isoformat()}
