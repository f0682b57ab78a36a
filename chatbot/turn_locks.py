"""A conversation's turns, one at a time across processes: the turn locks, and the session a turn runs in.

A *turn lock* serialises the turns of one conversation across processes (two browser tabs on two
processes, a retry that landed elsewhere). A row lock would end at the turn's first commit — a turn
commits each reply before showing it — so on PostgreSQL it is a session-level advisory lock, which
lasts until it is unlocked or its connection closes. SQLite is one process; the pipeline's asyncio
lock suffices.

On PostgreSQL a process holds its turns' locks on one connection of its own (`TurnLocks`): the locks
of the turns that start together are taken, and their conversations read, in one round trip
(`lock_turns_read()`, migrations/versions/0011_turn_read_function.py), and given back together with
their pending rows' deletes in another. A turn itself then holds no connection: its session checks
one out of the pool for what it writes, and its replies are stored together with other turns'
(chatbot/conversations.py). The connection goes back to the pool when no turn holds a lock on it.

A lock that another process holds is waited for as before, on a connection of the turn's own that it
keeps for the whole turn (`lock_turn_read()`): that wait must not hold up this process's other turns.

If the locks' connection is lost, PostgreSQL has released every lock on it. The turns that held one
(`Held.lost`) then fail at their next write (TurnLockLost) and are finished later by the recovery
(chatbot/recovery.py), which does not say again what they had said. What one of them was writing
at that very moment may still commit; docs/reliability.md says what that can mean.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from chatbot.db import GroupCommit, discard

_DRIVER, _KEY, _FIRST_READ, _UNLOCKED = "turn_driver", "turn_key", "turn_first_read", "turn_unlocked"
_SQLITE, _HELD, _OPEN, _FINISH = "turn_sqlite", "turn_held", "turn_open", "turn_finish"


class TurnLockLost(Exception):
    """The connection holding this turn's lock was lost: another process may be running a turn of
    the same conversation now."""


def _turn_key(conversation_id: str) -> int:
    # A signed 64-bit key from the conversation id; a collision only serialises two conversations.
    digest = hashlib.blake2b(b"turn:" + conversation_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Held:
    """A turn's lock, held on its process's locks connection, and what was read as it was taken."""

    __slots__ = ("_generation", "_locks", "key", "read")

    def __init__(self, key: int, read: tuple[Any, ...] | None, locks: TurnLocks) -> None:
        self.key, self.read, self._locks, self._generation = key, read, locks, locks.generation

    @property
    def lost(self) -> bool:
        return not self._locks.holds(self._generation)

    async def release(self, finished_message: int | None = None) -> None:
        await self._locks.release(self, finished_message)


class TurnLocks:
    """This process's turn locks on PostgreSQL, held on one connection checked out of the pool while
    any is held. ``read`` takes the locks' keys ($1, bigint[]) and the conversation ids ($2) and
    returns, in the same order, whether each lock was taken and then what the turn reads first.
    ``wait_read`` takes one key ($1) and conversation id ($2), waits for the lock and returns the
    same read: for a turn whose lock another process holds (``turn_session``)."""

    def __init__(self, engine: AsyncEngine, read: str, wait_read: str) -> None:
        self._engine, self._read, self.wait_read = engine, read, wait_read
        self._conn: AsyncConnection | None = None
        self._driver: Any = None
        self._held = 0
        self.generation = 0  # one more each time the connection is lost: every lock on it is gone
        self._using = asyncio.Lock()  # one statement at a time on the connection
        self._acquires = GroupCommit(self._acquire_batch, "turn locks", in_flight=1, abandoned=self._give_back)
        self._releases = GroupCommit(self._release_batch, "turn releases", in_flight=1)
        self._giving_back: set[asyncio.Future[None]] = set()

    def observe_batches(self, observe: Callable[[str, int], None]) -> None:
        """Tell ``observe`` the size of each batch: ("turn_locks" | "turn_releases", turns)."""
        self._acquires.observe = functools.partial(observe, "turn_locks")
        self._releases.observe = functools.partial(observe, "turn_releases")

    def holds(self, generation: int) -> bool:
        """Are the locks taken in that generation still held? Not once the connection is known lost:
        a failed statement, or the server closing it (asyncpg sees that as soon as the socket says so)."""
        return generation == self.generation and self._driver is not None and not self._driver.is_closed()

    async def acquire(self, key: int, conversation_id: str) -> Held | None:
        """The lock, taken with the turn's first read; None if another process holds it now."""
        return await self._acquires.submit((key, conversation_id))

    def _give_back(self, item: tuple[int, str], held: Held | None) -> None:
        """A lock taken for a turn that was cancelled meanwhile is given back."""
        if held is not None:
            task = asyncio.ensure_future(self.release(held))
            self._giving_back.add(task)  # a strong reference until it is done
            task.add_done_callback(self._giving_back.discard)

    async def release(self, held: Held, finished_message: int | None = None) -> None:
        """Gives the lock back; first, in the same round trip and its own transaction, deletes the
        pending row of ``finished_message`` (the turn's last write: chatbot/conversations.py
        ``finish``). Not made to wait for the disk (asynchronous commit): lost only if PostgreSQL
        itself crashes within its WAL writer's delay, and the recovery then runs the turn again
        without saying again what it said. Done even if the turn is cancelled while it waits: once
        handed in, a release is part of the next batch."""
        await self._releases.submit((held, finished_message))

    async def _connection(self) -> Any:
        if self._driver is not None and self._driver.is_closed():  # the server closed it meanwhile
            await self._lose(ConnectionResetError("the turn locks' connection was closed"))
        if self._driver is None:
            conn = await self._engine.connect()
            self._conn, self._driver = conn, (await conn.get_raw_connection()).driver_connection
        return self._driver

    async def _lose(self, failure: BaseException) -> None:
        """The connection failed, or a statement on it ended in a state nobody knows: it is closed,
        which releases every lock it held, and the turns that held one are told (``Held.lost``)."""
        conn, self._conn, self._driver = self._conn, None, None
        if conn is None:
            return
        self.generation += 1
        self._held = 0
        await discard(conn, failure)

    async def _acquire_batch(self, batch: list[tuple[int, str]]) -> list[Held | None]:
        async with self._using:
            try:
                driver = await self._connection()
                rows = await driver.fetch(self._read, [key for key, _ in batch], [cid for _, cid in batch])
            except BaseException as exc:
                await asyncio.shield(self._lose(exc))
                raise
            out: list[Held | None] = []
            for (key, _), row in zip(batch, rows, strict=True):
                if not row[0]:
                    out.append(None)
                    continue
                self._held += 1
                read = tuple(row)[1:]
                out.append(Held(key, read if read[0] is not None else None, self))
            await self._return_if_idle()  # none taken: another process holds them all
            return out

    async def _release_batch(self, batch: list[tuple[Held, int | None]]) -> list[None]:
        async with self._using:
            keys = [held.key for held, _ in batch if not held.lost]
            deletes = [int(message) for _, message in batch if message is not None]
            sql = []
            if deletes:  # committed before the unlocks: the next holder sees it
                sql.append("BEGIN; SET LOCAL synchronous_commit TO off; DELETE FROM pending_turns WHERE "
                           f"message_id IN ({', '.join(map(str, deletes))}); COMMIT")
            if keys:
                sql.append("SELECT " + ", ".join(f"pg_advisory_unlock({int(key)})" for key in keys))
            if sql:
                try:  # the simple query protocol: several statements in one message, no arguments
                    await (await self._connection()).execute("; ".join(sql))
                except BaseException as exc:
                    await asyncio.shield(self._lose(exc))
                    raise
                self._held -= len(keys)
            await self._return_if_idle()
        return [None] * len(batch)

    async def _return_if_idle(self) -> None:
        if self._held == 0 and self._conn is not None:  # no lock on it: back to the pool
            conn, self._conn, self._driver = self._conn, None, None
            await conn.close()


@asynccontextmanager
async def turn_session(sessions: async_sessionmaker[AsyncSession], conversation_id: str,
                       locks: TurnLocks | None) -> AsyncIterator[AsyncSession]:
    """A session for one turn of a conversation, exclusive across processes on PostgreSQL, where
    ``locks`` (the process's ``TurnLocks``) is required.

    When the lock is free it is taken on the process's locks connection, and the session is bound to
    the engine, checking a connection out only for what it writes; the lock goes when the turn ends,
    with the turn's pending row when ``finish_with_release`` left it there.

    When another process holds it, the turn waits for it on a connection of its own
    (``locks.wait_read``, migrations/versions/0011_turn_read_function.py: the lock and the read in
    one round trip); the advisory lock belongs to that connection, so the session is bound to it for
    the whole turn and its commits do not release the lock. If the unlock cannot be confirmed the
    connection is discarded rather than returned to the pool with the lock still held. The lock goes
    at the turn's end, or with its last statement (``finish_turn``).

    Either way the first row read is ``turn_first_read``'s. On SQLite the session is bound to one
    pooled connection, whose aiosqlite connection is ``turn_sqlite``'s."""
    engine = sessions.kw.get("bind")
    assert isinstance(engine, AsyncEngine), "the session factory is bound to an engine"
    if engine.dialect.name != "postgresql":  # one process: the pipeline's asyncio lock suffices
        async with engine.connect() as conn, sessions(bind=conn) as session:
            session.info[_SQLITE] = (await conn.get_raw_connection()).driver_connection
            yield session
        return
    assert locks is not None, "PostgreSQL turns take their locks through TurnLocks"
    key = _turn_key(conversation_id)
    held = await locks.acquire(key, conversation_id)
    if held is not None:
        finished = None
        try:
            session = sessions()
            try:
                session.info.update({_HELD: held, _FIRST_READ: held.read})
                yield session
            finally:
                await _close(session)
            finished = session.info.get(_FINISH)
        finally:
            await held.release(finished)
        return
    conn = await engine.connect()
    unlocked, failure = False, None
    try:
        # Straight on the driver, outside any transaction: one round trip each, where SQLAlchemy
        # would wrap the statement in BEGIN … COMMIT, and the session's own commits stay real.
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        read = await driver.fetchrow(locks.wait_read, key, conversation_id)
        async with sessions(bind=conn) as session:
            session.info.update({_DRIVER: driver, _KEY: key, _FIRST_READ: read})
            yield session
        if not session.info.get(_UNLOCKED):
            await conn.rollback()  # nothing left open by the session (a no-op after its last commit)
            await driver.execute("SELECT pg_advisory_unlock($1)", key)
        unlocked = True
    except BaseException as exc:
        failure = exc
        raise
    finally:
        if not unlocked:
            await asyncio.shield(discard(conn, failure))  # closing the server session releases its locks
        else:
            await conn.close()


async def _close(session: AsyncSession) -> None:
    """Close a turn's session bound to the engine. With no transaction open in the database (a turn
    whose process holds its lock usually ends with everything committed) there is nothing to give
    back, only objects to forget: done at once, where SQLAlchemy's own exit would spend a task and a
    greenlet on it."""
    if session.info.get(_OPEN):
        async with session:  # SQLAlchemy's exit: the close completes even if the turn is cancelled
            return
    session.sync_session.close()


# Whether a turn's session has a transaction open in the database (a connection checked out, BEGIN
# sent): what it wrote is then committed with the session, not on its own.
@event.listens_for(Session, "after_begin")
def _begun(session: Session, transaction: SessionTransaction, connection: Any) -> None:
    session.info[_OPEN] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_OPEN, None)


@event.listens_for(Session, "before_flush")
def _still_held(session: Session, flush_context: Any, instances: Any) -> None:
    held = session.info.get(_HELD)
    if held is not None and held.lost:
        raise TurnLockLost("the connection holding this turn's lock was lost")


def turn_driver(session: AsyncSession) -> Any:
    """The asyncpg connection a PostgreSQL turn session waiting for another process's lock is bound
    to (None otherwise). The hot path's statements run on it directly: the same connection and
    transaction as the session's, without SQLAlchemy's per-statement CPU cost."""
    return session.info.get(_DRIVER)


def turn_sqlite(session: AsyncSession) -> Any:
    """The aiosqlite connection a SQLite turn session is bound to (None on PostgreSQL)."""
    return session.info.get(_SQLITE)


def turn_held(session: AsyncSession) -> Held | None:
    """The turn's lock when it is held on its process's locks connection (None otherwise); raises
    TurnLockLost if that connection was lost."""
    held: Held | None = session.info.get(_HELD)
    if held is not None and held.lost:
        raise TurnLockLost("the connection holding this turn's lock was lost")
    return held


def turn_first_read(session: AsyncSession) -> Any:
    """The first row of the turn's first read, once (None if there was none, or on SQLite)."""
    return session.info.pop(_FIRST_READ, None)


def unsaved(session: AsyncSession) -> bool:
    """Does the session hold changes it has not flushed yet?"""
    return bool(session.new or session.deleted) or any(session.is_modified(obj) for obj in session.dirty)


def in_transaction(session: AsyncSession) -> bool:
    """Has the turn's session a transaction open in the database?"""
    driver = turn_driver(session)
    # The driver, not the session, knows whether a transaction is open: SQLAlchemy's asyncpg adapter
    # sends BEGIN only with the first statement of the session's (possibly empty) transaction.
    if driver is not None:
        return bool(driver.is_in_transaction())
    if turn_sqlite(session) is not None:  # bound to its one connection
        return cast(AsyncConnection, session.bind).in_transaction()
    return bool(session.info.get(_OPEN))


async def commit(session: AsyncSession) -> None:
    """Commit the turn's session, if it has anything to commit: changes not flushed yet, or a
    transaction open in the database. Most turns change nothing through it (their replies are
    stored on their own), and a commit with nothing in it still costs the ORM a transaction's
    bookkeeping, twice or three times a turn."""
    if unsaved(session) or in_transaction(session):
        await session.commit()


async def finish_turn(session: AsyncSession, sql: str) -> bool:
    """Run the turn's last statement as its own transaction and release the turn lock, in one round
    trip, if the turn's session holds nothing unsaved and no open transaction (PostgreSQL, a turn on
    a connection of its own): BEGIN, COMMIT and the unlock would be three round trips more. The lock
    goes only after the commit, so the next holder sees the statement's effect. False if it did not
    run; the caller then runs it in the session as usual, and the lock goes when the session closes."""
    driver = turn_driver(session)
    if driver is None or in_transaction(session) or unsaved(session):
        return False
    # No arguments: the simple query protocol, which takes several statements in one message.
    await driver.execute(f"BEGIN; {sql}; COMMIT; SELECT pg_advisory_unlock({int(session.info[_KEY])})")
    session.info[_UNLOCKED] = True
    return True


def finish_with_release(session: AsyncSession, message_id: int) -> bool:
    """The same for a turn whose lock its process's locks connection holds: the pending row of
    ``message_id`` is deleted as the lock is given back, together with other turns' (``TurnLocks``).
    False if the session holds something unsaved or open: the caller then deletes it in the session."""
    if turn_held(session) is None or unsaved(session) or in_transaction(session):
        return False
    session.info[_FINISH] = message_id
    return True
