"""Agents' accounts: argon2id hashes, sessions that expire, logins that slow down guessing. The
clock is injected, so "an hour later" is a value, not a wait."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from chatbot.agents.auth import AgentAuth, LoginError
from chatbot.agents.models import Agent, AgentSession
from tests.agents.conftest import FAST, PASSWORD, login

T0 = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def auth(sessions: Any, clock: Clock) -> AgentAuth:
    auth = AgentAuth(sessions, hasher=FAST, clock=clock)
    await auth.add_agent(name="Anna Nowak", email="Anna@Introserv.com", teams=["support"], role="agent",
                         password=PASSWORD)
    return auth


async def test_the_password_is_stored_only_as_an_argon2id_hash(auth: AgentAuth, sessions: Any) -> None:
    async with sessions() as s:
        agent = await s.scalar(select(Agent))
    assert agent.email == "anna@introserv.com"
    assert agent.password_hash.startswith("$argon2id$") and PASSWORD not in agent.password_hash


async def test_a_login_opens_a_session_that_expires(auth: AgentAuth, clock: Clock, sessions: Any) -> None:
    login_ = await auth.login("anna@introserv.com", PASSWORD, "203.0.113.5")
    assert (await auth.agent_for(login_.token)).name == "Anna Nowak"
    async with sessions() as s:
        stored = await s.scalar(select(AgentSession))
    assert stored.token_hash != login_.token, "only a hash of the token is kept"
    clock.now = login_.expires_at - timedelta(seconds=1)
    assert await auth.agent_for(login_.token) is not None
    clock.now = login_.expires_at
    assert await auth.agent_for(login_.token) is None, "expired"


async def test_logout_and_deactivation_end_the_session(auth: AgentAuth, sessions: Any) -> None:
    first = await auth.login("anna@introserv.com", PASSWORD, None)
    second = await auth.login("anna@introserv.com", PASSWORD, None)
    await auth.logout(first.token)
    assert await auth.agent_for(first.token) is None
    assert await auth.agent_for(second.token) is not None, "logging out one browser leaves the others"
    async with sessions() as s, s.begin():
        (await s.scalar(select(Agent))).active = False
    assert await auth.agent_for(second.token) is None


async def test_wrong_passwords_and_unknown_addresses_get_the_same_answer(auth: AgentAuth) -> None:
    for email, password in (("anna@introserv.com", "wrong password!"), ("nobody@introserv.com", PASSWORD)):
        with pytest.raises(LoginError) as err:
            await auth.login(email, password, None)
        assert err.value.code == "invalid_credentials"


async def test_guessing_is_slowed_down_even_with_the_right_password(auth: AgentAuth, clock: Clock) -> None:
    for _ in range(3):  # a few typos cost nothing
        with pytest.raises(LoginError, match="invalid_credentials"):
            await auth.login("anna@introserv.com", "guess", "198.51.100.7")
    with pytest.raises(LoginError, match="invalid_credentials"):
        await auth.login("anna@introserv.com", "guess", "198.51.100.7")
    with pytest.raises(LoginError) as err:
        await auth.login("anna@introserv.com", PASSWORD, "198.51.100.7")
    assert err.value.code == "throttled" and err.value.retry_after == 2
    clock.now += timedelta(seconds=2)
    with pytest.raises(LoginError, match="invalid_credentials"):
        await auth.login("anna@introserv.com", "guess", "198.51.100.7")
    with pytest.raises(LoginError) as err:
        await auth.login("anna@introserv.com", PASSWORD, "203.0.113.9")  # another address: same account
    assert err.value.code == "throttled" and err.value.retry_after == 4, "each failure doubles the wait"
    clock.now += timedelta(seconds=4)
    assert await auth.login("anna@introserv.com", PASSWORD, "203.0.113.9")
    assert await auth.login("anna@introserv.com", PASSWORD, "203.0.113.9"), "a success clears the account"


async def test_one_address_trying_many_accounts_is_slowed_down(auth: AgentAuth, clock: Clock) -> None:
    for n in range(4):
        with pytest.raises(LoginError, match="invalid_credentials"):
            await auth.login(f"guess{n}@introserv.com", "guess", "198.51.100.7")
    with pytest.raises(LoginError, match="throttled"):
        await auth.login("anna@introserv.com", PASSWORD, "198.51.100.7")
    assert await auth.login("anna@introserv.com", PASSWORD, "203.0.113.1"), "other addresses are not punished"


async def test_hashing_leaves_the_event_loop_free(sessions: Any) -> None:
    """argon2 runs in a worker thread: other coroutines keep running while a password is hashed."""
    auth = AgentAuth(sessions)  # the real, deliberately slow parameters
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    hashed = await auth.hash_password(PASSWORD)
    ticker.cancel()
    assert hashed.startswith("$argon2id$") and ticks > 10


async def test_the_login_endpoint_sets_an_httponly_cookie_and_reports_throttling(server: str, make_agent: Any) -> None:
    import aiohttp

    await make_agent()
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:  # unsafe: an IP host
        async with http.post(f"{server}/agent/api/login", json={"email": "anna@introserv.com",
                                                                  "password": PASSWORD}) as r:
            assert r.status == 200 and (await r.json())["agent"]["name"] == "Anna Nowak"
            cookie = r.cookies["isv_agent"]
            assert cookie["httponly"] and cookie["samesite"] == "Strict"
        async with http.get(f"{server}/agent/api/me") as r:
            assert r.status == 200
        async with http.post(f"{server}/agent/api/logout") as r:
            assert r.status == 200
        async with http.get(f"{server}/agent/api/me") as r:
            assert r.status == 401
        async with http.post(f"{server}/agent/api/login", data="email=anna@introserv.com&password=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"}) as r:
            assert r.status == 415, "a cross-site form cannot log anyone in"
    statuses = [(await login(server, "anna@introserv.com", "wrong"))[0] for _ in range(5)]
    assert statuses[:4] == [401] * 4 and statuses[4] == 429
