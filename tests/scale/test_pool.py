"""The connection pool after the database dropped its connections (a restart, a failover): the next
request gets a working connection instead of an error, without a ping on every checkout."""
from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

import chatbot.db
from chatbot.db import create_engine


async def test_connections_dropped_by_the_database_are_replaced_after_idling(
        pg_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chatbot.db, "IDLE_BEFORE_PING", 0.0)  # every returned connection counts as idle
    engine = create_engine(pg_database)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        async with engine.connect() as conn:  # the pooled connection is dead: checked and replaced
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await engine.dispose()


async def test_a_connection_that_died_under_a_raw_statement_is_not_pooled_again(pg_database: str) -> None:
    """The hot path's statements skip SQLAlchemy (chatbot.db.driver_connection); a connection that
    fails there must be dropped like SQLAlchemy drops its own, not handed to the next request."""
    engine = create_engine(pg_database)  # a fresh connection counts as busy: no ping on checkout
    try:
        async with chatbot.db.driver_connection(engine) as driver:
            pid = await driver.fetchval("SELECT pg_backend_pid()")
        admin = await asyncpg.connect(pg_database.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        # asyncpg reports a dead connection in several ways (ConnectionDoesNotExistError, "connection
        # is closed", an internal state error): anything but a PostgresError.
        with pytest.raises(Exception) as died:
            async with chatbot.db.driver_connection(engine) as driver:
                await driver.fetchval("SELECT 1")
        assert not isinstance(died.value, asyncpg.PostgresError)
        async with chatbot.db.driver_connection(engine) as driver:  # the next request: a new connection
            assert await driver.fetchval("SELECT pg_backend_pid()") != pid
        with pytest.raises(asyncpg.exceptions.UndefinedTableError):  # a failed statement keeps it pooled
            async with chatbot.db.driver_connection(engine) as driver:
                await driver.fetchval("SELECT * FROM no_such_table")
        async with chatbot.db.driver_connection(engine) as driver:
            assert await driver.fetchval("SELECT 1") == 1
    finally:
        await engine.dispose()
