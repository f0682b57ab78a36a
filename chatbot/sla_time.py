"""Time for the SLA clocks: an injectable clock, and time counted in a team's business hours.

The scheduler never reads the wall clock itself: it asks a ``Clock`` for "now" and to sleep until a
moment (or until woken), so tests drive it through weekends, nights, DST changes and holidays
without waiting, and can see exactly when it asked to wake up.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from chatbot.business_hours import BusinessHours
from chatbot.db import utcnow


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        """Return at ``when``, or earlier when ``wake`` is set."""


class SystemClock:
    def now(self) -> datetime:
        return utcnow()

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), delay)


class Calendar:
    """Seconds that count for a clock: every second (``team=None`` or a 24/7 team), or only those
    inside the team's business hours, holidays excluded, in the team's own zone."""

    def __init__(self, hours: BusinessHours, team: str | None) -> None:
        self.hours = hours
        always = team is None or team not in hours.teams or hours.is_always_open(team)
        self.team = None if always else team

    def seconds(self, start: datetime, end: datetime) -> float:
        """How many counting seconds lie between ``start`` and ``end``."""
        if end <= start:
            return 0.0
        if self.team is None:
            return (end - start).total_seconds()
        total, t = 0.0, start
        while t < end:
            opening = self.hours.next_opening(self.team, t)
            if opening >= end:
                break
            closing = self.hours.next_closing(self.team, opening)
            assert closing is not None, "a team with hours closes"
            total += (min(closing, end) - opening).total_seconds()
            t = closing
        return total

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment ``seconds`` counting seconds after ``start``: a billing clock started on
        Friday 17:55 CET with 4 hours to run ends on Monday 12:55 CET."""
        if self.team is None:
            return start + timedelta(seconds=seconds)
        t, left = start, seconds
        while True:
            opening = self.hours.next_opening(self.team, t)
            closing = self.hours.next_closing(self.team, opening)
            assert closing is not None, "a team with hours closes"
            available = (closing - opening).total_seconds()
            if left <= available:
                return opening + timedelta(seconds=left)
            left -= available
            t = closing

    def consumed(self, segments: Iterable[tuple[datetime, datetime | None]]) -> float:
        """Counting seconds of the closed segments (the open one is still running)."""
        return sum(self.seconds(start, end) for start, end in segments if end is not None)
