"""The agents' session: cookie flags (HttpOnly, SameSite, Secure behind TLS) and no cross-site
request or WebSocket can act with an agent's cookie (CSRF, cross-site WebSocket hijacking)."""
from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
import pytest
import socketio
from argon2 import PasswordHasher

from chatbot.agents.auth import AgentAuth
from chatbot.agents.web import COOKIE

PASSWORD = "correct horse battery staple"
EMAIL = "anna@introserv.com"


@pytest.fixture
async def agent(sessions: Any) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    await AgentAuth(sessions, hasher=cheap).add_agent(name="Anna Nowak", email=EMAIL, teams=("support",),
                                                      role="agent", password=PASSWORD)


async def login(url: str, **headers: str) -> tuple[int, SimpleCookie]:
    async with aiohttp.ClientSession() as http, http.post(
            f"{url}/agent/api/login", json={"email": EMAIL, "password": PASSWORD}, headers=headers) as r:
        cookie: SimpleCookie = SimpleCookie()
        for raw in r.headers.getall("Set-Cookie", []):
            cookie.load(raw)
        return r.status, cookie


async def me(url: str, token: str) -> int:
    async with aiohttp.ClientSession(cookies={COOKIE: token}) as http, http.get(f"{url}/agent/api/me") as r:
        return r.status


async def test_the_session_cookie_is_httponly_strict_and_secure_behind_tls(server: str, agent: None) -> None:
    status, cookie = await login(server)
    assert status == 200
    morsel = cookie[COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert not morsel["secure"], "plain HTTP on a developer machine: a Secure cookie would never come back"
    status, cookie = await login(server, **{"X-Forwarded-Proto": "https"})
    assert status == 200 and cookie[COOKIE]["secure"], "behind a TLS-terminating proxy the cookie is Secure"


async def test_cross_site_requests_cannot_use_the_session(server: str, agent: None) -> None:
    _, cookie = await login(server)
    token = cookie[COOKIE].value
    async with aiohttp.ClientSession(cookies={COOKIE: token}) as http:
        for origin in ("https://evil.example", "null", "http://127.0.0.1.evil.example"):
            async with http.post(f"{server}/agent/api/logout", headers={"Origin": origin}) as r:
                assert r.status == 403 and (await r.json())["error"]["code"] == "cross_origin"
        async with http.post(f"{server}/agent/api/logout", headers={"Sec-Fetch-Site": "cross-site"}) as r:
            assert r.status == 403
    assert await me(server, token) == 200, "the forged logouts did nothing"
    # A cross-site form cannot log anyone in (or out) either: JSON only, and from our origin.
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server}/agent/api/login", data={"email": EMAIL, "password": PASSWORD}) as r:
            assert r.status == 415
        async with http.post(f"{server}/agent/api/login", json={"email": EMAIL, "password": PASSWORD},
                             headers={"Origin": "https://evil.example"}) as r:
            assert r.status == 403
    # The console's own page may.
    host = server.removeprefix("http://")
    async with aiohttp.ClientSession(cookies={COOKIE: token}) as http, http.post(
            f"{server}/agent/api/logout", headers={"Origin": f"http://{host}"}) as r:
        assert r.status == 200
    assert await me(server, token) == 401


async def test_another_site_cannot_open_the_console_socket(server: str, agent: None) -> None:
    _, cookie = await login(server)
    token = cookie[COOKIE].value
    hijacker = socketio.AsyncClient(reconnection=False)
    seen: list[str] = []
    closed = asyncio.Event()
    hijacker.on("hello", lambda data=None: seen.append("hello"), namespace="/agent")
    hijacker.on("disconnect", lambda reason=None: closed.set(), namespace="/agent")
    try:
        # The server accepts the transport, then refuses the namespace (or the client gives up).
        await hijacker.connect(server, namespaces=["/agent"], transports=["websocket"], wait_timeout=10,
                               headers={"Cookie": f"{COOKIE}={token}", "Origin": "https://evil.example"})
        await asyncio.wait_for(closed.wait(), 10)
    except socketio.exceptions.ConnectionError:
        pass
    finally:
        await hijacker.disconnect()
    assert seen == [], "no console session was opened for the other site"
    console = socketio.AsyncClient(reconnection=False)
    try:
        await console.connect(server, namespaces=["/agent"], transports=["websocket"], wait_timeout=10,
                              headers={"Cookie": f"{COOKIE}={token}",
                                       "Origin": f"http://{server.removeprefix('http://')}"})
        assert "/agent" in console.namespaces, "the console from our own origin connects"
    finally:
        await console.disconnect()
