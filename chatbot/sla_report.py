"""`chatbot sla report --since …`: how well the promises were kept, per channel and team.

For the tickets whose request arrived in the period, per channel and team (the team the ticket was
routed to when it opened): how many acknowledgements and first human responses came within the
promise, how many late, how many are still open, and the p50/p95 of the time they took. A clock
stopped unmet (the ticket was resolved before anyone had to answer) owed nothing and is left out.
Times count only while the clock ran (not while the ticket waited for the customer).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.db import create_engine, session_factory, utcnow
from chatbot.desk import Desk, load_desk
from chatbot.settings import Settings
from chatbot.sla_clocks import BREACHED, LIVE, TABLE, parse_segments

CLOCKS = {"ack": "acknowledgement", "first_response": "first response"}


@dataclass
class Line:
    channel: str
    team: str
    clock: str
    within: int = 0
    late: int = 0
    open: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def owed(self) -> int:
        return self.within + self.late + self.open

    def summary(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "times"}
        return {**out, "owed": self.owed, "p50_seconds": percentile(self.times, 50),
                "p95_seconds": percentile(self.times, 95)}


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: a time that was actually measured, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def promise(desk: Desk, kind: str, channel: str) -> int:
    p = desk.promises
    if kind == "ack":
        return p.ack_chat_seconds if channel == "chat" else p.ack_email_seconds
    return p.first_response_seconds


def elapsed(row: Any, now: datetime) -> float:
    return sum(((end or now) - start).total_seconds() for start, end in parse_segments(row.segments))


async def build(sessions: async_sessionmaker[AsyncSession], desk: Desk, since: datetime,
                until: datetime) -> list[Line]:
    now = utcnow()
    lines: dict[tuple[str, str, str], Line] = {}
    async with sessions() as s:
        rows = (await s.execute(select(TABLE).where(
            TABLE.c.kind.in_(tuple(CLOCKS)), TABLE.c.started_at >= since, TABLE.c.started_at < until)
            .order_by(TABLE.c.id))).all()
    for row in rows:
        line = lines.setdefault((row.channel, row.team, row.kind), Line(row.channel, row.team, row.kind))
        limit = promise(desk, row.kind, row.channel)
        taken = elapsed(row, now)
        if row.met_at is not None:
            line.times.append(taken)
            if taken <= limit:
                line.within += 1
            else:
                line.late += 1
        elif row.status == BREACHED or (row.status in LIVE and taken > limit):
            line.late += 1
        elif row.status in LIVE:
            line.open += 1
    ordered = sorted(lines.values(), key=lambda x: (x.channel, x.team, list(CLOCKS).index(x.clock)))
    totals: dict[str, Line] = {}
    for x in ordered:
        t = totals.setdefault(x.clock, Line("all", "all", x.clock))
        t.within, t.late, t.open = t.within + x.within, t.late + x.late, t.open + x.open
        t.times += x.times
    return ordered + [totals[k] for k in CLOCKS if k in totals]


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def render(lines: list[Line], since: datetime, until: datetime) -> str:
    head = (f"SLA report for requests that arrived from {since.isoformat(timespec='seconds')} "
            f"to {until.isoformat(timespec='seconds')}\n\n"
            f"{'channel':8} {'team':11} {'clock':16} {'within promise':>16} {'late':>5} {'open':>5} "
            f"{'p50':>11} {'p95':>11}")
    if not lines:
        return head + "\n(no tickets in this period)"
    out = [head]
    for x in lines:
        share = f"{x.within}/{x.owed}" + (f" ({100 * x.within / x.owed:.1f}%)" if x.owed else "")
        out.append(f"{x.channel:8} {x.team:11} {CLOCKS[x.clock]:16} {share:>16} {x.late:>5} {x.open:>5} "
                   f"{duration(percentile(x.times, 50)):>11} {duration(percentile(x.times, 95)):>11}")
    return "\n".join(out)


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """An ISO date or date-time; without an offset it is the desk's local time (CET/CEST)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def register(sub: Any) -> None:
    """``chatbot sla report`` (called by chatbot/cli.py)."""
    sla = sub.add_parser("sla", help="service level: promises kept and missed")
    commands = sla.add_subparsers(dest="sla_command", required=True)
    report = commands.add_parser("report", help="acknowledgements and first responses within the promise")
    report.add_argument("--since", required=True, help="ISO date or date-time (local CET/CEST without offset)")
    report.add_argument("--until", help="ISO date or date-time; default: now")
    report.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    report.set_defaults(run=_run)


def _run(settings: Settings, args: argparse.Namespace) -> int:
    desk = load_desk(settings.desk_file or None)
    zone = ZoneInfo(desk.teams["support"].timezone if "support" in desk.teams else "Europe/Paris")
    try:
        since = parse_moment(args.since, zone)
        until = parse_moment(args.until, zone) if args.until else utcnow()
    except ValueError as exc:
        print(f"chatbot: --since/--until must be ISO dates like 2026-11-01 or 2026-11-01T08:00+01:00 ({exc})",
              file=sys.stderr)
        return 2

    async def run() -> list[Line]:
        engine = create_engine(settings.database_url)
        try:
            return await build(session_factory(engine), desk, since, until)
        finally:
            await engine.dispose()

    lines = asyncio.run(run())
    if args.json:
        for x in lines:
            print(json.dumps(x.summary()))
    else:
        print(render(lines, since, until))
    return 0
