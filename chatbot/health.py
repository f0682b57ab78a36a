"""Liveness and readiness for the load balancer and the on-call engineer.

`/healthz` answers as long as the event loop does: restart the process when it stops answering.
`/readyz` says whether this process can do its job now — the database answers a query, and, when
the email channel is configured, the IMAP and SMTP servers greet us — with one entry per check so
the engineer sees which dependency is down. 503 takes the process out of rotation, not down.
Mail servers are only greeted, never logged into: a probe every few seconds must not fill their
logs with logins nor trip their failed-login defences.
"""
from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.logs import redact_text
from chatbot.settings import Settings

Check = Callable[[], Awaitable[None]]  # returns when healthy, raises with the reason otherwise
CHECK_TIMEOUT = 3.0


def database_check(sessions: async_sessionmaker[AsyncSession]) -> Check:
    async def check() -> None:
        async with sessions() as s:
            await s.execute(text("SELECT 1"))
    return check


def greeting_check(host: str, port: int, use_tls: bool, expect: bytes) -> Check:
    """Connect, read the server's first line, expect `expect` at its start, then hang up."""

    async def check() -> None:
        context = ssl.create_default_context() if use_tls else None
        reader, writer = await asyncio.open_connection(host, port, ssl=context,
                                                       server_hostname=host if use_tls else None)
        try:
            line = await reader.readline()
            if not line.startswith(expect):
                raise ConnectionError(f"unexpected greeting {line[:60]!r}")
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, ssl.SSLError):
                pass
    return check


def readiness_checks(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> dict[str, Check]:
    checks = {"database": database_check(sessions)}
    if settings.imap_host:
        checks["imap"] = greeting_check(settings.imap_host, settings.imap_port, settings.imap_tls, b"* OK")
    if settings.smtp_host:
        # STARTTLS servers greet in clear text; only implicit TLS ("tls") needs the handshake first.
        checks["smtp"] = greeting_check(settings.smtp_host, settings.smtp_port, settings.smtp_tls == "tls", b"220")
    return checks


async def _run(name: str, check: Check, timeout: float) -> dict[str, Any]:
    started = time.monotonic()
    try:
        await asyncio.wait_for(check(), timeout)
        result: dict[str, Any] = {"status": "ok"}
    except TimeoutError:
        result = {"status": "fail", "error": f"no answer within {timeout:g} s"}
    except Exception as exc:  # noqa: BLE001 — the reason is what the engineer needs; never the settings' secrets
        result = {"status": "fail", "error": redact_text(f"{type(exc).__name__}: {str(exc)[:200]}")}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


class Health:
    def __init__(self, checks: dict[str, Check], timeout: float = CHECK_TIMEOUT) -> None:
        self.checks = checks
        self.timeout = timeout

    def add(self, name: str, check: Check) -> None:
        """Another part of the system (a channel, a worker) adds what it needs to be ready."""
        self.checks[name] = check

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, request: web.Request) -> web.Response:
        names = list(self.checks)
        results = await asyncio.gather(*(_run(n, self.checks[n], self.timeout) for n in names))
        checks = dict(zip(names, results))
        ready = all(r["status"] == "ok" for r in results)
        return web.json_response({"status": "ready" if ready else "not ready", "checks": checks},
                                 status=200 if ready else 503)

    def install(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
