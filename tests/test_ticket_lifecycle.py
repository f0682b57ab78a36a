"""The ticket lifecycle: statuses, who changed what and when, escalation in the same conversation,
and the customer's answer bringing a waiting ticket back to the desk."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from chatbot.desk import Route
from chatbot.messages import Sender
from chatbot.models import Ticket, TicketEvent
from chatbot.pipeline import Pipeline
from chatbot.sla_clocks import TABLE
from chatbot.tickets import TicketStatusError, escalate, set_status
from tests.sla_fakes import make_ticket
from tests.test_account_guard import PASS, guarded_pipeline, talk

T0 = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
AGENT = "agent:ana@introserv.com"


@pytest.fixture
def pipeline(database_url: str, sessions: Any) -> Pipeline:
    return guarded_pipeline(database_url, sessions)


async def history(sessions: Any, ticket_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    async with sessions() as db:
        events = (await db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                   .order_by(TicketEvent.id))).all()
    return [(e.actor, e.action, e.data) for e in events]


async def test_statuses_follow_the_lifecycle_and_every_change_is_recorded(sessions) -> None:
    ticket = await make_ticket(sessions, T0)
    async with sessions() as db:
        t = await db.get(Ticket, ticket.id)
        for status, actor in (("open", AGENT), ("waiting", AGENT), ("open", "customer"), ("resolved", AGENT),
                              ("open", "customer"), ("closed", AGENT)):
            assert await set_status(db, t, status, actor, at=T0 + timedelta(minutes=5))
        assert not await set_status(db, t, "closed", AGENT), "no change, no event"
        with pytest.raises(TicketStatusError, match="cannot go from closed to open"):
            await set_status(db, t, "open", "customer")
        with pytest.raises(TicketStatusError, match="unknown ticket status"):
            await set_status(db, t, "done", AGENT)
        await db.commit()
    moves = [(a, d["from"], d["to"]) for a, action, d in await history(sessions, ticket.id) if action == "status"]
    assert moves == [(AGENT, "new", "open"), (AGENT, "open", "waiting"), ("customer", "waiting", "open"),
                     (AGENT, "open", "resolved"), ("customer", "resolved", "open"), (AGENT, "open", "closed")]


async def test_escalation_keeps_the_number_and_the_conversation(sessions) -> None:
    ticket = await make_ticket(sessions, T0, route=Route("technical", "support", "regular", "standard"))
    later = T0 + timedelta(minutes=20)
    async with sessions() as db:
        t = await db.get(Ticket, ticket.id)
        await escalate(db, t, Route("technical", "sysadmins", "regular", "standard"), AGENT, at=later,
                       reason="custom firewall rules")
        await db.commit()
        t = await db.get(Ticket, ticket.id)
        update = (await db.execute(select(TABLE).where(TABLE.c.ticket_id == ticket.id, TABLE.c.kind == "update"))).one()
    assert (t.number, t.conversation_id) == (ticket.number, ticket.conversation_id)
    assert (t.team, t.status) == ("sysadmins", "escalated")
    assert (AGENT, "team", {"team": {"from": "support", "to": "sysadmins"}, "reason": "custom firewall rules"}) \
        in await history(sessions, ticket.id)
    assert update.team == "sysadmins" and update.segments == [[later.isoformat(), None]], \
        "the customer was told: the next update is owed from now, in the new team's hours"


async def test_the_customers_answer_brings_a_waiting_ticket_back_but_a_stranger_cannot(pipeline, sessions) -> None:
    camille = Sender(address="camille.dubois@example.fr", authentication_results=(PASS,))
    await talk(pipeline, "Bonjour, mon serveur 51.210.14.7 ne répond plus du tout depuis 9h",
               channel="email", sender=camille, conversation="thread-1")
    async with sessions() as db:
        [t] = (await db.scalars(select(Ticket))).all()
        await set_status(db, t, "waiting", AGENT)
        await db.commit()
    stranger = Sender(address="camille.dubois@example.fr", authentication_results=(
        "mx.introserv.com; spf=fail; dkim=none; dmarc=fail",))
    await talk(pipeline, "Ça remarche, vous pouvez fermer", channel="email", sender=stranger, conversation="thread-1")
    async with sessions() as db:
        assert (await db.get(Ticket, t.id)).status == "waiting"
    await talk(pipeline, "Toujours en panne, le ping ne passe pas", channel="email", sender=camille,
               conversation="thread-1")
    async with sessions() as db:
        assert (await db.get(Ticket, t.id)).status == "open"
    assert ("customer", "status", {"from": "waiting", "to": "open"}) in await history(sessions, t.id)
