"""Fixtures for the hardening tests: apps with chosen settings, visitors from chosen addresses, and
a guard that turns a hang in synchronous code into a test failure instead of a stuck suite."""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest
import socketio
from aiohttp import web

from chatbot.app import OPERATIONS, build_app
from chatbot.operations import Operations
from chatbot.settings import Settings
from tests.conftest import ChatVisitor
from tests.servers._common import free_port
from tests.servers.dovecot import dovecot, dovecot_binary, make_dovecot  # noqa: F401  (real IMAP server)
from tests.servers.smtp import smtp_server  # noqa: F401  (real SMTP server)

T = TypeVar("T")
# Limits low enough to reach in a test and no refill to speak of (one token per 100 minutes).
TIGHT = {"chat_messages_per_minute": 0.01, "chat_message_burst": 3,
         "chat_address_messages_per_minute": 0.01, "chat_address_message_burst": 5,
         "chat_connections_per_minute": 0.01, "chat_connection_burst": 4,
         "trusted_proxies": "127.0.0.1"}
UNLIMITED = {"chat_messages_per_minute": 0, "chat_address_messages_per_minute": 0,
             "chat_connections_per_minute": 0}


def within(seconds: float, fn: Callable[[], T]) -> T:
    """Run `fn` in a daemon thread; fail the test if it has not returned after `seconds` (a regex
    that backtracks for minutes cannot be interrupted, but the suite must not wait for it)."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(("ok", fn()))
        except BaseException as exc:  # noqa: BLE001 — re-raised in the test's thread
            result.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"call did not return within {seconds} s (catastrophic backtracking or a hang?)")
    kind, value = result[0]
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


@dataclasses.dataclass
class RunningApp:
    url: str
    app: web.Application

    @property
    def ops(self) -> Operations:
        return self.app[OPERATIONS]


@pytest.fixture
async def make_app(settings: Settings, sessions: Any) -> AsyncIterator[Callable[..., Awaitable[RunningApp]]]:
    """Start the real app with some settings changed; every app started is stopped at the end."""
    runners: list[web.AppRunner] = []

    async def start(**overrides: Any) -> RunningApp:
        app = build_app(dataclasses.replace(settings, **overrides))
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        return RunningApp(f"http://127.0.0.1:{port}", app)

    yield start
    for runner in runners:
        await runner.cleanup()


class ForwardedVisitor(ChatVisitor):
    """A visitor seen through a trusted reverse proxy as coming from `address`."""

    def __init__(self, base_url: str, address: str | None = None) -> None:
        super().__init__(base_url)
        self.address = address
        self.client.on("disconnect", self._recorder("disconnect"), namespace="/chat")

    async def connect(self, wait: bool = True, **auth: Any) -> None:
        """`wait=False` for a connection expected to be refused (no namespace will stay connected)."""
        headers = {"X-Forwarded-For": self.address} if self.address else {}
        await self.client.connect(self.base_url, namespaces=["/chat"], auth=auth or None, headers=headers,
                                  transports=["websocket"], wait=wait, wait_timeout=10)
        # A refused connection ends with an error and no session; an invalid token with both.
        await self.wait_for(lambda: bool(self.session) or any(
            n == "disconnect" or (n == "error" and d.get("code") == "rate_limited") for n, d in self.events))

    async def call(self, event: str, data: Any = None) -> Any:
        return await self.client.call(event, data, namespace="/chat", timeout=10)


@pytest.fixture
async def visitors() -> AsyncIterator[Callable[..., ForwardedVisitor]]:
    made: list[ForwardedVisitor] = []

    def make(base_url: str, address: str | None = None) -> ForwardedVisitor:
        v = ForwardedVisitor(base_url, address)
        made.append(v)
        return v

    yield make
    for v in made:
        if v.client.connected:
            await v.client.disconnect()


__all__ = ["TIGHT", "UNLIMITED", "ForwardedVisitor", "RunningApp", "socketio", "within"]
