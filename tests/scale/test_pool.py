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
