"""Who may do what when several processes serve as one: leases and per-conversation turn locks.

A *lease* gives one process at a time a named job (reading the mailbox, sweeping SLA clocks). The
holder renews it every few seconds; when it dies, the lease expires and another process takes over
within ``ttl + retry_every`` seconds. It lives in a database row, so it works wherever the state is:
PostgreSQL for several machines, SQLite for the embedded single process. On PostgreSQL expiry is
measured by the database's clock, so the machines' clocks need not agree.

A *turn lock* serialises the turns of one conversation across processes (two browser tabs on two
processes, a retry that landed elsewhere). A row lock would end at the turn's first commit — a turn
commits each reply before showing it — so on PostgreSQL it is a session-level advisory lock held on
the connection the whole turn uses. SQLite is one process; the pipeline's asyncio lock suffices.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.db import Base, UTCDateTime, discard, utcnow

log = logging.getLogger(__name__)


class Lease(Base):
    """One row per job that only one process may run at a time."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)  # e.g. "mailbox:INBOX"
    holder: Mapped[str] = mapped_column(String(200))  # host:pid:random of the holding process
    # Grows by one each time the lease changes hands: a fencing token for work done under it.
    epoch: Mapped[int] = mapped_column(default=1)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


def process_identity() -> str:
    """A holder name unique to this process start, readable by an operator (host and pid)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _engine(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessions.kw.get("bind")
    assert isinstance(bind, AsyncEngine), "the session factory is bound to an engine"
    return bind


def _is_postgresql(sessions: async_sessionmaker[AsyncSession]) -> bool:
    return _engine(sessions).dialect.name == "postgresql"


async def try_acquire(sessions: async_sessionmaker[AsyncSession], name: str, holder: str,
                      ttl: float) -> int | None:
    """Take or renew the lease; the epoch (fencing token) when ``holder`` has it, else None.

    One conditional UPDATE (ours, or expired) then, for a lease never held, an INSERT that does
    nothing on conflict: two processes racing for it cannot both win."""
    pg = _is_postgresql(sessions)
    # PostgreSQL: the database's clock for every holder. SQLite: one machine, its clock.
    now: ColumnElement[Any] = func.now() if pg else literal(utcnow(), UTCDateTime())
    expires: ColumnElement[Any] = (func.now() + timedelta(seconds=ttl) if pg
                                   else literal(utcnow() + timedelta(seconds=ttl), UTCDateTime()))
    async with sessions() as s, s.begin():
        epoch = await s.scalar(
            update(Lease)
            .where(Lease.name == name, (Lease.holder == holder) | (Lease.expires_at <= now))
            .values(holder=holder, renewed_at=now, expires_at=expires,
                    epoch=case((Lease.holder == holder, Lease.epoch), else_=Lease.epoch + 1),
                    acquired_at=case((Lease.holder == holder, Lease.acquired_at), else_=now))
            .returning(Lease.epoch))
        if epoch is not None:
            return int(epoch)
        stmt = (pg_insert(Lease) if pg else sqlite_insert(Lease)).values(
            name=name, holder=holder, epoch=1, acquired_at=now, renewed_at=now, expires_at=expires)
        epoch = await s.scalar(stmt.on_conflict_do_nothing(index_elements=[Lease.name]).returning(Lease.epoch))
        return int(epoch) if epoch is not None else None


async def release(sessions: async_sessionmaker[AsyncSession], name: str, holder: str) -> None:
    """Give the lease up now (a clean shutdown), so another process need not wait for expiry."""
    past = literal(utcnow() - timedelta(days=1), UTCDateTime())
    async with sessions() as s, s.begin():
        await s.execute(update(Lease).where(Lease.name == name, Lease.holder == holder)
                        .values(expires_at=past))


async def current_holder(sessions: async_sessionmaker[AsyncSession], name: str) -> Lease | None:
    async with sessions() as s:
        return await s.scalar(select(Lease).where(Lease.name == name))


class LeaseKeeper:
    """Runs ``job`` in this process only while it holds the lease ``name``.

    Every ``retry_every`` seconds a process without the lease tries to take it; the holder renews it
    every ``ttl / 3`` seconds. A holder that cannot renew (database unreachable, lease taken) cancels
    its job before the lease can expire elsewhere, so two processes never run the job at once as
    long as a renewal takes less than ``ttl / 3``. A job that ends or fails while the lease is held is
    started again at the next renewal."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], name: str,
                 job: Callable[[], Awaitable[None]], *, ttl: float = 10.0, retry_every: float = 2.0,
                 holder: str | None = None) -> None:
        if ttl <= 0 or retry_every <= 0:
            raise ValueError("lease ttl and retry interval must be positive")
        self.sessions, self.name, self.job = sessions, name, job
        self.ttl, self.retry_every = ttl, retry_every
        self.holder = holder or process_identity()
        self.epoch: int | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._job_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def held(self) -> bool:
        return self.epoch is not None

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = asyncio.create_task(self._run(), name=f"lease:{self.name}")

    async def stop(self) -> None:
        """Stop the job and hand the lease over at once (used at shutdown)."""
        self._stopping.set()
        if self._loop_task is not None:
            await self._loop_task
            self._loop_task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            renew_by = self.ttl / 3
            try:
                epoch = await asyncio.wait_for(try_acquire(self.sessions, self.name, self.holder, self.ttl),
                                               timeout=renew_by)
            except Exception as exc:  # noqa: BLE001 — the database is away: behave as if the lease were lost
                log.warning("lease %s: cannot reach the database (%s)", self.name, exc)
                epoch = None
            if epoch is not None and self.epoch is None:
                log.info("lease %s taken by %s (epoch %d)", self.name, self.holder, epoch)
            if epoch is None and self.epoch is not None:
                log.warning("lease %s lost by %s: stopping its job", self.name, self.holder)
            self.epoch = epoch
            if self.held:
                self._ensure_job()
            else:
                await self._cancel_job()
            try:
                await asyncio.wait_for(self._stopping.wait(), renew_by if self.held else self.retry_every)
            except TimeoutError:
                pass
        await self._cancel_job()
        if self.held:
            try:
                await release(self.sessions, self.name, self.holder)
            except Exception as exc:  # noqa: BLE001
                log.warning("lease %s: release failed (%s); it expires in %.0fs", self.name, exc, self.ttl)
            self.epoch = None

    def _ensure_job(self) -> None:
        task = self._job_task
        if task is not None and task.done() and not task.cancelled() and task.exception() is not None:
            log.error("lease %s: job failed, starting it again", self.name, exc_info=task.exception())
        if task is None or task.done():
            self._job_task = asyncio.create_task(self._job(), name=f"leased:{self.name}")

    async def _job(self) -> None:
        await self.job()

    async def _cancel_job(self) -> None:
        task, self._job_task = self._job_task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("lease %s: job failed while stopping", self.name)


def _turn_key(conversation_id: str) -> int:
    # A signed 64-bit key from the conversation id; a collision only serialises two conversations.
    digest = hashlib.blake2b(b"turn:" + conversation_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@asynccontextmanager
async def turn_session(sessions: async_sessionmaker[AsyncSession], conversation_id: str,
                       first_read: str | None = None) -> AsyncIterator[AsyncSession]:
    """A session for one turn of a conversation, exclusive across processes on PostgreSQL.

    The advisory lock belongs to the connection, so the session is bound to that one connection for
    the whole turn and its commits do not release the lock. If the unlock cannot be confirmed the
    connection is discarded rather than returned to the pool with the lock still held.

    ``first_read``, a statement taking the lock's key as $1 and the conversation id as $2, is run to
    take the lock, and read in the same round trip (migrations/versions/0011_turn_read_function.py);
    its first row is ``turn_first_read``'s. The lock goes at the turn's end, or with its last
    statement (``finish_turn``). On SQLite the session is bound to one pooled connection too, whose
    aiosqlite connection is ``turn_sqlite``'s."""
    if not _is_postgresql(sessions):  # one process: the pipeline's asyncio lock suffices
        async with _engine(sessions).connect() as conn, sessions(bind=conn) as session:
            session.info[_SQLITE] = (await conn.get_raw_connection()).driver_connection
            yield session
        return
    key = _turn_key(conversation_id)
    conn = await _engine(sessions).connect()
    unlocked, failure = False, None
    try:
        # Straight on the driver, outside any transaction: one round trip each, where SQLAlchemy
        # would wrap the statement in BEGIN … COMMIT, and the session's own commits stay real.
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        if first_read is None:
            await driver.execute("SELECT pg_advisory_lock($1)", key)
            read = None
        else:
            read = await driver.fetchrow(first_read, key, conversation_id)
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


_DRIVER, _KEY, _FIRST_READ, _UNLOCKED = "turn_driver", "turn_key", "turn_first_read", "turn_unlocked"
_SQLITE = "turn_sqlite"


def turn_driver(session: AsyncSession) -> Any:
    """The asyncpg connection a PostgreSQL turn session is bound to (None on SQLite). The hot
    path's statements run on it directly: the same connection and transaction as the session's,
    without SQLAlchemy's per-statement CPU cost."""
    return session.info.get(_DRIVER)


def turn_sqlite(session: AsyncSession) -> Any:
    """The aiosqlite connection a SQLite turn session is bound to (None on PostgreSQL)."""
    return session.info.get(_SQLITE)


def turn_first_read(session: AsyncSession) -> Any:
    """The first row of the turn's ``first_read``, once (None if there was none, or on SQLite)."""
    return session.info.pop(_FIRST_READ, None)


def unsaved(session: AsyncSession) -> bool:
    """Does the session hold changes it has not flushed yet?"""
    return bool(session.new or session.deleted) or any(session.is_modified(obj) for obj in session.dirty)


async def finish_turn(session: AsyncSession, sql: str) -> bool:
    """Run the turn's last statement as its own transaction and release the turn lock, in one round
    trip, if the turn's session holds nothing unsaved and no open transaction (PostgreSQL only):
    BEGIN, COMMIT and the unlock would be three round trips more. The lock goes only after the
    commit, so the next holder sees the statement's effect. False if it did not run; the caller
    then runs it in the session as usual, and the lock goes when the session closes."""
    driver = turn_driver(session)
    # The driver, not the session, knows whether a transaction is open: SQLAlchemy's asyncpg adapter
    # sends BEGIN only with the first statement of the session's (possibly empty) transaction.
    if driver is None or driver.is_in_transaction() or unsaved(session):
        return False
    # No arguments: the simple query protocol, which takes several statements in one message.
    await driver.execute(f"BEGIN; {sql}; COMMIT; SELECT pg_advisory_unlock({int(session.info[_KEY])})")
    session.info[_UNLOCKED] = True
    return True
