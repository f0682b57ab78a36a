"""Agents' accounts and logins: argon2id password hashes, expiring sessions, throttled guessing.

Hashing is deliberately slow and memory-hard, so it runs in a worker thread: the event loop keeps
serving chats while a password is checked. A session token is random and only its SHA-256 is
stored. Unknown addresses cost the same work as known ones, so timing does not reveal who is an
agent.
"""
from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.agents.models import ROLES, Agent, AgentSession
from chatbot.agents.throttle import LoginThrottle, keys_for
from chatbot.db import utcnow

SESSION_TTL = timedelta(hours=12)  # one long shift; then the agent logs in again


class LoginError(Exception):
    def __init__(self, code: str, retry_after: float = 0.0) -> None:
        super().__init__(code)
        self.code = code  # invalid_credentials | throttled
        self.retry_after = retry_after


@dataclass(frozen=True)
class AgentIdentity:
    """What the rest of the desk knows about a logged-in agent (detached from any DB session)."""

    id: int
    email: str
    name: str
    teams: tuple[str, ...]
    role: str

    @classmethod
    def of(cls, agent: Agent) -> AgentIdentity:
        return cls(agent.id, agent.email, agent.name, tuple(agent.teams or ()), agent.role)

    def wire(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "name": self.name, "teams": list(self.teams),
                "role": self.role}


@dataclass(frozen=True)
class Login:
    token: str
    agent: AgentIdentity
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AgentAuth:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, ttl: timedelta = SESSION_TTL,
                 throttle: LoginThrottle | None = None, hasher: PasswordHasher | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.sessions = sessions
        self.ttl = ttl
        self.throttle = throttle or LoginThrottle()
        self.hasher = hasher or PasswordHasher()
        self.clock = clock
        self._decoy: str | None = None  # a hash to check unknown addresses against

    async def _in_thread(self, fn: Callable[..., object], *args: object) -> object:
        return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args))

    async def hash_password(self, password: str) -> str:
        return str(await self._in_thread(self.hasher.hash, password))

    async def _verify(self, stored: str | None, password: str) -> bool:
        if stored is None:
            self._decoy = self._decoy or await self.hash_password(secrets.token_hex(16))
            stored = self._decoy
        try:
            return bool(await self._in_thread(self.hasher.verify, stored, password)) and stored is not self._decoy
        except (VerificationError, InvalidHashError):
            return False

    async def add_agent(self, *, name: str, email: str, teams: Sequence[str], role: str,
                        password: str) -> AgentIdentity:
        """Create the agent, or update name, teams, role and password of an existing address."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < 10:
            raise ValueError("the password must have at least 10 characters")
        hashed = await self.hash_password(password)
        email = email.strip().lower()
        async with self.sessions() as s, s.begin():
            agent = await s.scalar(select(Agent).where(Agent.email == email))
            if agent is None:
                agent = Agent(email=email)
                s.add(agent)
            agent.name, agent.teams, agent.role = name.strip(), list(teams), role
            agent.password_hash, agent.active = hashed, True
            await s.flush()
            return AgentIdentity.of(agent)

    async def login(self, email: str, password: str, client_ip: str | None) -> Login:
        now = self.clock()
        email = email.strip().lower()
        keys = keys_for(email, client_ip)
        async with self.sessions() as s, s.begin():
            wait = await self.throttle.retry_after(s, keys, now)
            if wait > 0:
                raise LoginError("throttled", wait)
            # Count the attempt before checking it, so parallel guesses cannot all slip through.
            await self.throttle.failed(s, keys, now)
            agent = await s.scalar(select(Agent).where(Agent.email == email, Agent.active.is_(True)))
            stored = agent.password_hash if agent else None
        if not await self._verify(stored, password) or agent is None:
            raise LoginError("invalid_credentials")
        token = secrets.token_urlsafe(32)
        async with self.sessions() as s, s.begin():
            await self.throttle.succeeded(s, email, keys[1:], now)
            if self.hasher.check_needs_rehash(agent.password_hash):
                fresh = await s.get(Agent, agent.id)
                if fresh is not None:
                    fresh.password_hash = await self.hash_password(password)
            s.add(AgentSession(token_hash=token_hash(token), agent_id=agent.id, created_at=now,
                               expires_at=now + self.ttl))
        return Login(token, AgentIdentity.of(agent), now + self.ttl)

    async def agent_for(self, token: object) -> AgentIdentity | None:
        """The agent of a live session, or None (unknown, expired, logged out or deactivated)."""
        if not isinstance(token, str) or not 0 < len(token) <= 200:
            return None
        now = self.clock()
        async with self.sessions() as s:
            row = await s.get(AgentSession, token_hash(token))
            if row is None:
                return None
            if row.expires_at <= now:
                await s.delete(row)
                await s.commit()
                return None
            agent = await s.get(Agent, row.agent_id)
            return AgentIdentity.of(agent) if agent is not None and agent.active else None

    async def logout(self, token: object) -> None:
        if isinstance(token, str) and token:
            async with self.sessions() as s, s.begin():
                await s.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash(token)))

    async def list_agents(self) -> list[AgentIdentity]:
        async with self.sessions() as s:
            return [AgentIdentity.of(a) for a in (await s.scalars(select(Agent).order_by(Agent.email))).all()]
