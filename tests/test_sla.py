"""SLA clocks with a controllable clock: they fire on time, once, survive a restart, pause while the
ticket waits for the customer, and are met by the acknowledgement and the first human response."""
from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from chatbot.business_hours import BusinessHours
from chatbot.db import create_engine, session_factory
from chatbot.desk import load_desk
from chatbot.models import Message, OutboxMail, Ticket, TicketEvent
from chatbot.outbox import enqueue
from chatbot.sla import SlaScheduler, record_ack, record_human_response
from chatbot.sla_clocks import TABLE
from chatbot.tickets import set_status
from tests.sla_fakes import WAIT, FakeClock, make_ticket, settle

DESK = load_desk()
MANAGEMENT = "management@introserv.example"
T0 = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)  # a Wednesday afternoon


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


@pytest.fixture
async def start(sessions: Any) -> Any:
    started: list[SlaScheduler] = []

    async def start_one(clock: FakeClock, factory: Any = None) -> SlaScheduler:
        sched = SlaScheduler(factory or sessions, DESK, BusinessHours(DESK), management_email=MANAGEMENT,
                             clock=clock, poll_seconds=86400)  # no safety-net polling in these tests
        await sched.start()
        started.append(sched)
        return sched

    yield start_one
    for sched in started:
        await sched.stop()


async def alerts(sessions: Any) -> list[OutboxMail]:
    async with sessions() as db:
        return list((await db.scalars(select(OutboxMail).where(OutboxMail.kind == "alert")
                                      .order_by(OutboxMail.id))).all())


async def clocks(sessions: Any, ticket: Ticket) -> dict[str, Any]:
    async with sessions() as db:
        rows = (await db.execute(select(TABLE).where(TABLE.c.ticket_id == ticket.id))).all()
    return {r.kind: r for r in rows}


async def acked(db: Any, conversation_id: str) -> None:
    """The chat acknowledgement, stored a second after the request (as the ack step does)."""
    db.add(Message(conversation_id=conversation_id, author="bot", kind="ack", text="Thank you…", lang="en",
                   created_at=T0 + s(1), meta={}))


async def test_a_clock_fires_at_its_due_moment_and_the_scheduler_sleeps_until_exactly_then(sessions, start) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0)  # chat, and no acknowledgement was stored
    sched = await start(clock)
    assert await clock.wait_sleepers(lambda w: len(w) == 1) == [T0 + s(60)], "asleep until the chat ack is due"

    clock.advance_to(T0 + s(59))
    await settle(sched, clock)
    assert await alerts(sessions) == [], "nothing one second before"

    await clock.wait_sleepers(lambda w: w == [T0 + s(60)])
    clock.advance_to(T0 + s(60))  # no wake-up call: the scheduler's own sleep ends now
    await asyncio.wait_for(sched.passed(T0 + s(60)), WAIT)
    [mail] = await alerts(sessions)
    assert mail.to_addr == MANAGEMENT and mail.ticket_id == ticket.id
    assert mail.subject.startswith(f"SLA breach: ticket {ticket.number}, acknowledgement was due")
    assert "14:31 CET" in mail.subject and "Camille Dubois (C1001)" in mail.body
    async with sessions() as db:
        events = (await db.scalars(select(TicketEvent).where(TicketEvent.action == "sla_breach"))).all()
    assert [(e.ticket_id, e.actor, e.data["clock"]) for e in events] == [(ticket.id, "system", "ack")]
    assert (await clocks(sessions, ticket))["ack"].breached_at == T0 + s(60)


async def test_the_stored_chat_acknowledgement_meets_the_ack_clock(sessions, start) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0, before=acked)
    sched = await start(clock)
    clock.advance_to(T0 + s(300))
    await settle(sched, clock)
    assert await alerts(sessions) == []
    ack = (await clocks(sessions, ticket))["ack"]
    assert ack.status == "met" and ack.met_at == T0 + s(1)


async def queued_ack(db: Any, conversation_id: str) -> None:
    enqueue(db, kind="ack", to="jonas.becker@example.de", subject="Re: server down", body="Thank you…",
            conversation_id=conversation_id)


async def test_an_email_ack_counts_when_it_is_sent_not_when_it_is_queued(sessions, start) -> None:
    clock = FakeClock(T0)
    sent = await make_ticket(sessions, T0, channel="email", before=queued_ack)
    stuck = await make_ticket(sessions, T0, channel="email", before=queued_ack)  # the SMTP server is down
    hooked = await make_ticket(sessions, T0, channel="email", before=queued_ack)
    sched = await start(clock)
    async with sessions() as db:  # the sender delivers one mail and forgets the hook
        await db.execute(update(OutboxMail).where(OutboxMail.conversation_id == sent.conversation_id)
                         .values(status="sent", sent_at=T0 + s(100)))
        await record_ack(db, hooked.conversation_id, T0 + s(30))  # another one uses the hook
        await db.commit()
    clock.advance_to(T0 + s(120))
    await settle(sched, clock)
    [mail] = await alerts(sessions)
    assert mail.ticket_id == stuck.id and "acknowledgement" in mail.subject
    assert (await clocks(sessions, sent))["ack"].met_at == T0 + s(100)
    assert (await clocks(sessions, hooked))["ack"].met_at == T0 + s(30)


async def test_warning_before_the_first_response_then_the_agent_answers_in_time(sessions, start) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0, before=acked)
    sched = await start(clock)
    assert await clock.wait_sleepers(lambda w: len(w) == 1) == [T0 + s(480)], "warning 2 minutes before 10"
    clock.advance_to(T0 + s(480))
    await asyncio.wait_for(sched.passed(T0 + s(480)), WAIT)
    [warning] = await alerts(sessions)
    assert warning.subject.startswith(f"SLA warning: ticket {ticket.number}, first human response due")
    assert "It is due on Wednesday 18 November 2026 14:40 CET" in warning.body

    async with sessions() as db:
        await record_human_response(db, ticket.conversation_id, T0 + s(500))
        await db.commit()
    clock.advance_to(T0 + s(3000))
    await settle(sched, clock)
    assert len(await alerts(sessions)) == 1, "answered in time: no breach"
    rows = await clocks(sessions, ticket)
    assert rows["first_response"].met_at == T0 + s(500)
    assert rows["update"].due_at == T0 + s(500 + 3600), "next status update a full hour after the answer"
    async with sessions() as db:
        fresh = await db.get(Ticket, ticket.id)
        moves = (await db.scalars(select(TicketEvent).where(TicketEvent.action == "status"))).all()
    assert fresh.status == "open"
    assert [(e.actor, e.data, e.created_at) for e in moves] == [("agent", {"from": "new", "to": "open"}, T0 + s(500))]


async def test_waiting_for_the_customer_pauses_the_clock_and_the_reply_resumes_it(sessions, start) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0, before=acked)
    sched = await start(clock)
    async with sessions() as db:
        await record_human_response(db, ticket.conversation_id, T0 + s(300))  # update due T0+3900
        t = await db.get(Ticket, ticket.id)
        await set_status(db, t, "waiting", "agent:ana@introserv.com", at=T0 + s(600))
        await db.commit()
    clock.advance_to(T0 + s(20000))  # hours later: still waiting, nothing is owed
    await settle(sched, clock)
    assert await alerts(sessions) == []
    async with sessions() as db:
        t = await db.get(Ticket, ticket.id)
        await set_status(db, t, "open", "customer", at=T0 + s(20000))
        await db.commit()
    await settle(sched, clock)
    # 300 s of the hour ran before the pause: 3300 s remain from the customer's reply.
    assert (await clocks(sessions, ticket))["update"].due_at == T0 + s(23300)
    for moment in (23300 - 120, 23300):
        await clock.wait_sleepers(lambda w, m=moment: w == [T0 + s(m)])
        clock.advance_to(T0 + s(moment))
        await asyncio.wait_for(sched.passed(T0 + s(moment)), WAIT)
    assert [m.subject.split(",")[1].strip() for m in await alerts(sessions)] == [
        "status update due Wednesday 18 November 2026 20:58 CET",  # the warning, 2 minutes before
        "status update was due Wednesday 18 November 2026 20:58 CET"]


async def test_missed_status_updates_keep_coming_every_interval_until_someone_writes(sessions, start) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0, before=acked)
    sched = await start(clock)
    async with sessions() as db:
        await record_human_response(db, ticket.conversation_id, T0 + s(60))
        await db.commit()
    for hours in (1, 2):
        clock.advance_to(T0 + s(60 + hours * 3600))
        await settle(sched, clock)
    breaches = [m for m in await alerts(sessions) if m.subject.startswith("SLA breach")]
    assert len(breaches) == 2 and "so far: 2." in breaches[1].body
    assert (await clocks(sessions, ticket))["update"].breaches == 2


async def test_a_resolved_ticket_owes_nothing_even_when_resolved_behind_the_lifecycle(sessions, start) -> None:
    clock = FakeClock(T0)
    proper = await make_ticket(sessions, T0, before=acked)
    direct = await make_ticket(sessions, T0, before=acked)
    sched = await start(clock)
    async with sessions() as db:
        await set_status(db, await db.get(Ticket, proper.id), "resolved", "agent:ana@introserv.com", at=T0 + s(200))
        await db.execute(update(Ticket).where(Ticket.id == direct.id).values(status="closed"))  # no hook
        await db.commit()
    clock.advance_to(T0 + s(7200))
    await settle(sched, clock)
    assert await alerts(sessions) == []
    assert {r.status for r in (await clocks(sessions, direct)).values()} == {"met", "stopped"}


async def test_clocks_survive_a_restart_and_fire_once(sessions, start, settings) -> None:
    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0)
    first = await start(clock)
    await clock.wait_sleepers(lambda w: w == [T0 + s(60)])
    await first.stop()  # the process dies before the acknowledgement is due

    clock.advance_to(T0 + s(400))  # ... and comes back later, as another process with its own engine
    engine = create_engine(settings.database_url)
    try:
        second = await start(clock, session_factory(engine))
        await asyncio.wait_for(second.passed(T0 + s(400)), WAIT)
        [late] = await alerts(sessions)
        assert "acknowledgement" in late.subject and "was due Wednesday 18 November 2026 14:31 CET" in late.subject
        await second.stop()
        third = await start(clock, session_factory(engine))
        await asyncio.wait_for(third.passed(T0 + s(400)), WAIT)
        assert len(await alerts(sessions)) == 1, "a restart never fires it again"
        assert (await clocks(sessions, ticket))["ack"].breached_at == T0 + s(400)
    finally:
        await engine.dispose()


async def test_two_schedulers_on_one_database_fire_each_alert_exactly_once(sessions, start, settings) -> None:
    clock = FakeClock(T0)
    tickets = [await make_ticket(sessions, T0) for _ in range(12)]
    engines = [create_engine(settings.database_url) for _ in range(2)]
    try:
        a, b = [await start(clock, session_factory(e)) for e in engines]
        await clock.wait_sleepers(lambda w: w == [T0 + s(60)] * 2)
        clock.advance_to(T0 + s(60))  # both wake at the same moment and race for the same clocks
        await asyncio.wait_for(asyncio.gather(a.passed(T0 + s(60)), b.passed(T0 + s(60))), WAIT)
        mails = await alerts(sessions)
        assert sorted(m.ticket_id for m in mails) == sorted(t.id for t in tickets)
        async with sessions() as db:
            events = (await db.scalars(select(TicketEvent).where(TicketEvent.action == "sla_breach"))).all()
        assert len(events) == len(tickets)
    finally:
        for e in engines:
            await e.dispose()


async def test_a_new_ticket_wakes_the_sleeping_scheduler_at_once(sessions, start) -> None:
    clock = FakeClock(T0)
    await start(clock)
    assert await clock.wait_sleepers(lambda w: len(w) == 1) == [T0 + s(86400)], "nothing to do: long sleep"
    await make_ticket(sessions, T0 + s(5))  # committed by another session of the process
    await clock.wait_sleepers(lambda w: w == [T0 + s(65)])


OTHER_PROCESS = """
import asyncio, sys
from datetime import datetime
from chatbot.db import create_engine, session_factory
from chatbot.desk import Route
from chatbot.models import Conversation
from chatbot.tickets import open_ticket

async def main(url: str, at: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as s:
        s.add(Conversation(id="from-another-process", channel="chat", state={}, customer_id=1, verified=True))
        await s.flush()
        await open_ticket(s, conversation_id="from-another-process", customer_id=1, channel="chat",
                          intent="tech.outage", route=Route("technical", "support", "high", "complex"),
                          lang="en", details={}, summary="down", received_at=datetime.fromisoformat(at))
        await s.commit()
    await engine.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_a_ticket_opened_by_another_process_is_scheduled(sessions, start, settings) -> None:
    clock = FakeClock(T0)
    sched = await start(clock)
    await clock.wait_sleepers(lambda w: w == [T0 + s(86400)])
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", OTHER_PROCESS, settings.database_url,
                                                (T0 + s(5)).isoformat(), cwd=str(Path(__file__).parent.parent))
    assert await asyncio.wait_for(proc.wait(), 60) == 0
    if settings.is_sqlite:
        # The embedded database serves one process; another one's change is seen at the next poll.
        clock.advance_to(T0 + s(86400))
        await asyncio.wait_for(sched.passed(T0 + s(86400)), WAIT)
        first = (await alerts(sessions))[0]
        assert "acknowledgement was due Wednesday 18 November 2026 14:31 CET" in first.subject
    else:
        # PostgreSQL delivers the other process's NOTIFY on its commit: woken at once, on time.
        await clock.wait_sleepers(lambda w: w == [T0 + s(65)])


async def test_a_ticket_opened_in_a_chat_an_agent_already_answers_owes_no_first_response(sessions, start) -> None:
    async def agent_wrote(db: Any, conversation_id: str) -> None:
        await acked(db, conversation_id)
        db.add(Message(conversation_id=conversation_id, author="agent", kind="text", text="Hello, I am Ana",
                       lang="en", created_at=T0 - s(120), meta={}))

    clock = FakeClock(T0)
    ticket = await make_ticket(sessions, T0, before=agent_wrote)
    sched = await start(clock)
    clock.advance_to(T0 + s(900))
    await settle(sched, clock)
    assert await alerts(sessions) == []
    assert (await clocks(sessions, ticket))["first_response"].met_at == T0
