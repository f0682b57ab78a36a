"""Several `chatbot serve` processes against one PostgreSQL database and one Redis, as a deployment
behind a load balancer would run them. Used by the multi-process tests and by bench/chat_load.py.

Every wait is bounded; every process started here is stopped here (by its own pid): the process
class is tests/servers/chatbot.py's."""
from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from chatbot.migrate import upgrade
from tests.servers.chatbot import ServerProcess

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("CHATBOT_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CHATBOT_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _admin_dsn() -> str:
    return PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")


async def create_database(prefix: str = "chatbot_scale") -> str:
    """A new, migrated PostgreSQL database; its SQLAlchemy URL."""
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_admin_dsn(), timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    await upgrade(url)
    return url


async def drop_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_admin_dsn(), timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def redis_available(url: str = REDIS_URL) -> str | None:
    """None when Redis answers PING, else why not."""
    import redis.asyncio as aioredis

    client = aioredis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} ({exc})"
    finally:
        await client.aclose()


def server_env(database_url: str, *, redis_url: str = "", redis_channel: str = "", **extra: str) -> dict[str, str]:
    """The environment of one `chatbot serve` process. All processes of a deployment share the
    secret key (resume tokens issued by one are honoured by the others) and the Redis channel."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    env.update({
        "CHATBOT_DATABASE_URL": database_url,
        "CHATBOT_SECRET_KEY": "scale-test-shared-secret",
        "CHATBOT_HOST": "127.0.0.1",
        "CHATBOT_LOG_LEVEL": "WARNING",
        # Every test visitor comes from 127.0.0.1: per-address limits would count them as one.
        "CHATBOT_CHAT_CONNECTIONS_PER_MINUTE": "0",
        "CHATBOT_CHAT_ADDRESS_MESSAGES_PER_MINUTE": "0",
    })
    if redis_url:
        env["CHATBOT_REDIS_URL"] = redis_url
        env["CHATBOT_REDIS_CHANNEL"] = redis_channel or f"chatbot-test-{uuid.uuid4().hex[:8]}"
    env.update(extra)
    return env


class Cluster:
    """N chatbot processes sharing one database and (when N > 1 or asked) one Redis channel."""

    def __init__(self, database_url: str, workdir: Path, processes: int, *, redis_url: str = "",
                 **extra_env: str) -> None:
        channel = f"chatbot-test-{uuid.uuid4().hex[:8]}"
        # PostgreSQL's default max_connections is 100: the processes' pools share about 80 of them.
        extra_env.setdefault("CHATBOT_DATABASE_POOL_SIZE", str(max(5, min(30, 80 // processes - 10))))
        self.servers = [
            ServerProcess(server_env(database_url, redis_url=redis_url, redis_channel=channel, **extra_env),
                          workdir, f"chatbot-{i + 1}")
            for i in range(processes)
        ]

    def start(self) -> None:
        for s in self.servers:
            s.start()
        for s in self.servers:
            s.wait_ready()

    def stop(self) -> None:
        for s in self.servers:
            s.stop()

    @property
    def urls(self) -> list[str]:
        return [s.url for s in self.servers]


def run(coro: object) -> object:
    """Run a coroutine from synchronous fixture code."""
    return asyncio.run(coro)  # type: ignore[arg-type]
