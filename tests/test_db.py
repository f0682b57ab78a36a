"""chatbot/db.py: the engine's pool after a failover is in tests/scale/test_pool.py; here, the
hot path's statements run straight on aiosqlite (`Compiled`) must write and read exactly what
SQLAlchemy itself writes and reads, or the ORM would misread what the hot path stored; and group
commit (`GroupCommit`) must hand every sender its own result, whatever happens to the others.
tests/test_conversations.py runs it on both databases."""
from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select

from chatbot.db import (
    Compiled,
    GroupCommit,
    connections_problem,
    create_engine,
    driver_connection,
    session_factory,
)
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


class Storage:
    """A store for GroupCommit whose batches wait until ``gate`` is open (a database round trip that
    lasts as long as the test wants), records the batches, and refuses negative numbers (the way a
    database refuses a bad row: the whole batch fails)."""

    def __init__(self, gate_open: bool = True) -> None:
        self.gate = asyncio.Event()
        if gate_open:
            self.gate.set()
        self.batches: list[list[int]] = []
        self.running = self.most_running = 0

    async def __call__(self, batch: list[int]) -> list[str]:
        self.batches.append(list(batch))
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            await self.gate.wait()
        finally:
            self.running -= 1
        if any(n < 0 for n in batch):
            raise ValueError("negative")
        return [f"stored {n}" for n in batch]


async def settle() -> None:
    """Let every task that can run do so (no clock involved)."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_group_commit_stores_alone_when_quiet_and_together_when_busy() -> None:
    storage = Storage()
    group = GroupCommit(storage, "numbers", in_flight=2)
    assert await group.submit(1) == "stored 1"  # nothing in flight: at once, alone
    results = await asyncio.gather(*(group.submit(n) for n in range(2, 42)))
    assert results == [f"stored {n}" for n in range(2, 42)]  # each sender gets its own result
    assert storage.batches == [[1], list(range(2, 42))]


async def test_group_commit_keeps_no_more_batches_in_flight_than_allowed() -> None:
    storage = Storage(gate_open=False)
    group = GroupCommit(storage, "numbers", in_flight=3)
    senders = []
    for n in range(10):  # one at a time, while the batches already started are still in flight
        senders.append(asyncio.create_task(group.submit(n)))
        await settle()
    assert storage.running == 3 and storage.batches == [[0], [1], [2]]  # the other seven wait
    storage.gate.set()
    assert await asyncio.gather(*senders) == [f"stored {n}" for n in range(10)]
    assert storage.most_running == 3 and storage.batches[3:] == [list(range(3, 10))]  # together


async def test_group_commit_fails_only_the_item_that_cannot_be_stored() -> None:
    storage = Storage()
    group = GroupCommit(storage, "numbers")
    results = await asyncio.gather(*(group.submit(n) for n in [1, 2, -3, 4, 5]), return_exceptions=True)
    assert results[:2] == ["stored 1", "stored 2"] and results[3:] == ["stored 4", "stored 5"]
    assert isinstance(results[2], ValueError)
    assert await group.submit(6) == "stored 6"  # and it goes on


async def test_group_commit_leaves_nobody_waiting_when_a_sender_gives_up_or_the_server_stops() -> None:
    storage = Storage(gate_open=False)
    group = GroupCommit(storage, "numbers", in_flight=1)
    first, second, third = (asyncio.create_task(group.submit(n)) for n in (1, 2, 3))
    await settle()
    second.cancel()  # its sender stops waiting while its batch is in flight: the others still get theirs
    await settle()
    storage.gate.set()
    assert await first == "stored 1" and await third == "stored 3"
    with pytest.raises(asyncio.CancelledError):
        await second

    storage = Storage(gate_open=False)
    group = GroupCommit(storage, "numbers", in_flight=1)
    in_flight = asyncio.create_task(group.submit(0))
    await settle()
    queued = [asyncio.create_task(group.submit(n)) for n in range(1, 10)]
    await settle()
    assert storage.batches == [[0]]
    for task in asyncio.all_tasks():
        if task.get_name() == "numbers":
            task.cancel()  # the server stopping, a batch in flight and nine items behind it
    done, pending = await asyncio.wait([in_flight, *queued], timeout=2)
    assert not pending and all(t.cancelled() for t in done)


async def test_group_commit_tells_what_it_stored_for_a_sender_that_gave_up() -> None:
    # (What the turn locks rely on to give back a lock taken for a turn that was cancelled meanwhile.)
    storage, abandoned = Storage(gate_open=False), []
    group = GroupCommit(storage, "numbers", in_flight=1, abandoned=lambda item, result: abandoned.append((item, result)))
    first, second = asyncio.create_task(group.submit(1)), asyncio.create_task(group.submit(2))
    await settle()
    second.cancel()
    await settle()
    storage.gate.set()
    assert await first == "stored 1"
    await settle()
    assert abandoned == [(2, "stored 2")]


async def test_startup_says_when_postgresql_has_no_room_for_this_process_pool(database_url: str) -> None:
    assert await connections_problem(database_url, 30, 10) is None  # the default fits a fresh server
    problem = await connections_problem(database_url, 500, 10)
    if database_url.startswith("sqlite"):
        assert problem is None  # one file, no connection limit
    else:
        assert problem is not None and "CHATBOT_DATABASE_POOL_SIZE 500" in problem and "max_connections" in problem
