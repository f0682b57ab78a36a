"""`chatbot sla report`: per channel and team, acknowledgements and first responses within the
promise, late and still open, with their p50/p95 times."""
from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from chatbot.cli import main
from chatbot.db import create_engine, session_factory, utcnow
from chatbot.demo import load_demo_data
from chatbot.desk import Route, load_desk
from chatbot.models import Ticket
from chatbot.sla import record_ack, record_human_response
from chatbot.sla_report import build, render
from chatbot.tickets import set_status
from tests.sla_fakes import make_ticket

T0 = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
BILLING = Route("billing", "billing", "regular", "simple")


async def answered(sessions: Any, at: datetime, ack: float | None, response: float | None, **kw: Any) -> Ticket:
    ticket = await make_ticket(sessions, at, **kw)
    async with sessions() as db:
        if ack is not None:
            await record_ack(db, ticket.conversation_id, at + timedelta(seconds=ack))
        if response is not None:
            await record_human_response(db, ticket.conversation_id, at + timedelta(seconds=response))
        await db.commit()
    return ticket


async def test_the_report_counts_kept_late_and_open_promises_with_percentiles(sessions) -> None:
    now = utcnow()
    await answered(sessions, T0, 2, 240)
    await answered(sessions, T0, 5, 700)  # the first response came late
    await answered(sessions, now - timedelta(seconds=30), 90, None)  # late ack; the response is still due
    await answered(sessions, T0, 100, 300, channel="email", route=BILLING)
    resolved = await make_ticket(sessions, T0, channel="email", route=BILLING)
    async with sessions() as db:  # resolved before anyone owed anything: left out
        await set_status(db, await db.get(Ticket, resolved.id), "resolved", "agent:ana@introserv.com", at=T0)
        await db.commit()
    await answered(sessions, T0 - timedelta(days=3), 500, 5000)  # before the period

    lines = await build(sessions, load_desk(), T0 - timedelta(hours=1), now + timedelta(hours=1))
    got = {(x.channel, x.team, x.clock): (x.within, x.late, x.open) for x in lines}
    assert got == {
        ("chat", "support", "ack"): (2, 1, 0),
        ("chat", "support", "first_response"): (1, 1, 1),
        ("email", "billing", "ack"): (1, 0, 0),
        ("email", "billing", "first_response"): (1, 0, 0),
        ("all", "all", "ack"): (3, 1, 0),
        ("all", "all", "first_response"): (2, 1, 1),
    }
    table = render(lines, T0, now)
    assert "chat     support     acknowledgement       2/3 (66.7%)     1     0         5 s  1 min 30 s" in table
    assert "chat     support     first response        1/3 (33.3%)     1     1  4 min 00 s 11 min 40 s" in table
    assert "email    billing     acknowledgement      1/1 (100.0%)     0     0  1 min 40 s  1 min 40 s" in table


def test_the_command_prints_the_table_or_json_lines(database_url, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHATBOT_DATABASE_URL", database_url)

    async def setup() -> None:
        engine = create_engine(database_url)
        try:
            sessions = session_factory(engine)
            await load_demo_data(sessions)
            await answered(sessions, T0, 30, 420)
        finally:
            await engine.dispose()

    asyncio.run(setup())
    assert main(["sla", "report", "--since", "2026-11-18", "--until", "2026-11-19T00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert "from 2026-11-18T00:00:00+01:00 to 2026-11-19T00:00:00+01:00" in out, "a date is the desk's midnight"
    assert "chat     support     first response       1/1 (100.0%)     0     0  7 min 00 s  7 min 00 s" in out
    assert main(["sla", "report", "--since", "2026-11-18", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(r["channel"], r["clock"], r["within"], r["p95_seconds"]) for r in rows} == {
        ("chat", "ack", 1, 30.0), ("chat", "first_response", 1, 420.0),
        ("all", "ack", 1, 30.0), ("all", "first_response", 1, 420.0)}
    assert main(["sla", "report", "--since", "last tuesday"]) == 2
