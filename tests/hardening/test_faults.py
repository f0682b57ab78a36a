"""Faults the service survives: the database briefly away (SQLite locked by another writer, PostgreSQL
connections killed), turns left unfinished, and the wall clock jumping under the SLA scheduler.

The promise (docs/reliability.md): a chat message is either acknowledged and stored, or refused
with an error and not stored — never half-stored; a stored message whose turn failed is answered
later by the recovery of unfinished turns; the service recovers without a restart."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from chatbot.app import PIPELINE
from chatbot.business_hours import BusinessHours
from chatbot.db import utcnow
from chatbot.desk import load_desk
from chatbot.turn_locks import _turn_key
from chatbot.messages import InboundMessage
from chatbot.models import OutboxMail
from chatbot.pending import PendingTurn
from chatbot.sla import SlaScheduler
from tests.hardening.conftest import UNLIMITED
from tests.sla_fakes import make_ticket

LATER = timedelta(minutes=10)  # "now" for a recovery round that finds every unfinished turn due


async def customer_texts(v: Any) -> list[str]:
    history = await v.call("history", {})
    return [m["text"] for m in history["messages"] if m["author"] == "customer"]


async def pending(sessions: Any) -> int:
    for attempt in (1, 2):  # the test's own pool also lost its connections when they were killed
        try:
            async with sessions() as s:
                return int(await s.scalar(select(func.count()).select_from(PendingTurn)) or 0)
        except DBAPIError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def test_an_unfinished_turn_is_finished_once_by_the_recovery(make_app, visitors, sessions) -> None:
    running = await make_app(**UNLIMITED)
    v = visitors(running.url)
    await v.connect(locale="en")
    # What a process killed right after storing a message leaves behind: the message, no answer.
    inbound = InboundMessage(channel="chat", conversation_id=v.session["conversation_id"],
                             text="what email address can I write to for support?", received_at=utcnow())
    await running.app[PIPELINE].accept(inbound)
    assert await pending(sessions) == 1
    assert await running.ops.recovery.run_once() == 0, "a fresh turn may still be running elsewhere"

    assert await running.ops.recovery.run_once(now=utcnow() + LATER) == 1
    await v.wait_for(lambda: len(v.messages("answer")) == 1)
    assert [m["kind"] for m in v.messages()] == ["ack", "answer"]
    assert "support@introserv.com" in v.messages("answer")[0]["text"]
    assert await pending(sessions) == 0
    assert await running.ops.recovery.run_once(now=utcnow() + 2 * LATER) == 0, "finished turns stay finished"
    await v.settle(0.2)
    assert len(v.messages()) == 2


async def test_a_finished_turn_leaves_nothing_to_recover(make_app, visitors, sessions) -> None:
    running = await make_app(**UNLIMITED)
    v = visitors(running.url)
    await v.connect(locale="en")
    await v.call("message", {"text": "hello"})
    await v.wait_for(lambda: len(v.messages("answer")) == 1)
    await v.settle(0.2)
    assert await pending(sessions) == 0


async def test_a_backlog_of_unfinished_turns_is_worked_off_batch_after_batch(make_app, sessions) -> None:
    """A process that dies with many turns in flight (an email burst) leaves more than one batch:
    the recovery takes batch after batch at once, not one batch per interval."""
    running = await make_app(**UNLIMITED)
    recovery = running.ops.recovery
    await recovery.stop()  # the app's own rounds would race this test's
    backlog = recovery.batch + 5
    long_ago = utcnow() - LATER
    for n in range(backlog):  # more than a batch, stored by a process that then died
        await running.app[PIPELINE].accept(InboundMessage(
            channel="chat", conversation_id=f"backlog-{n}", text="hello", received_at=long_ago))
    assert await pending(sessions) == backlog
    recovery.start(interval=3600)  # one round now; the next one only in an hour
    try:
        for _ in range(1200):
            if await pending(sessions) == 0:
                break
            await asyncio.sleep(0.05)
        assert await pending(sessions) == 0, f"all {backlog} answered now, not {recovery.batch} an hour"
    finally:
        await recovery.stop()


async def test_a_turn_that_always_fails_is_given_up_and_counted(make_app, sessions) -> None:
    running = await make_app(**UNLIMITED)
    pipeline = running.app[PIPELINE]

    async def poisoned(turn: Any) -> None:  # a message that crashes the turn every time it is read
        if turn.inbound.conversation_id == "poison-1":
            raise RuntimeError("cannot understand this, ever")

    pipeline.steps.insert(0, poisoned)
    await pipeline.accept(InboundMessage(channel="chat", conversation_id="poison-1", text="hello",
                                         received_at=utcnow()))
    now = utcnow()
    for _ in range(5):
        now += timedelta(days=1)
        assert await running.ops.recovery.run_once(now=now) == 0
    assert await pending(sessions) == 0, "given up after max_attempts, not retried forever"
    assert running.ops.metrics.turns_abandoned._value.get() == 1


async def test_the_database_briefly_unavailable(make_app, visitors, settings, sessions) -> None:
    running = await make_app(**UNLIMITED)
    v = visitors(running.url)
    await v.connect(locale="en")
    await v.call("message", {"text": "hello"})
    await v.wait_for(lambda: len(v.messages("answer")) == 1)
    if settings.is_sqlite:
        await sqlite_locked(running, v, settings.database_url.split(":///", 1)[1])
    else:
        await postgresql_connections_killed(running, v, settings.database_url, sessions)
    # Recovered by itself: no restart, the next message is stored and answered.
    assert "id" in await v.call("message", {"text": "thank you"})
    await v.wait_for(lambda: any("welcome" in m["text"].lower() for m in v.messages("answer")))
    async with __import__("aiohttp").ClientSession() as http, http.get(f"{running.url}/readyz") as r:
        assert r.status == 200


async def sqlite_locked(running: Any, v: Any, path: str) -> None:
    # Another writer holds the lock for a moment: SQLite's busy handler waits, the message is stored.
    # Blocking calls run in a thread: on the event loop they would stall the app that must let go.
    other = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
    loop = asyncio.get_running_loop()
    loop.call_later(0.5, other.rollback)
    ack = await v.client.call("message", {"text": "are you open on sundays?"}, namespace="/chat", timeout=60)
    assert "id" in ack, ack
    await v.wait_for(lambda: len(v.messages("answer")) == 2)
    # Held beyond the busy timeout: the message is refused with an error, and nothing is stored.
    await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
    try:
        ack = await v.client.call("message", {"text": "what are your hours?"}, namespace="/chat", timeout=60)
    finally:
        other.rollback()
        other.close()
    assert ack["error"]["code"] == "internal" and ack["error"]["message"]
    assert await customer_texts(v) == ["hello", "are you open on sundays?"], "nothing half-stored"
    assert "id" in await v.call("message", {"text": "what are your hours?"}), "resending works"


async def postgresql_connections_killed(running: Any, v: Any, url: str, sessions: Any) -> None:
    admin = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        # Hold this conversation's turn lock so the next turn is stored but stuck mid-turn...
        key = _turn_key(v.session["conversation_id"])
        await admin.execute("SELECT pg_advisory_lock($1)", key)
        assert "id" in await v.call("message", {"text": "what email address can I write to for support?"})
        for _ in range(500):
            if await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"):
                break
            await asyncio.sleep(0.02)
        # ...then every connection of the app is killed, as by a database failover.
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        await admin.execute("SELECT pg_advisory_unlock($1)", key)
    finally:
        await admin.close()
    await v.wait_for(lambda: any(n == "error" for n, _ in v.events))
    [error] = [d for n, d in v.events if n == "error"]
    assert error["code"] == "internal" and "saved" in error["message"], "told the message is kept"
    # The stored message is answered by the next recovery round, once; no resend needed. The pool
    # replaces the connections the failover closed: that first round does not fail on one of them.
    rounds = [await running.ops.recovery.run_once(now=utcnow() + LATER) for _ in range(2)]
    assert rounds == [1, 0], rounds
    await v.wait_for(lambda: any("support@introserv.com" in m["text"] for m in v.messages("answer")))
    assert (await customer_texts(v)).count("what email address can I write to for support?") == 1
    assert await pending(sessions) == 0


class JumpingClock:
    """A wall clock an administrator (or NTP) may set anywhere; sleeps are recorded, not waited."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._moved = asyncio.Event()
        self.asked: list[timedelta] = []  # how long each sleep was meant to last, by this clock
        self.idle = asyncio.Event()  # the scheduler sleeps towards a moment still in the future

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        self.asked.append(when - self._now)
        while self._now < when and not wake.is_set():
            self.idle.set()
            moved = asyncio.ensure_future(self._moved.wait())
            woken = asyncio.ensure_future(wake.wait())
            try:
                await asyncio.wait([moved, woken], return_when=asyncio.FIRST_COMPLETED)
            finally:
                self.idle.clear()
                moved.cancel()
                woken.cancel()


async def alerts(sessions: Any) -> list[tuple[str, int | None]]:
    async with sessions() as s:
        rows = (await s.scalars(select(OutboxMail).where(OutboxMail.kind == "alert").order_by(OutboxMail.id))).all()
    return [(m.subject, m.ticket_id) for m in rows]


async def test_the_sla_scheduler_survives_the_clock_jumping(sessions) -> None:
    t0 = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
    desk = load_desk()
    clock = JumpingClock(t0)
    ticket = await make_ticket(sessions, t0)  # a chat ticket, not yet acknowledged: due at t0 + 60 s
    sched = SlaScheduler(sessions, desk, BusinessHours(desk), management_email="m@example.com", clock=clock,
                         poll_seconds=30)
    await sched.start()
    try:
        async def look(at: datetime) -> None:
            """Set the wall clock, then wait until the scheduler has caught up and sleeps again."""
            done = sched.passed(at)
            clock.set(at)
            sched.wake()
            await asyncio.wait_for(done, 10)
            await asyncio.wait_for(clock.idle.wait(), 10)

        await look(t0 - timedelta(days=1))  # set back a day: nothing is due, and no long sleep either
        assert await alerts(sessions) == []
        assert max(clock.asked[-1:]) <= timedelta(seconds=30), "it looks at the wall clock again within the poll"

        later = t0 + timedelta(minutes=90)
        await look(later)  # forward 90 minutes: what fell due meanwhile fires now, once
        fired = await alerts(sessions)
        assert fired and all(t == ticket.id for _, t in fired)
        assert any("acknowledgement" in subject for subject, _ in fired)
        assert len(fired) == len(set(fired)), "each alert once"

        await look(t0)  # back again, then forward over moments already passed: nothing fires twice
        await look(later)
        assert await alerts(sessions) == fired
    finally:
        await sched.stop()


async def test_a_slow_turn_is_not_run_twice_by_the_recovery(make_app, visitors, sessions) -> None:
    """A turn slower than the recovery's grace period is slow, not dead: the resumption waits for
    the conversation's lock, sees the turn finished, and says nothing more."""
    running = await make_app(**UNLIMITED)
    pipeline = running.app[PIPELINE]
    release = asyncio.Event()

    async def slow_step(turn: Any) -> None:
        if not turn.inbound.meta.get("resumed"):
            await release.wait()

    pipeline.steps.insert(1, slow_step)  # right after load_conversation
    v = visitors(running.url)
    await v.connect(locale="en")
    await v.call("message", {"text": "what email address can I write to for support?"})
    await asyncio.sleep(0.2)  # the turn is now stuck in slow_step, holding the conversation's lock
    resumed = asyncio.create_task(running.ops.recovery.run_once(now=utcnow() + LATER))
    await asyncio.sleep(0.2)
    release.set()
    await resumed
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    await v.settle(0.5)
    assert [m["kind"] for m in v.messages()] == ["ack", "answer"], "each reply exactly once"
    assert await pending(sessions) == 0
