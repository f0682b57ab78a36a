"""`chatbot db upgrade`: bring the database schema to the newest revision with Alembic."""
from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from chatbot.db import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["database_url"] = database_url
    return cfg


async def upgrade(database_url: str, revision: str = "heads") -> None:
    """Upgrade to every head: capabilities add their tables on branches of their own."""
    engine: AsyncEngine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_sync, database_url, revision)
    finally:
        await engine.dispose()


def _upgrade_sync(connection, database_url: str, revision: str) -> None:  # type: ignore[no-untyped-def]
    cfg = alembic_config(database_url)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def upgrade_blocking(database_url: str) -> None:
    asyncio.run(upgrade(database_url))


async def schema_problem(database_url: str) -> str | None:
    """None when the database has every migration of this release; else what is wrong, as a
    sentence for the operator. A database with migrations this release does not know (a newer
    release migrated it first, during a rolling update) is accepted: migrations only add."""
    script = ScriptDirectory.from_config(alembic_config(database_url))
    known = {rev.revision for rev in script.walk_revisions()}
    engine: AsyncEngine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            current = set(await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads()))
    finally:
        await engine.dispose()
    if current - known:
        return None
    missing = set(script.get_heads()) - current
    if not missing:
        return None
    return (f"the database lacks migrations of this release ({', '.join(sorted(missing))}): "
            "run `chatbot db upgrade` first")
