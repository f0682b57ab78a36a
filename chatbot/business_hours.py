"""When each team of the desk is at work: open now?, next opening, next closing.

Everything here is a pure function of the instant it is given: there is no wall clock inside, so
tests, the SLA clocks and the answers all control "now". Hours are wall-clock times in the team's
IANA zone and are turned into instants day by day, so DST is zoneinfo's job: 09:00 Europe/Paris is
08:00 UTC in winter and 07:00 UTC in summer, and a change weekend shifts nothing by an hour.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatbot.desk import Desk, TeamConfig

ALWAYS = "24/7"
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Longer than any plausible run of holidays: past it a schedule has no opening at all.
_SEARCH_DAYS = 400
_DAYS_KEPT = 4096  # days' intervals kept by a BusinessHours (all teams): years of look-ups
_WINDOW = re.compile(r"^\s*(?P<days>[A-Za-z][A-Za-z,\- ]*?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class Window:
    """One weekly opening: these weekdays (0 = Monday) from ``start`` to ``end`` local time.

    ``end`` may be 24:00 (kept as minutes) and may be earlier than ``start`` for a night shift that
    ends the next morning.
    """

    weekdays: frozenset[int]
    start_minutes: int
    end_minutes: int

    @property
    def start(self) -> time:
        return time(self.start_minutes // 60, self.start_minutes % 60)

    @property
    def end(self) -> time:
        return time((self.end_minutes // 60) % 24, self.end_minutes % 60)


@dataclass(frozen=True)
class Schedule:
    team: str
    always: bool
    windows: tuple[Window, ...]
    zone: ZoneInfo
    holidays: frozenset[date]


def _minutes(text: str, where: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(f"{where}: invalid time {text!r}")
    return hours * 60 + minutes


def _weekdays(text: str, where: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        first, _, last = part.partition("-")
        if first[:3] not in DAY_CODES or (last and last[:3] not in DAY_CODES):
            raise ValueError(f"{where}: unknown day in {text!r} (use Mon, Tue, … Sun)")
        i, j = DAY_CODES.index(first[:3]), DAY_CODES.index((last or first)[:3])
        days.update((i + k) % 7 for k in range((j - i) % 7 + 1))  # "Fri-Mon" wraps the weekend
    return frozenset(days)


def parse_hours(hours: str, where: str = "hours") -> tuple[bool, tuple[Window, ...]]:
    """Read ``"24/7"`` or ``"Mon-Fri 09:00-18:00"``; several windows are separated by ``;``."""
    if hours.strip() == ALWAYS:
        return True, ()
    windows = []
    for chunk in hours.split(";"):
        match = _WINDOW.match(chunk)
        if not match:
            raise ValueError(f"{where}: cannot read {chunk.strip()!r} (expected '24/7' or 'Mon-Fri 09:00-18:00')")
        start, end = _minutes(match["start"], where), _minutes(match["end"], where)
        if start == end:
            raise ValueError(f"{where}: empty window {chunk.strip()!r}")
        windows.append(Window(_weekdays(match["days"], where), start, end))
    return False, tuple(windows)


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("business hours need an aware datetime; a naive one has no meaning here")
    return at.astimezone(UTC)


class BusinessHours:
    """Opening hours of every team of a desk; holidays from the desk, the team and ``holidays``."""

    def __init__(self, desk: Desk, holidays: Iterable[date] = ()) -> None:
        extra = frozenset(desk.holidays) | frozenset(holidays)
        self._schedules = {name: self._schedule(team, extra) for name, team in desk.teams.items()}
        self._days: dict[tuple[str, date], tuple[tuple[datetime, datetime], ...]] = {}

    @staticmethod
    def _schedule(team: TeamConfig, holidays: frozenset[date]) -> Schedule:
        where = f"teams.{team.name}"
        try:
            zone = ZoneInfo(team.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{where}: unknown time zone {team.timezone!r}") from exc
        always, windows = parse_hours(team.hours, f"{where}.hours")
        return Schedule(team.name, always, windows, zone, holidays | team.holidays)

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(self._schedules)

    def schedule(self, team: str) -> Schedule:
        try:
            return self._schedules[team]
        except KeyError:
            raise KeyError(f"unknown team {team!r}; known: {', '.join(self._schedules)}") from None

    def zone(self, team: str) -> ZoneInfo:
        return self.schedule(team).zone

    def is_always_open(self, team: str) -> bool:
        return self.schedule(team).always

    def _intervals(self, sched: Schedule, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals in UTC, in start order, from the local day before ``at`` onwards.

        Starting a day early catches a night shift that began yesterday. Instants are compared in
        UTC because Python compares two datetimes sharing one tzinfo by wall time, ignoring fold.
        """
        first = at.astimezone(sched.zone).date() - timedelta(days=1)
        for offset in range(_SEARCH_DAYS):
            yield from self._day(sched, first + timedelta(days=offset))

    def _day(self, sched: Schedule, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The intervals that open on ``day`` (local), in start order; none on a holiday. Kept once
        computed: every answer, ticket and SLA clock of a day asks about the same few days."""
        key = (sched.team, day)
        intervals = self._days.get(key)
        if intervals is not None:
            return intervals
        todays = []
        if day not in sched.holidays:
            midnight = datetime.combine(day, time(0), tzinfo=sched.zone)
            for w in sched.windows:
                if day.weekday() not in w.weekdays:
                    continue
                end_minutes = w.end_minutes if w.end_minutes > w.start_minutes else w.end_minutes + 1440
                # Wall-clock arithmetic (aware + timedelta keeps the wall time), then to UTC.
                start = (midnight + timedelta(minutes=w.start_minutes)).astimezone(UTC)
                end = (midnight + timedelta(minutes=end_minutes)).astimezone(UTC)
                todays.append((start, end))
        if len(self._days) >= _DAYS_KEPT:
            self._days.clear()
        intervals = self._days[key] = tuple(sorted(todays))
        return intervals

    def is_open(self, team: str, at: datetime) -> bool:
        utc = _require_aware(at)
        sched = self.schedule(team)
        if sched.always:
            return True
        for start, end in self._intervals(sched, at):
            if start > utc + timedelta(days=2):
                return False
            if start <= utc < end:
                return True
        return False

    def next_opening(self, team: str, at: datetime) -> datetime:
        """The first instant at or after ``at`` when the team works (``at`` itself when open now).

        Returned in the team's zone, so it prints as the team's local time.
        """
        utc = _require_aware(at)
        sched = self.schedule(team)
        if sched.always:
            return at.astimezone(sched.zone)
        for start, end in self._intervals(sched, at):
            if end > utc:
                return max(start, utc).astimezone(sched.zone)
        raise ValueError(f"team {team!r} has no opening within {_SEARCH_DAYS} days of {at.isoformat()}")

    def next_closing(self, team: str, at: datetime) -> datetime | None:
        """When the team stops working: the end of the current (or else the next) opening.

        Back-to-back windows count as one opening. None for a 24/7 team, which never closes.
        """
        utc = _require_aware(at)
        sched = self.schedule(team)
        if sched.always:
            return None
        closing: datetime | None = None
        for start, end in self._intervals(sched, at):
            if closing is None:
                if end > utc:
                    closing = end
            elif start <= closing:
                closing = max(closing, end)
            else:
                break
        if closing is None:
            raise ValueError(f"team {team!r} has no opening within {_SEARCH_DAYS} days of {at.isoformat()}")
        return closing.astimezone(sched.zone)

    def first_response_eta(self, team: str, at: datetime) -> datetime:
        """The earliest moment ``team`` can start on a request arriving at ``at``.

        For a closed team that is its next opening ("the billing team is back Monday 09:00 CET");
        the desk's 10-minute first-response promise is kept by the 24/7 support engineers meanwhile.
        """
        return self.next_opening(team, at)
