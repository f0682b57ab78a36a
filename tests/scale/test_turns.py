"""Two server processes share one database: the first message of a conversation may be accepted by
both at once, and the turns of one conversation may run on both at once. Each pipeline below has
its own engine and connection pool, as a separate process would."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.conversations import _LOAD_CONVERSATION, FIRST_READ, ConversationStore
from chatbot.db import create_engine, session_factory
from chatbot.desk import load_desk
from chatbot.knowledge import Knowledge
from chatbot.turn_locks import _turn_key
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.pipeline import Pipeline, Turn
from chatbot.settings import Settings
from chatbot.tickets import STATUSES
from chatbot.understanding import Analyzer

NOW = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
UNCLEAR = "blorp zzkx qwv"  # not understood, whatever the language
CONVERSATIONS = 12  # enough overlapping pairs that an unserialised race shows up


class Rendezvous:
    """A first step that holds each turn until the other process's turn of the same conversation
    has started too (or a second has passed). Unserialised turns then overlap every time; serialised
    ones cannot meet, and the first goes on alone after the wait."""

    def __init__(self) -> None:
        self.arrived: dict[str, asyncio.Event] = {}
        self.count: dict[str, int] = {}

    async def __call__(self, turn: Turn) -> None:
        cid = turn.inbound.conversation_id
        if turn.inbound.text != UNCLEAR:
            return
        event = self.arrived.setdefault(cid, asyncio.Event())
        self.count[cid] = self.count.get(cid, 0) + 1
        if self.count[cid] == 2:
            event.set()
        try:
            await asyncio.wait_for(event.wait(), 1.0)
        except TimeoutError:
            pass


@pytest.fixture
async def two_pipelines(database_url: str) -> AsyncIterator[tuple[Pipeline, Pipeline]]:
    async for pair in pipelines_on(database_url):
        yield pair


@pytest.fixture
async def two_pipelines_on_postgresql(pg_database: str) -> AsyncIterator[tuple[Pipeline, Pipeline]]:
    # SQLite is the single-process embedded store: one process, one asyncio lock, nothing to test.
    async for pair in pipelines_on(pg_database):
        yield pair


async def pipelines_on(database_url: str) -> AsyncIterator[tuple[Pipeline, Pipeline]]:
    desk = load_desk()
    analyzer, knowledge = Analyzer(desk), Knowledge(desk, BusinessHours(desk))
    settings = Settings(database_url=database_url, secret_key="test")
    engines = [create_engine(database_url) for _ in range(2)]
    rendezvous = Rendezvous()
    pipelines = []
    for engine in engines:
        sessions = session_factory(engine)
        pipelines.append(Pipeline(sessions, ConversationStore(sessions),
                                  [rendezvous, *default_steps(settings, desk, analyzer, knowledge)]))
    yield pipelines[0], pipelines[1]
    for engine in engines:
        await engine.dispose()


def message(conversation_id: str, text: str) -> InboundMessage:
    return InboundMessage(channel="chat", conversation_id=conversation_id, text=text, received_at=NOW)


async def test_the_first_message_taken_by_two_processes_at_once_starts_one_conversation(
        two_pipelines: tuple[Pipeline, Pipeline]) -> None:
    a, b = two_pipelines
    ids = [uuid.uuid4().hex for _ in range(CONVERSATIONS)]
    accepted = await asyncio.gather(*(p.accept(message(cid, "hello")) for cid in ids for p in (a, b)))
    for cid in ids:
        mine = [acc for acc in accepted if acc.conversation_id == cid]
        assert len(mine) == 2 and len({acc.message_id for acc in mine}) == 2
        # exactly one of the two is the conversation's first message: one visible acknowledgement
        assert sorted(acc.is_first for acc in mine) == [False, True]
        history = await a.store.history(cid)
        assert [m["author"] for m in history] == ["customer", "customer"]


async def test_a_retry_landing_on_another_process_at_the_same_time_is_stored_once(
        two_pipelines: tuple[Pipeline, Pipeline]) -> None:
    a, b = two_pipelines
    cid = uuid.uuid4().hex
    inbound = InboundMessage(channel="chat", conversation_id=cid, text="hello", received_at=NOW,
                             client_id="retry-1")
    first, second = await asyncio.gather(a.accept(inbound), b.accept(inbound))
    assert first.message_id == second.message_id
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
    assert len(await a.store.history(cid)) == 1


async def test_turns_of_one_conversation_on_two_processes_run_one_after_the_other(
        two_pipelines_on_postgresql: tuple[Pipeline, Pipeline]) -> None:
    a, b = two_pipelines_on_postgresql
    # Two messages the bot does not understand: the second must see the first's count and hand the
    # conversation to a person. Run unserialised, both would read "nothing misunderstood yet".
    ids = [uuid.uuid4().hex for _ in range(CONVERSATIONS)]
    for cid in ids:  # the conversation exists and has had its first-message acknowledgement
        await a.handle(message(cid, "hello"), _discard)

    said: dict[str, list[OutboundMessage]] = {cid: [] for cid in ids}

    async def turn(p: Pipeline, cid: str) -> None:
        async def emit(out: OutboundMessage) -> None:
            said[cid].append(out)
        await p.handle(message(cid, UNCLEAR), emit)

    await asyncio.gather(*(turn(p, cid) for cid in ids for p in (a, b)))
    for cid in ids:
        assert sorted(m.kind for m in said[cid]) == ["answer", "handoff"], said[cid]


async def test_a_turn_waiting_for_the_lock_reads_what_the_holder_committed_meanwhile(
        two_pipelines_on_postgresql: tuple[Pipeline, Pipeline], pg_database: str) -> None:
    # The lock and the turn's first read go in one round trip: the read must still come after the
    # lock, in a snapshot that sees the holder's last commit (a single statement's would not).
    a, b = two_pipelines_on_postgresql
    earlier, cid = uuid.uuid4().hex, uuid.uuid4().hex
    for conversation in (earlier, cid):
        await a.handle(message(conversation, "hello"), _discard)
    await b.handle(message(earlier, UNCLEAR), _discard)  # the state one misunderstanding leaves
    admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        [state] = await admin.fetch("SELECT state::text FROM conversations WHERE id = $1", earlier)
        await admin.execute("SELECT pg_advisory_lock($1)", _turn_key(cid))  # another process's turn
        said: list[OutboundMessage] = []

        async def emit(out: OutboundMessage) -> None:
            said.append(out)
        turn = asyncio.create_task(a.handle(message(cid, UNCLEAR), emit))
        for _ in range(500):
            if await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"):
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the turn never waited for the lock")
        # The holder's turn misunderstood the visitor too, and commits that before letting go.
        await admin.execute("UPDATE conversations SET state = $2::json WHERE id = $1", cid, state[0])
        await admin.execute("SELECT pg_advisory_unlock($1)", _turn_key(cid))
        await asyncio.wait_for(turn, 30)
    finally:
        await admin.close()
    assert [m.kind for m in said] == ["handoff"], "the second misunderstanding hands off"


@pytest.mark.parametrize("text", ["what are your support hours?", UNCLEAR])
async def test_a_finished_turn_leaves_its_conversation_unlocked_and_owing_nothing(
        two_pipelines_on_postgresql: tuple[Pipeline, Pipeline], pg_database: str, text: str) -> None:
    # The turn's last statement (the pending row's delete) and the unlock share a round trip: the
    # lock must still go, after the commit, whether the turn changed the conversation's state or not.
    a, _ = two_pipelines_on_postgresql
    cid = uuid.uuid4().hex
    await a.handle(message(cid, "hello"), _discard)
    said: list[OutboundMessage] = []

    async def emit(out: OutboundMessage) -> None:
        said.append(out)
    await a.handle(message(cid, text), emit)
    assert said and said[-1].kind in ("answer", "question")
    admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await admin.fetchval("SELECT pg_try_advisory_lock($1)", _turn_key(cid)), "free for the next turn"
        assert await admin.fetchval("SELECT count(*) FROM pending_turns WHERE conversation_id = $1", cid) == 0
        assert await admin.fetchval(  # the turn's connection went back to the pool with nothing open
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%' AND (query LIKE '%pending_turns%'"
            " OR query LIKE '%lock_turn%read%' OR query LIKE '%INSERT INTO messages%')") == 0
    finally:
        await admin.close()


async def _discard(out: OutboundMessage) -> None:
    return None


@pytest.mark.parametrize("statuses", [(), *((status,) for status in STATUSES), STATUSES])
async def test_the_turn_lock_reads_the_conversation_and_its_open_ticket_as_the_store_does(
        pg_database: str, statuses: tuple[str, ...]) -> None:
    # The lock's read is SQL written in a migration (0011); the store's own read is built from the
    # models and OPEN_STATUSES. A turn must see the same conversation and open ticket through both.
    cid = uuid.uuid4().hex
    admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(
            "INSERT INTO conversations (id, channel, lang, verified, status, contact, state, created_at, updated_at)"
            " VALUES ($1, 'email', 'pl', true, 'bot', 'a@example.com', '{\"flow\": \"incident\"}', now(), now())", cid)
        for status in statuses:
            await admin.execute(
                "INSERT INTO tickets (conversation_id, channel, intent, department, team, priority, status,"
                " details, summary, received_at, created_at, updated_at)"
                " VALUES ($1, 'email', 'server_down', 'support', 'support', 'high', $2, '{}', '', now(), now(), now())",
                cid, status)
        by_lock = await admin.fetchrow(FIRST_READ, _turn_key(cid), cid)
        await admin.execute("SELECT pg_advisory_unlock($1)", _turn_key(cid))
        by_store = await admin.fetchrow(_LOAD_CONVERSATION, cid)
        assert tuple(by_lock) == tuple(by_store)
        assert by_lock[0] == cid and by_lock[7] == '{"flow": "incident"}'
        expected_open = [s for s in statuses if s in ("new", "open", "waiting", "escalated")]
        assert (by_lock[-1] is not None) == bool(expected_open)
        assert await admin.fetchrow(FIRST_READ, _turn_key(cid), "no such conversation") is None
        assert await admin.fetchval("SELECT pg_advisory_unlock($1)", _turn_key(cid)), "locked even so"
    finally:
        await admin.close()
