"""Database engine and sessions (SQLAlchemy 2 async): SQLite by default, PostgreSQL to scale."""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import asyncpg
from sqlalchemy import ClauseElement, DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.compiler import SQLCompiler

log = logging.getLogger(__name__)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no zone support) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def async_url(url: str) -> str:
    """Accept plain postgresql:// and sqlite:// URLs and pick the async drivers."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url


def sync_url(url: str) -> str:
    """The same database through a synchronous driver-free URL for Alembic's async runner."""
    return async_url(url)


def create_engine(url: str, *, pool_size: int = 30, max_overflow: int = 10) -> AsyncEngine:
    """The engine for a database URL; ``pool_size`` and ``max_overflow`` are PostgreSQL's (Settings)."""
    url = async_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=15000")
            cur.close()

        return engine
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow)
    _ping_when_idle(engine)
    return engine


IDLE_BEFORE_PING = 10.0  # seconds a pooled connection may sit unused before it is checked


def _ping_when_idle(engine: AsyncEngine) -> None:
    """pool_pre_ping, but only for connections that sat idle: on asyncpg a ping is three round
    trips (BEGIN, ";", ROLLBACK) and every message checks a connection out twice. A connection
    the server closed (a failover, a restart, pg_terminate_backend) is known closed to asyncpg
    as soon as its socket says so, and is replaced at checkout without a round trip; one that sat
    idle for long (where nothing may have said so) is pinged. A connection that dies while busy is
    caught by SQLAlchemy's disconnect handling, which invalidates the pool."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_conn, record, proxy):  # type: ignore[no-untyped-def]
        if dbapi_conn.driver_connection.is_closed():
            raise DisconnectionError("the database closed this connection")
        since = record.info.get("checked_in")
        if since is not None and time.monotonic() - since > IDLE_BEFORE_PING:
            try:
                dbapi_conn.ping()
            except Exception as exc:  # any failure means: use another connection
                raise DisconnectionError(str(exc)) from exc


async def connections_problem(database_url: str, pool_size: int, max_overflow: int) -> str | None:
    """None when PostgreSQL has room for every connection this process may open (``pool_size`` +
    ``max_overflow``) beside those already open; else what is short, as a sentence for the operator.
    Several processes each open their pool as load grows: past ``max_connections`` the last to
    ask is refused, in the middle of a busy moment. SQLite: always None."""
    if not async_url(database_url).startswith("postgresql"):
        return None
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            row = (await conn.exec_driver_sql(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int,"
                " (SELECT count(*) FROM pg_stat_activity"
                " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())")).one()
    finally:
        await engine.dispose()
    allowed, in_use = (int(value) for value in row)
    wanted = pool_size + max_overflow
    if wanted <= allowed - in_use:
        return None
    return (f"this process may open {wanted} database connections (CHATBOT_DATABASE_POOL_SIZE {pool_size} + "
            f"CHATBOT_DATABASE_MAX_OVERFLOW {max_overflow}), but PostgreSQL takes {allowed} from clients and "
            f"{in_use} are open already: lower these settings, or raise max_connections (docs/scaling.md)")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[Any]:
    """A pooled connection's driver connection (asyncpg's, or aiosqlite's), for a hot-path statement
    that skips SQLAlchemy. If the connection itself failed, or the database closed it, it is dropped
    (``discard``) rather than returned to the pool, as SQLAlchemy does for its own statements; a
    failed statement (a PostgresError about it, an sqlite3 error) leaves it usable. What is left
    uncommitted is rolled back on return."""
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        try:
            yield driver
        except Exception as exc:
            if connection_lost(exc) or not isinstance(exc, (asyncpg.PostgresError, sqlite3.Error)):
                await discard(conn, exc)
            raise


async def discard(conn: AsyncConnection, failure: BaseException | None = None) -> None:
    """Drops a pooled connection a driver-level statement failed on, instead of handing it to the next
    request, and closes it. If the database closed it (a failover, a restart, pg_terminate_backend),
    every connection the pool opened before now is replaced at its next checkout, as SQLAlchemy does
    for a disconnect it sees itself: the others were most likely closed at the same moment, and one
    whose closing asyncpg has half read (the server's "terminating connection" read, the end of the
    stream not yet) still looks open for a moment, and fails the next statement put on it."""
    try:
        raw = await conn.get_raw_connection()
        closed = getattr(raw.driver_connection, "is_closed", None)  # asyncpg's; aiosqlite has none
        if (failure is not None and connection_lost(failure)) or (closed is not None and closed()):
            conn.sync_engine.pool._invalidate(raw, _checkin=False)  # the pool's own way of doing so
        await conn.invalidate()
    except Exception:
        log.debug("could not invalidate a connection", exc_info=True)
    try:
        await conn.close()
    except Exception:
        log.debug("could not close a connection", exc_info=True)


def connection_lost(failure: BaseException) -> bool:
    """Whether a statement failed because the database closed its connection, or is closing it: a
    connection exception (SQLSTATE class 08), the server ending the session (57P: an administrator,
    a crash, a shutdown; said just before it closes), or the socket itself."""
    sqlstate = getattr(failure, "sqlstate", None) or ""
    return isinstance(failure, OSError) or sqlstate.startswith(("08", "57P"))


class Compiled:
    """A Core statement compiled once for one dialect, to run straight on the driver's connection
    (aiosqlite): SQLAlchemy's own SQL and value formats (its bind and result processors), without its
    per-execution CPU and, on aiosqlite, with one thread hand-off per statement instead of three or
    four (docs/benchmarks.md). Values are given by bind name; literal values in the statement are
    its defaults."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        self._binds = [(name, compiled.binds[name].value,
                        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                       for name in compiled.positiontup or ()]
        columns = getattr(statement, "exported_columns", ())  # a SELECT's columns, an INSERT's RETURNING
        self._results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]

    def params(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, default, process in self._binds:
            value = values.get(name, default)
            out.append(process(value) if process is not None else value)
        return tuple(out)

    def row(self, raw: Any) -> tuple[Any, ...]:
        return tuple(value if process is None or value is None else process(value)
                     for value, process in zip(raw, self._results))

    async def fetch(self, driver: Any, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run on an aiosqlite connection: one hand-off to its thread."""
        return [self.row(r) for r in await driver.execute_fetchall(self.sql, self.params(values))]


T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Group commit: what is handed in while ``in_flight`` batches are being stored is stored
    together by the next batch, in one transaction (one round trip, one commit to flush). Below
    that an item goes at once, alone: no wait is added when the server is not busy. ``store`` takes
    a batch and returns one result per item, in order. A batch that fails is tried again one item at
    a time, so that an item's own failure (a bad value, a constraint) reaches only its sender."""

    MAX_BATCH = 100

    def __init__(self, store: Callable[[list[T]], Awaitable[list[R]]], name: str, in_flight: int = 2,
                 abandoned: Callable[[T, R], None] | None = None) -> None:
        """``abandoned`` is told of each item stored for a sender that gave up waiting, with its result
        (an item is stored all the same once handed in)."""
        self._store, self.name, self.in_flight, self.abandoned = store, name, in_flight, abandoned
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.observe: Callable[[int], None] | None = None  # told each batch's size (metrics)

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if len(self._tasks) < self.in_flight:
            self._tasks.add(asyncio.create_task(self._drain(), name=self.name))
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._waiting:
                batch = self._waiting[:self.MAX_BATCH]
                del self._waiting[:self.MAX_BATCH]
                await self._run(batch)
        except BaseException:  # cancelled (the server stopping): nobody is left waiting forever
            for _, future in batch + self._waiting:
                future.cancel()
            self._waiting.clear()
            raise
        finally:  # at once, not in a done callback: an item handed in meanwhile would wait for nobody
            self._tasks.discard(cast("asyncio.Task[None]", asyncio.current_task()))

    async def _run(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        results: list[R | Exception]
        if self.observe is not None:
            self.observe(len(batch))
        try:
            results = list(await self._store([item for item, _ in batch]))
        except Exception as exc:  # noqa: BLE001 — handed to the senders (or isolated below)
            if len(batch) > 1:
                for one in batch:
                    await self._run([one])
                return
            results = [exc]
        for (item, future), result in zip(batch, results, strict=True):
            if future.done():  # its sender gave up waiting (the item is stored all the same)
                if self.abandoned is not None and not isinstance(result, Exception):
                    self.abandoned(item, result)
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)
