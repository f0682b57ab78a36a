"""The `chatbot` command as an operator runs it."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from chatbot.migrate import schema_problem, upgrade
from tests.servers._common import free_port
from tests.servers.chatbot import ChatbotServe

CHATBOT = [sys.executable, "-m", "chatbot"]


def run(args: list[str], stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CHATBOT + args, input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_analyze_labels_each_line_and_reports_bad_lines() -> None:
    lines = [
        {"text": "plus rien ne répond sur mon VPS SSD-2 depuis 13h40", "channel": "chat",
         "now": "2026-09-14T15:00:00+02:00"},
        {"text": "Hallo, wann ist die Buchhaltung erreichbar?", "channel": "chat"},
        {"text": "Hi,\n\nplease refund order #3392017, the payment failed twice.\n\nThanks,\nAnna", "channel": "email",
         "subject": "Refund", "now": "2026-03-02T10:00:00Z"},
    ]
    stdin = "\n".join(json.dumps(l) for l in lines) + "\nnot json\n" + json.dumps({"channel": "chat"}) + "\n"
    out = run(["analyze"], stdin)
    assert out.returncode == 0, out.stderr
    results = [json.loads(l) for l in out.stdout.splitlines()]
    assert len(results) == 5
    fr, de, en, bad1, bad2 = results
    assert fr["lang"] == "fr" and fr["intent"] == "tech.outage" and fr["priority"] == "high"
    assert fr["team"] == "support" and fr["department"] == "technical"
    assert fr["slots"]["start_time"] == "2026-09-14T13:40:00+02:00"
    assert fr["slots"]["service"].lower() == "vps ssd-2"
    assert de["lang"] == "de" and de["intent"] == "faq.hours" and de["team"] is None
    assert en["lang"] == "en" and en["intent"] == "billing.refund" and en["slots"]["order"] == "3392017"
    assert "error" in bad1 and "error" in bad2


def test_db_upgrade_then_demo_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    env = {"CHATBOT_DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3"}
    up = run(["db", "upgrade"], env=env)
    assert up.returncode == 0, up.stderr
    assert (tmp_path / "fresh.sqlite3").exists()
    first, second = run(["demo"], env=env), run(["demo"], env=env)
    assert "demo data loaded" in first.stdout
    assert "already present" in second.stdout, "demo data loads only into an empty database"


def test_a_bad_setting_stops_with_a_sentence_naming_it() -> None:
    out = run(["db", "upgrade"], env={"CHATBOT_PORT": "eighty"})
    assert out.returncode == 2 and "CHATBOT_PORT" in out.stderr
    out = run(["db", "upgrade"], env={"CHATBOT_DATABASE_URL": "mysql://x"})
    assert out.returncode == 2 and "CHATBOT_DATABASE_URL" in out.stderr
    out = run(["db", "upgrade"], env={"CHATBOT_DATABASE_POOL_SIZE": "0"})
    assert out.returncode == 2 and "CHATBOT_DATABASE_POOL_SIZE" in out.stderr


def test_serve_refuses_a_database_without_this_releases_migrations(tmp_path: Path) -> None:
    env = {"CHATBOT_DATABASE_URL": f"sqlite:///{tmp_path}/old.sqlite3", "CHATBOT_PORT": str(free_port())}
    out = run(["serve"], env=env)  # nothing migrated at all
    assert out.returncode == 2 and "chatbot db upgrade" in out.stderr
    asyncio.run(upgrade(env["CHATBOT_DATABASE_URL"], "0008_recovery"))  # an older release's schema
    out = run(["serve"], env=env)
    assert out.returncode == 2 and "0011_turn_read_function" in out.stderr and "chatbot db upgrade" in out.stderr


async def test_a_fully_migrated_database_has_no_schema_problem(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.sqlite3"
    await upgrade(url)
    assert await schema_problem(url) is None


async def test_serve_warns_when_postgresql_could_not_take_its_whole_pool(pg_database: str, tmp_path: Path) -> None:
    server = ChatbotServe({**os.environ, "CHATBOT_DATABASE_URL": pg_database, "CHATBOT_SECRET_KEY": "x" * 32,
                           "CHATBOT_DATABASE_POOL_SIZE": "500"}, tmp_path)
    try:
        await server.serve()  # it serves all the same: other processes may give connections back
        warnings = [line["message"] for line in server.log_lines() if line.get("level") == "WARNING"]
    finally:
        await server.stopped()
    assert any("CHATBOT_DATABASE_POOL_SIZE 500" in w and "max_connections" in w for w in warnings), warnings
