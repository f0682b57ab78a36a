"""Shared fixtures: real databases (SQLite and PostgreSQL), the running app, real Socket.IO clients."""
from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest
from aiohttp import web
from sqlalchemy import text

from chatbot.app import build_app
from chatbot.db import Base, create_engine, session_factory
from chatbot.demo import load_demo_data
from chatbot.migrate import upgrade
from chatbot.settings import Settings
from tests.servers._common import free_port, unavailable
from tests.support import RecordingClient


PG_ADMIN_URL = os.environ.get("CHATBOT_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
IDENTITY_SECRET = "client-area-shared-secret"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_database() -> str:
    """A fresh PostgreSQL database for this test run, migrated once."""
    import asyncpg

    name = f"chatbot_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")

    async def create() -> None:
        conn = await asyncpg.connect(admin, timeout=5)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    try:
        asyncio.run(create())
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable(f"PostgreSQL at {admin} ({exc})")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(upgrade(url))
    yield url

    async def drop() -> None:
        conn = await asyncpg.connect(admin, timeout=5)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each database-backed test runs on SQLite and on PostgreSQL (the contract both must keep)."""
    if request.param == "sqlite":
        path = tmp_path / "chatbot.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")

    async def truncate() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(truncate())
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret", identity_secret=IDENTITY_SECRET)


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[Any]:
    engine = create_engine(settings.database_url)
    factory = session_factory(engine)
    await load_demo_data(factory)
    yield factory
    await engine.dispose()


@pytest.fixture
async def server(settings: Settings, sessions: Any) -> AsyncIterator[str]:
    """The real app on a real port; yields its base URL."""
    app = build_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


class ChatVisitor(RecordingClient):
    """A visitor's browser, reduced to a python-socketio client that records what it receives."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, "/chat", ("session", "message", "ticket", "error"))
        self.session: dict[str, Any] = {}

    def received(self, name: str, data: Any) -> None:
        if name == "session":
            self.session = data

    async def connect(self, **auth: Any) -> None:
        await self.client.connect(self.base_url, namespaces=["/chat"], auth=auth or None,
                                  transports=["websocket"], wait_timeout=10)
        await self.wait_for(lambda: bool(self.session))

    async def say(self, text: str) -> Any:
        return await self.client.call("message", {"text": text}, namespace="/chat", timeout=10)

    def messages(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [d for n, d in self.events if n == "message" and (kind is None or d["kind"] == kind)]

    def tickets(self) -> list[dict[str, Any]]:
        return [d for n, d in self.events if n == "ticket"]


@pytest.fixture
async def visitor(server: str) -> AsyncIterator[Callable[[], ChatVisitor]]:
    made: list[ChatVisitor] = []

    def make() -> ChatVisitor:
        v = ChatVisitor(server)
        made.append(v)
        return v

    yield make
    for v in made:
        await v.close()
