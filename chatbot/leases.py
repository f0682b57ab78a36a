"""Who may do what when several processes serve as one: leases (a conversation's turns have their
own locks, chatbot/turn_locks.py).

A *lease* gives one process at a time a named job (reading the mailbox, sweeping SLA clocks). The
holder renews it every few seconds; when it dies, the lease expires and another process takes over
within ``ttl + retry_every`` seconds. It lives in a database row, so it works wherever the state is:
PostgreSQL for several machines, SQLite for the embedded single process. On PostgreSQL expiry is
measured by the database's clock, so the machines' clocks need not agree.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.db import Base, UTCDateTime, utcnow

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
