"""`chatbot agents add|list` as an operator runs it, against a real database file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chatbot.agents.auth import AgentAuth
from chatbot.db import create_engine, session_factory

CHATBOT = [sys.executable, "-m", "chatbot"]


def run(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHATBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(CHATBOT + args, input=stdin, capture_output=True, text=True, timeout=120, env=env,
                          check=False)


async def test_an_operator_adds_an_agent_who_can_then_sign_in(tmp_path: Path) -> None:
    db = tmp_path / "agents.sqlite3"
    assert run(["db", "upgrade"], db).returncode == 0
    added = run(["agents", "add", "--name", "Anna Nowak", "--email", "Anna@Introserv.com", "--teams",
                 "support,billing", "--password-stdin"], db, "a long enough secret\n")
    assert added.returncode == 0, added.stderr
    assert "anna@introserv.com" in added.stdout and "a long enough secret" not in added.stdout + added.stderr
    listed = run(["agents", "list"], db)
    assert listed.stdout.split("\t")[:3] == ["anna@introserv.com", "Anna Nowak", "agent"]

    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        login = await AgentAuth(session_factory(engine)).login("anna@introserv.com", "a long enough secret", None)
    finally:
        await engine.dispose()
    assert login.agent.teams == ("support", "billing")


def test_bad_teams_roles_and_short_passwords_are_refused_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "agents.sqlite3"
    run(["db", "upgrade"], db)
    unknown = run(["agents", "add", "--name", "A", "--email", "a@introserv.com", "--teams", "sales"], db, "x" * 12)
    assert unknown.returncode == 2 and "unknown team(s) sales" in unknown.stderr
    short = run(["agents", "add", "--name", "A", "--email", "a@introserv.com", "--password-stdin"], db, "short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    role = run(["agents", "add", "--name", "A", "--email", "a@introserv.com", "--role", "root"], db, "x" * 12)
    assert role.returncode == 2 and "invalid choice" in role.stderr
    assert run(["agents", "list"], db).stdout == ""
