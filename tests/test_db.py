"""chatbot/db.py: the engine's pool after a failover is in tests/scale/test_pool.py; here, the
hot path's statements run straight on aiosqlite (`Compiled`) must write and read exactly what
SQLAlchemy itself writes and reads, or the ORM would misread what the hot path stored."""
from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select

from chatbot.db import Compiled, create_engine, driver_connection, session_factory
from chatbot.models import Conversation

WHEN = datetime(2026, 11, 22, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
async def sqlite_sessions(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Any]:
    """SQLite only: PostgreSQL's hot path is hand-written SQL on asyncpg, with asyncpg's own types."""
    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    yield session_factory(engine)
    await engine.dispose()


async def test_what_compiled_writes_the_orm_reads_and_the_other_way_round(sqlite_sessions: Any) -> None:
    sessions = sqlite_sessions
    engine = sessions.kw["bind"]
    write = Compiled(insert(Conversation).values(
        id=bindparam("id"), channel="chat", contact=None, state=bindparam("state"), verified=bindparam("verified"),
        status="bot", created_at=bindparam("when"), updated_at=bindparam("when")), engine.dialect)
    read = Compiled(select(Conversation.state, Conversation.verified, Conversation.created_at)
                    .where(Conversation.id == bindparam("id")), engine.dialect)
    async with driver_connection(engine) as db:
        await write.fetch(db, {"id": "raw", "state": {"flow": "incident", "slots": {"ip": "203.0.113.7"}},
                               "verified": True, "when": WHEN})
        await db.commit()
    async with sessions() as s:
        raw = await s.get(Conversation, "raw")
        assert raw is not None
        assert (raw.state, raw.verified, raw.created_at) == (
            {"flow": "incident", "slots": {"ip": "203.0.113.7"}}, True, WHEN.astimezone(UTC))
        s.add(Conversation(id="orm", channel="email", state={"asked": ["ip"]}, verified=False, created_at=WHEN,
                           updated_at=WHEN))
        await s.commit()
    async with driver_connection(engine) as db:
        [(state, verified, created_at)] = await read.fetch(db, {"id": "orm"})
    assert (state, verified, created_at) == ({"asked": ["ip"]}, False, WHEN.astimezone(UTC))
    assert created_at.tzinfo is not None
    # Stored alike, to the character: SQL compares and orders these columns as text.
    async with driver_connection(engine) as db:
        stored = await db.execute_fetchall("SELECT id, created_at, verified FROM conversations"
                                           " WHERE id IN ('raw', 'orm') ORDER BY id DESC")
    assert [tuple(row[1:]) for row in stored] == [(stored[1][1], 1), (stored[1][1], 0)]
    assert stored[0][1] == "2026-11-22 01:04:05.678901", "UTC, SQLAlchemy's format"
