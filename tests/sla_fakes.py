"""A clock the tests move by hand, and helpers to build tickets at chosen moments.

``FakeClock.sleep_until`` returns only when the test moves time to the requested moment (or the
scheduler is woken), and it records what each sleeper asked for: a test can check that the
scheduler sleeps until exactly the next due moment rather than polling.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.desk import Route
from chatbot.models import Conversation, Ticket
from chatbot.tickets import open_ticket

OUTAGE = Route("technical", "support", "high", "complex")
WAIT = 10.0  # seconds: a safety net so that a broken scheduler fails the test instead of hanging it


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self._now = now
        self._tick = asyncio.Event()
        self._sleepers_changed = asyncio.Event()
        self.sleepers: dict[int, datetime] = {}

    def now(self) -> datetime:
        return self._now

    def advance_to(self, when: datetime) -> None:
        assert when >= self._now, "time only moves forward"
        self._now = when
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        key = id(wake)
        try:
            while self._now < when and not wake.is_set():
                self._set_sleeper(key, when)
                waiters = [asyncio.ensure_future(self._tick.wait()), asyncio.ensure_future(wake.wait())]
                try:
                    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for w in waiters:
                        w.cancel()
        finally:
            self._set_sleeper(key, None)

    def _set_sleeper(self, key: int, when: datetime | None) -> None:
        if when is None:
            self.sleepers.pop(key, None)
        else:
            self.sleepers[key] = when
        changed, self._sleepers_changed = self._sleepers_changed, asyncio.Event()
        changed.set()

    async def wait_sleepers(self, predicate: Callable[[list[datetime]], bool]) -> list[datetime]:
        """Wait until the sleeping schedulers' wake-up moments satisfy ``predicate``."""
        async def loop() -> list[datetime]:
            while not predicate(sorted(self.sleepers.values())):
                await self._sleepers_changed.wait()
            return sorted(self.sleepers.values())
        try:
            return await asyncio.wait_for(loop(), WAIT)
        except TimeoutError:
            raise AssertionError(f"sleepers never matched; they are {self.sleepers}") from None


async def settle(scheduler: Any, clock: FakeClock) -> None:
    """Make the scheduler look at the current fake time and wait until it has."""
    done = scheduler.passed(clock.now())
    scheduler.wake()
    await asyncio.wait_for(done, WAIT)


async def make_ticket(sessions: async_sessionmaker[AsyncSession], at: datetime, *, channel: str = "chat",
                      route: Route = OUTAGE,
                      customer_id: int | None = 1, conversation_id: str | None = None,
                      before: Callable[[AsyncSession, str], Any] | None = None) -> Ticket:
    """A ticket whose request arrived at ``at``; ``before`` may add messages or mails first."""
    async with sessions() as s:
        conv = Conversation(id=conversation_id or uuid.uuid4().hex, channel=channel, state={},
                            customer_id=customer_id, verified=customer_id is not None, created_at=at)
        s.add(conv)
        await s.flush()
        if before is not None:
            await before(s, conv.id)
            await s.flush()
        ticket = await open_ticket(s, conversation_id=conv.id, customer_id=customer_id, channel=channel,
                                   intent="tech.outage", route=route, lang="en", details={},
                                   summary="The server is completely down", received_at=at)
        await s.commit()
        return ticket
