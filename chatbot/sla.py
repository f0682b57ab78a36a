"""SLA clocks that fire on time (issue 5, item 6): the hooks that satisfy them, and the scheduler.

Every ticket has three clocks from the moment its request arrived (chatbot/sla_clocks.py): the
acknowledgement (chat 60 s, email 120 s), the first human response (600 s, any hour) and the
status update, which repeats every interval of the ticket's priority while the ticket is open and
counts only the handling team's business hours. A clock pauses while the ticket waits for the
customer. When one is about to run out (``warning_before_seconds``) and when it runs out, management
is alerted through the outbox and the ticket records it.

The scheduler is one asyncio task per process. It sleeps until the earliest due moment in the
database and is woken at once when a clock changes in this process (a flag in the session, read
after the commit); ``poll_seconds`` only bounds how late it notices a change made by another
process. Each alert is claimed by a compare-and-set on the clock's version, in the same transaction
as the alert mail, so it fires exactly once however many processes run schedulers.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot import sla_clocks as facts
from chatbot.business_hours import BusinessHours
from chatbot.desk import Desk
from chatbot.models import Ticket
from chatbot.sla_alerts import alert
from chatbot.sla_clocks import RUNNING, TABLE
from chatbot.sla_time import Calendar, Clock, SystemClock
from chatbot.sla_wakeups import Wakeups
from chatbot.tickets import set_status

log = logging.getLogger(__name__)
C = TABLE.c


async def record_ack(session: AsyncSession, conversation_id: str, at: datetime) -> int:
    """The customer was acknowledged at ``at`` (chat: the ack reply stored; email: the ack mail sent)."""
    return await facts.satisfy(session, C.conversation_id == conversation_id, "ack", at)


async def record_human_response(session: AsyncSession, conversation_id: str, at: datetime,
                                actor: str = "agent") -> int:
    """A person of the desk wrote to the customer at ``at``: the first response is met, the next
    status update is due a full interval later, and a new ticket is now open (being worked on)."""
    met = await facts.satisfy(session, C.conversation_id == conversation_id, "first_response", at)
    await facts.restart(session, C.conversation_id == conversation_id, at)
    for ticket in (await session.scalars(select(Ticket).where(
            Ticket.conversation_id == conversation_id, Ticket.status == "new"))).all():
        await set_status(session, ticket, "open", actor, at=at)
    return met


class Observer(Protocol):
    """Counts what fires (the metrics module implements it)."""

    def sla_warning(self, team: str, priority: str) -> None: ...

    def sla_breach(self, team: str, priority: str) -> None: ...


class SlaScheduler:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], desk: Desk, hours: BusinessHours, *,
                 management_email: str, clock: Clock | None = None, observer: Observer | None = None,
                 poll_seconds: float = 30.0, batch: int = 100) -> None:
        self.sessions = sessions
        self.desk = desk
        self.hours = hours
        self.management_email = management_email
        self.clock: Clock = clock or SystemClock()
        self.observer = observer
        self.poll = timedelta(seconds=poll_seconds)
        self.batch = batch
        self.last_pass: datetime | None = None
        self._begun = self._finished = 0  # passes, for ``passed``
        self._wake = asyncio.Event()
        self._passes = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._wakeups = Wakeups(self._wake, sessions.kw.get("bind"))

    # -- running -------------------------------------------------------------------------------
    async def start(self) -> None:
        self._wakeups.start()
        self._task = asyncio.create_task(self._run(), name="sla-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self._wakeups.stop()

    async def context(self, app: Any) -> AsyncIterator[None]:
        """aiohttp cleanup context: runs from the app's startup to its cleanup."""
        await self.start()
        yield
        await self.stop()

    def wake(self) -> None:
        self._wake.set()

    def _session(self) -> AsyncSession:
        session = self.sessions()
        session.info[facts.QUIET] = True  # the scheduler's own writes need no wake-up
        return session

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before reading: a change during the pass triggers another one
            self._begun += 1
            await self._wakeups.listen()
            now = self.clock.now()
            try:
                next_at = await self.run_pass(now)
            except Exception:  # the database may be down for a moment; try again soon
                log.exception("SLA pass failed")
                next_at = now + timedelta(seconds=5)
            async with self._passes:
                self.last_pass, self._finished = now, self._finished + 1
                self._passes.notify_all()
            await self.clock.sleep_until(min(next_at or now + self.poll, now + self.poll), self._wake)

    def passed(self, at: datetime) -> Awaitable[None]:
        """Wait until a pass that began after this call, looking at ``at`` or later, has finished
        (tests and tools: what was committed before the call has been seen). The count is taken
        now, synchronously, so a pass that starts before the caller first awaits still counts."""
        begun = self._begun

        async def wait() -> None:
            async with self._passes:
                await self._passes.wait_for(
                    lambda: self._finished > begun and self.last_pass is not None and self.last_pass >= at)
        return wait()

    # -- one pass ------------------------------------------------------------------------------
    async def run_pass(self, now: datetime) -> datetime | None:
        """Schedule changed clocks, fire what is due at ``now``; return when to look again."""
        await self._schedule()
        while True:
            async with self._session() as s:
                due = (await s.scalars(select(C.id).where(
                    C.status == RUNNING, C.due_at.is_not(None),
                    (C.due_at <= now) | ((C.warn_at <= now) & C.warned_at.is_(None)))
                    .order_by(C.due_at).limit(self.batch))).all()
            for clock_id in due:
                await self._fire(clock_id, now)
            await self._schedule()
            if len(due) < self.batch:
                break
        async with self._session() as s:
            due_at, warn_at, pending = (await s.execute(select(
                select(func.min(C.due_at)).where(C.status == RUNNING).scalar_subquery(),
                select(func.min(C.warn_at)).where(C.status == RUNNING, C.warned_at.is_(None)).scalar_subquery(),
                select(func.count()).where(C.status == RUNNING, C.due_at.is_(None)).scalar_subquery(),
            ))).one()
        if pending:
            return now  # changed by someone while this pass ran
        moments = [m for m in (due_at, warn_at) if m is not None]
        return min(moments) if moments else None

    def due(self, row: Any) -> tuple[datetime, datetime | None]:
        """When a running clock runs out, and when to warn before that."""
        p = self.desk.promises
        if row.kind == "ack":
            budget, calendar = (p.ack_chat_seconds if row.channel == "chat" else p.ack_email_seconds), None
        elif row.kind == "first_response":
            budget, calendar = p.first_response_seconds, None
        else:
            intervals = p.update_interval_seconds
            budget, calendar = intervals.get(row.priority, max(intervals.values())), row.team
        cal = Calendar(self.hours, calendar)
        segments = facts.parse_segments(row.segments)
        running_since = segments[-1][0] if segments and segments[-1][1] is None else row.started_at
        due = cal.add(running_since, max(0.0, budget - cal.consumed(segments)))
        warning = p.warning_before_seconds
        # A warning only makes sense for a clock longer than it (not the 1-2 minute acknowledgement).
        warn_at = due - timedelta(seconds=warning) if 0 < warning < budget else None
        return due, warn_at

    async def _schedule(self) -> None:
        async with self._session() as s:
            rows = (await s.execute(select(TABLE).where(C.status == RUNNING, C.due_at.is_(None))
                                    .limit(self.batch * 10))).all()
            for row in rows:
                due, warn_at = self.due(row)
                await facts.cas(s, row.id, row.version, due_at=due, warn_at=warn_at)
            await s.commit()

    async def _fire(self, clock_id: int, now: datetime) -> None:
        async with self._session() as s:
            row = (await s.execute(select(TABLE).where(C.id == clock_id))).one_or_none()
            if row is None or row.status != RUNNING or row.due_at is None:
                return
            breach = row.due_at <= now
            if not breach and not (row.warn_at is not None and row.warn_at <= now and row.warned_at is None):
                return
            ticket = await s.get(Ticket, row.ticket_id)
            assert ticket is not None
            if await self._out_of_date(s, row, ticket, now):
                await s.commit()
                return
            if row.kind != "update":
                kept = (await facts.ack_evidence(s, row.conversation_id, row.channel) if row.kind == "ack"
                        else await facts.response_evidence(s, row.conversation_id, row.started_at))
                if kept is not None:  # kept, only nobody called the hook: record it now
                    await facts.satisfy(s, C.id == row.id, row.kind, kept)
                    await s.commit()
                    return
            if not breach:
                values: dict[str, Any] = {"warned_at": now}
            elif row.kind == "update":  # the next update is owed a full interval after the missed one
                values = {"breaches": row.breaches + 1, "breached_at": now, "warned_at": None,
                          "segments": [[facts.iso(row.due_at), None]], "due_at": None, "warn_at": None}
            else:
                values = {"status": facts.BREACHED, "breached_at": now, "warned_at": row.warned_at or now}
            if not await facts.cas(s, row.id, row.version, **values):
                await s.rollback()
                return  # another process fired it, or a hook changed it: it is re-read next pass
            kind = "breach" if breach else "warning"
            await alert(s, event=kind, clock=row, ticket=ticket, due=row.due_at, now=now,
                        management_email=self.management_email)
            await s.commit()
        log.warning("SLA %s: ticket %s %s due %s", kind, ticket.number, row.kind, row.due_at.isoformat())
        if self.observer is not None:
            (self.observer.sla_breach if breach else self.observer.sla_warning)(row.team, row.priority)

    @staticmethod
    async def _out_of_date(s: AsyncSession, row: Any, ticket: Ticket, now: datetime) -> bool:
        """Catch up with a ticket changed without the lifecycle functions (a status or team written
        directly): such a clock is brought in line and rescheduled instead of fired."""
        if ticket.status in ("resolved", "closed"):
            return await facts.stop(s, ticket.id, now) > 0
        if ticket.status == "waiting":
            return await facts.pause(s, ticket.id, now) > 0
        if row.kind == "update" and (row.team, row.priority) != (ticket.team, ticket.priority):
            return await facts.follow(s, ticket) > 0
        return False
