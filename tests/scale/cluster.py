"""Several `chatbot serve` processes against one PostgreSQL database and one Redis, as a deployment
behind a load balancer would run them. Used by the multi-process tests and by bench/chat_load.py.

Every wait is bounded; every process started here is stopped here (by its own pid)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from chatbot.migrate import upgrade
from tests.servers._common import free_port

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


class ServerProcess:
    """One `chatbot serve` (or any aiohttp server command) on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str, command: list[str] | None = None) -> None:
        self.env, self.name = env, name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self.command = command or [sys.executable, "-m", "chatbot", "serve", "--port", str(self.port)]
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        log = self.log_path.open("ab")
        # cwd is a scratch directory: no ./chatbot.toml of a developer's checkout is read.
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.workdir, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no cleanup handler runs, sockets and database sessions just drop."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            assert self.proc is not None
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def rss_kb(self) -> int:
        """Resident memory of the process now, from /proc (Linux)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


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
