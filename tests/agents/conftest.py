"""Fixtures for the agents' side: accounts, a logged-in console (a real python-socketio client on
/agent), and the shortcuts the tests share."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from argon2 import PasswordHasher

from chatbot.agents.auth import AgentAuth, AgentIdentity
from chatbot.agents.web import COOKIE
from tests.support import RecordingClient

PASSWORD = "correct horse battery staple"
# Cheap argon2 parameters for the accounts the tests create; the server verifies any parameters
# (they are stored in the hash) and upgrades them on the next login.
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture
def make_agent(sessions: Any) -> Callable[..., Awaitable[AgentIdentity]]:
    async def make(name: str = "Anna Nowak", email: str = "anna@introserv.com", role: str = "agent",
                   teams: tuple[str, ...] = ("support",)) -> AgentIdentity:
        return await AgentAuth(sessions, hasher=FAST).add_agent(name=name, email=email, teams=teams, role=role,
                                                               password=PASSWORD)
    return make


async def login(base_url: str, email: str, password: str = PASSWORD) -> tuple[int, dict[str, Any], str | None]:
    """POST /agent/api/login; returns the status, the JSON body and the session cookie."""
    async with aiohttp.ClientSession() as http, http.post(
            f"{base_url}/agent/api/login", json={"email": email, "password": password}) as r:
        cookie = r.cookies.get(COOKIE)
        return r.status, await r.json(), cookie.value if cookie else None


class Console(RecordingClient):
    """An agent's console reduced to a Socket.IO client that records the live events."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, "/agent", ("hello", "queue.changed", "conversation.message",
                                              "conversation.typing", "conversation.read",
                                              "conversation.changed", "session_expired"))

    async def connect(self, token: str) -> None:
        await self.client.connect(self.base_url, namespaces=["/agent"], auth={"token": token},
                                  transports=["websocket"], wait_timeout=10)
        await self.wait_for(lambda: bool(self.of("hello")))

    async def call(self, event: str, data: dict[str, Any] | None = None) -> Any:
        return await self.client.call(event, data or {}, namespace="/agent", timeout=10)

    def of(self, name: str) -> list[Any]:
        return [d for n, d in self.events if n == name]


@pytest.fixture
async def console(server: str, make_agent: Any) -> AsyncIterator[Callable[..., Awaitable[Console]]]:
    """Log an agent in (creating the account) and connect a console for them."""
    made: list[Console] = []

    async def open_console(name: str = "Anna Nowak", email: str = "anna@introserv.com",
                           role: str = "agent") -> Console:
        await make_agent(name=name, email=email, role=role)
        status, body, token = await login(server, email)
        assert status == 200 and token, body
        c = Console(server)
        made.append(c)
        await c.connect(token)
        return c

    yield open_console
    for c in made:
        await c.close()
