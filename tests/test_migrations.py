"""The schema comes from Alembic migrations alone, identically on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import chatbot.model_registry  # noqa: F401
from chatbot.db import Base, create_engine
from chatbot.migrate import upgrade


async def test_migrations_create_exactly_the_models(database_url: str) -> None:
    await upgrade(database_url)  # running it again is harmless
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            def diff(sync_conn):  # type: ignore[no-untyped-def]
                ctx = MigrationContext.configure(sync_conn, opts={"compare_type": False})
                return compare_metadata(ctx, Base.metadata)

            differences = await conn.run_sync(diff)
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert {"customers", "services", "conversations", "messages", "tickets", "ticket_events"} <= tables
    assert differences == [], f"models and migrations disagree: {differences}"
