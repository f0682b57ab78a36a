"""The agents' side assembled: accounts and logins, the queue, the takeover actions, the /agent
namespace and the HTTP routes. The composition root (chatbot/app.py) builds one and hands the chat
channel its ``relay``, so that what happens in a visitor's chat reaches the consoles."""
from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.agents.auth import AgentAuth
from chatbot.agents.queue import Queue
from chatbot.agents.takeover import LockFor, Takeover
from chatbot.agents.tickets import TicketMaker
from chatbot.agents.web import AgentWeb
from chatbot.business_hours import BusinessHours
from chatbot.channels.agent import AgentNamespace
from chatbot.desk import Desk


class AgentConsole:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], desk: Desk, hours: BusinessHours, *,
                 lock: LockFor | None = None, max_chars: int = 4000) -> None:
        self.auth = AgentAuth(sessions)
        self.queue = Queue(sessions)
        self.takeover = Takeover(sessions, TicketMaker(desk, hours),
                                 first_response=timedelta(seconds=desk.promises.first_response_seconds),
                                 lock=lock, max_chars=max_chars)
        self.namespace = AgentNamespace(self.auth, self.queue, self.takeover, list(desk.teams))
        self.relay = self.namespace.relay

    def install(self, app: web.Application) -> None:
        AgentWeb(self.auth).install(app)
