"""`chatbot db upgrade`: bring the database schema to the newest revision with Alembic."""
from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
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
