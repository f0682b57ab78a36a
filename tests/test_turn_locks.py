"""A process's turn locks on PostgreSQL (chatbot/turn_locks.py), with the real pipeline and database."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.conversations import FIRST_READ, TURN_LOCKS_READ, ConversationStore
from chatbot.db import create_engine, session_factory
from chatbot.desk import load_desk
from chatbot.knowledge import Knowledge
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.pipeline import Pipeline, Turn
from chatbot.settings import Settings
from chatbot.turn_locks import TurnLockLost, TurnLocks, _turn_key
from chatbot.understanding import Analyzer

NOW = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)


class Gate:
    """A first step that holds every turn until ``opened`` is set, counting the turns inside."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.inside = 0
        self.most_inside = 0

    async def __call__(self, turn: Turn) -> None:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            await self.opened.wait()
        finally:
            self.inside -= 1


@pytest.fixture
async def admin(pg_database: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    yield conn
    await conn.close()


async def gated_pipeline(database_url: str, gate: Gate, pool_size: int) -> tuple[Pipeline, AsyncEngine]:
    desk = load_desk()
    settings = Settings(database_url=database_url, secret_key="test")
    engine = create_engine(database_url, pool_size=pool_size, max_overflow=0)
    sessions = session_factory(engine)
    steps = default_steps(settings, desk, Analyzer(desk), Knowledge(desk, BusinessHours(desk)))
    return Pipeline(sessions, ConversationStore(sessions), [gate, *steps]), engine


def hello(conversation_id: str) -> InboundMessage:
    return InboundMessage(channel="chat", conversation_id=conversation_id, text="hello", received_at=NOW)


async def test_turns_in_flight_are_not_capped_by_the_connection_pool(pg_database: str) -> None:
    # Each turn used to hold a pooled connection for its whole length: a pool of 2 let 2 turns run
    # at once and kept the others waiting. Now the turns' locks share one connection.
    gate = Gate()
    pipeline, engine = await gated_pipeline(pg_database, gate, pool_size=2)
    said: dict[str, list[OutboundMessage]] = {}
    batches: list[tuple[str, int]] = []
    assert pipeline.turn_locks is not None
    pipeline.turn_locks.observe_batches(lambda kind, size: batches.append((kind, size)))

    async def turn(cid: str) -> None:
        async def emit(out: OutboundMessage) -> None:
            said.setdefault(cid, []).append(out)
        await pipeline.handle(hello(cid), emit)

    try:
        cids = [uuid.uuid4().hex for _ in range(12)]
        turns = asyncio.gather(*(turn(cid) for cid in cids))
        for _ in range(100):
            if gate.inside == len(cids):
                break
            await asyncio.sleep(0.05)
        assert gate.most_inside == len(cids), "every turn is under way at once"
        gate.opened.set()
        await asyncio.wait_for(turns, 10)
        assert all(said[cid] and said[cid][-1].kind == "answer" for cid in cids)
        # Twelve locks taken together, in fewer round trips than turns, and all given back.
        taken = [size for kind, size in batches if kind == "turn_locks"]
        assert sum(taken) == len(cids) and len(taken) < len(cids), taken
        assert sum(size for kind, size in batches if kind == "turn_releases") == len(cids)
    finally:
        gate.opened.set()
        await engine.dispose()


async def test_a_turn_whose_locks_connection_is_lost_stores_nothing_more_and_stays_owed(
        pg_database: str, admin: asyncpg.Connection) -> None:
    gate = Gate()
    pipeline, engine = await gated_pipeline(pg_database, gate, pool_size=5)
    cid, said = uuid.uuid4().hex, []

    async def emit(out: OutboundMessage) -> None:
        said.append(out)
    try:
        turn = asyncio.create_task(pipeline.handle(hello(cid), emit))
        while gate.inside == 0:
            await asyncio.sleep(0.01)
        assert not await admin.fetchval("SELECT pg_try_advisory_lock($1)", _turn_key(cid)), "the turn holds it"
        # The backend holding the conversation's lock (a bigint key: its high and low 32 bits)
        key = _turn_key(cid) & 0xFFFF_FFFF_FFFF_FFFF
        holder = await admin.fetchval(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            " AND classid = $1 AND objid = $2", key >> 32, key & 0xFFFF_FFFF)
        assert holder is not None and await admin.fetchval("SELECT pg_terminate_backend($1)", holder)
        # Another process may take the conversation now...
        for _ in range(100):
            if await admin.fetchval("SELECT pg_try_advisory_lock($1)", _turn_key(cid)):
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the lock was not released with its connection")
        await admin.fetchval("SELECT pg_advisory_unlock($1)", _turn_key(cid))
        await asyncio.sleep(0.2)  # asyncpg sees the closed socket
        # ... so this turn must not write any more: it fails, and its message stays owed.
        gate.opened.set()
        with pytest.raises(TurnLockLost):
            await asyncio.wait_for(turn, 10)
        assert said == []
        assert await admin.fetchval("SELECT count(*) FROM messages WHERE conversation_id = $1"
                                    " AND author = 'bot'", cid) == 0
        assert await admin.fetchval("SELECT count(*) FROM pending_turns WHERE conversation_id = $1", cid) == 1
        # The process goes on: the next turn takes its lock on a new connection.
        await asyncio.wait_for(pipeline.handle(hello(uuid.uuid4().hex), emit), 10)
        assert said and said[-1].kind == "answer"
    finally:
        gate.opened.set()
        await engine.dispose()


async def test_a_lock_taken_for_a_turn_cancelled_meanwhile_is_given_back(
        pg_database: str, admin: asyncpg.Connection) -> None:
    engine = create_engine(pg_database)
    locks = TurnLocks(engine, TURN_LOCKS_READ, FIRST_READ)
    try:
        cids = [uuid.uuid4().hex for _ in range(3)]
        # The first starts a batch; the two others wait for the next one, and one of them is cancelled.
        first, *waiting = (asyncio.create_task(locks.acquire(_turn_key(cid), cid)) for cid in cids)
        await asyncio.sleep(0)
        waiting[0].cancel()
        held = [h for h in (await first, await waiting[1]) if h is not None]
        assert len(held) == 2, "both free locks taken"
        for h in held:
            await h.release()
        for _ in range(100):  # every lock free again, the cancelled turn's too
            free = [await admin.fetchval("SELECT pg_try_advisory_lock($1)", _turn_key(cid)) for cid in cids]
            for cid, was_free in zip(cids, free):
                if was_free:
                    await admin.fetchval("SELECT pg_advisory_unlock($1)", _turn_key(cid))
            if all(free):
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail(f"locks still held: {free}")
    finally:
        await engine.dispose()
