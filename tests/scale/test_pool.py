"""The connection pool after the database dropped its connections (a restart, a failover): the next
request gets a working connection instead of an error, without a ping on every checkout."""
from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

import chatbot.db
from chatbot.db import create_engine


async def test_connections_closed_by_the_database_are_replaced_at_the_next_checkout(pg_database: str) -> None:
    """A failover closes every connection at once; the next request of each process must not be the
    one that finds out. A connection used moments ago is not pinged, so this is not the ping."""
    engine = create_engine(pg_database)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        await _terminate(pg_database, pid)
        async with engine.connect() as conn:  # through SQLAlchemy
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
        async with chatbot.db.driver_connection(engine) as driver:
            pid = await driver.fetchval("SELECT pg_backend_pid()")
        await _terminate(pg_database, pid)
        async with chatbot.db.driver_connection(engine) as driver:  # straight on asyncpg (the hot path)
            assert await driver.fetchval("SELECT pg_backend_pid()") != pid
    finally:
        await engine.dispose()


async def _terminate(pg_database: str, pid: int) -> None:
    admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        for _ in range(100):  # until the server has closed it (the client hears of it at once)
            if not await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
    finally:
        await admin.close()


async def test_a_connection_that_died_under_a_raw_statement_is_not_pooled_again(pg_database: str) -> None:
    """The hot path's statements skip SQLAlchemy (chatbot.db.driver_connection); a connection that
    fails there must be dropped like SQLAlchemy drops its own, not handed to the next request."""
    engine = create_engine(pg_database)
    try:
        with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError)):  # as the server goes
            async with chatbot.db.driver_connection(engine) as driver:
                pid = await driver.fetchval("SELECT pg_backend_pid()")
                # The server goes away in the middle of a statement.
                await asyncio.gather(driver.fetchval("SELECT pg_sleep(30)"),
                                     _terminate_soon(pg_database, pid))
        async with chatbot.db.driver_connection(engine) as driver:  # the next request: a new connection
            assert await driver.fetchval("SELECT pg_backend_pid()") != pid
        with pytest.raises(asyncpg.exceptions.UndefinedTableError):  # a failed statement keeps it pooled
            async with chatbot.db.driver_connection(engine) as driver:
                pid = await driver.fetchval("SELECT pg_backend_pid()")
                await driver.fetchval("SELECT * FROM no_such_table")
        async with chatbot.db.driver_connection(engine) as driver:
            assert await driver.fetchval("SELECT pg_backend_pid()") == pid
    finally:
        await engine.dispose()


async def test_a_connection_the_database_closed_under_a_raw_statement_renews_the_whole_pool(
        pg_database: str) -> None:
    """A failover closes every connection, but asyncpg hears of each one separately: an idle one whose
    close is half read still looks open, and the next request put on it fails ("another operation is
    in progress"). Once one statement has met a closed connection, every connection opened before it
    is replaced at its next checkout, as SQLAlchemy does for the disconnects it sees itself."""
    engine = create_engine(pg_database)
    try:
        async with engine.connect() as first, engine.connect() as second:  # two pooled connections
            idle = {await first.scalar(text("SELECT pg_backend_pid()")),
                    await second.scalar(text("SELECT pg_backend_pid()"))}
        with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError)):
            async with chatbot.db.driver_connection(engine) as driver:
                pid = await driver.fetchval("SELECT pg_backend_pid()")
                await asyncio.gather(driver.fetchval("SELECT pg_sleep(30)"), _terminate_soon(pg_database, pid))
        async with engine.connect() as first, engine.connect() as second:
            renewed = {await first.scalar(text("SELECT pg_backend_pid()")),
                       await second.scalar(text("SELECT pg_backend_pid()"))}
        assert not renewed & idle, "the connections the failed one was pooled with were replaced too"
        with pytest.raises(asyncpg.exceptions.UndefinedTableError):  # a failed statement renews nothing
            async with chatbot.db.driver_connection(engine) as driver:
                await driver.fetchval("SELECT * FROM no_such_table")
        async with engine.connect() as first, engine.connect() as second:
            assert {await first.scalar(text("SELECT pg_backend_pid()")),
                    await second.scalar(text("SELECT pg_backend_pid()"))} == renewed
    finally:
        await engine.dispose()


async def _terminate_soon(pg_database: str, pid: int) -> None:
    await asyncio.sleep(0.2)
    await _terminate(pg_database, pid)


async def test_the_pool_keeps_its_size_open_and_closes_the_burst(pg_database: str) -> None:
    """A turn holds a connection throughout: connections beyond the pool are opened for a burst and
    closed after it, so the pool must be as large as the usual number of turns in flight."""
    engine = create_engine(pg_database, pool_size=3, max_overflow=2)
    admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        held = [await engine.connect() for _ in range(5)]
        pids = [await conn.scalar(text("SELECT pg_backend_pid()")) for conn in held]

        async def still_open() -> int:
            return int(await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])",
                                            pids))
        assert len(set(pids)) == 5 and await still_open() == 5
        with pytest.raises(TimeoutError):  # a sixth waits for one of them
            await asyncio.wait_for(engine.connect(), 0.5)
        for conn in held:
            await conn.close()
        for _ in range(100):  # the server ends a closed connection's backend a moment later
            if await still_open() == 3:
                break
            await asyncio.sleep(0.02)
        assert await still_open() == 3, "the pool's three stay open, the burst's two are closed"
    finally:
        await admin.close()
        await engine.dispose()


async def test_the_service_sizes_its_pool_from_the_settings(pg_database: str) -> None:
    from chatbot.app import PIPELINE, build_app
    from chatbot.settings import Settings

    app = build_app(Settings(database_url=pg_database, secret_key="test", database_pool_size=4,
                             database_max_overflow=1))
    engine = app[PIPELINE].sessions.kw["bind"]
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (4, 1)
    finally:
        await engine.dispose()
