"""What management receives when a promise is about to be missed or was missed, and the record of it.

The seed document promises "if we do not keep these commitments, our management is informed". The
alert is queued in the outbox in the same transaction as the clock's claim, so it is sent exactly
when the claim commits: never twice, never lost to an SMTP outage. The ticket's history records it
too, so whoever opens the ticket sees that it breached and when.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.i18n import N_, format_datetime, gettext
from chatbot.models import Customer, Ticket, TicketEvent
from chatbot.outbox import enqueue

# Management reads alerts in one language; the desk's own zone is what its people live by.
ALERT_LANGUAGE = "en"
ALERT_ZONE = ZoneInfo("Europe/Paris")

CLOCK_NAMES = {
    "ack": N_("acknowledgement"),
    "first_response": N_("first human response"),
    "update": N_("status update"),
}
# The same message ids as the ticket messages (steps.TEAM_NAMES): one translation per team name.
TEAM_LABELS = {
    "support": N_("support engineers"),
    "billing": N_("billing team"),
    "datacenter": N_("datacenter technicians"),
    "sysadmins": N_("system administrators"),
    "management": N_("management"),
}
SUBJECT = {
    "warning": N_("SLA warning: ticket {number}, {clock} due {due}"),
    "breach": N_("SLA breach: ticket {number}, {clock} was due {due}"),
}
OPENING = {
    "warning": N_("Ticket {number} has not had its {clock} yet. It is due on {due}."),
    "breach": N_("Ticket {number} missed its {clock}. It was due on {due}."),
}
FACTS = N_("Team: {team}. Priority: {priority}. Channel: {channel}. The request arrived on {received}.")
CUSTOMER = N_("Customer: {name} ({external_id}).")
NO_CUSTOMER = N_("Customer: not identified.")
REQUEST = N_("Request: {summary}")
MISSED_BEFORE = N_("Status updates missed on this ticket so far: {count}.")


def _when(at: datetime) -> str:
    return format_datetime(at, ALERT_ZONE, ALERT_LANGUAGE)


async def alert(session: AsyncSession, *, event: str, clock: Any, ticket: Ticket, due: datetime,
                now: datetime, management_email: str) -> None:
    """Queue the alert mail and record the event on the ticket (the caller commits both with the claim)."""
    lang = ALERT_LANGUAGE
    clock_name = gettext(CLOCK_NAMES[clock.kind], lang)
    team = gettext(TEAM_LABELS[ticket.team], lang) if ticket.team in TEAM_LABELS else ticket.team
    params = {"number": ticket.number, "clock": clock_name, "due": _when(due)}
    lines = [gettext(OPENING[event], lang, **params),
             gettext(FACTS, lang, team=team, priority=ticket.priority, channel=ticket.channel,
                     received=_when(ticket.received_at))]
    customer = await session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    lines.append(gettext(CUSTOMER, lang, name=customer.name, external_id=customer.external_id)
                 if customer else gettext(NO_CUSTOMER, lang))
    if ticket.summary:
        lines.append(gettext(REQUEST, lang, summary=ticket.summary[:500]))
    if clock.kind == "update" and event == "breach":
        lines.append(gettext(MISSED_BEFORE, lang, count=clock.breaches + 1))
    enqueue(session, kind="alert", to=management_email, subject=gettext(SUBJECT[event], lang, **params),
            body="\n\n".join(lines) + "\n", conversation_id=ticket.conversation_id, ticket_id=ticket.id)
    session.add(TicketEvent(ticket_id=ticket.id, actor="system", action=f"sla_{event}", created_at=now,
                            data={"clock": clock.kind, "due": due.isoformat(), "at": now.isoformat(),
                                  "to": management_email}))
