"""One pipeline for every channel.

A channel hands in a frozen InboundMessage. ``accept`` stores it (that is what the channel
acknowledges); ``process`` then runs the ordered steps under a per-conversation lock, and every
reply a step says is stored and handed to the channel's ``emit`` at once, so the acknowledgement
reaches the customer before the bot has finished thinking.
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatbot.conversations import FIRST_READ, TURN_LOCKS_READ, Accepted, ConversationStore
from chatbot.flows.engine import FlowState
from chatbot.i18n import DEFAULT_LANGUAGE, current_language, gettext
from chatbot.logs import bind
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.models import Conversation, Customer, Ticket
from chatbot.turn_locks import TurnLocks, commit, turn_session
from chatbot.understanding import Analysis

log = logging.getLogger(__name__)

Emit = Callable[[OutboundMessage], Awaitable[None]]


class EndTurn(Exception):
    """A step has said all there is to say in this turn."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@dataclass
class Turn:
    """The mutable state of one turn; the message itself stays frozen."""

    inbound: InboundMessage
    accepted: Accepted
    session: AsyncSession
    emit: Emit
    store: ConversationStore
    conversation: Conversation | None = None
    customer: Customer | None = None
    verified: bool = False
    known_services: list[str] = field(default_factory=list)
    lang: str = DEFAULT_LANGUAGE
    lang_supported: bool = True
    analysis: Analysis | None = None
    flow: FlowState = field(default_factory=FlowState)
    wants_ticket: bool = False
    open_ticket: Ticket | None = None  # the conversation's open ticket when the turn began
    ticket: Ticket | None = None       # the ticket this turn is about (opened, or added to)
    ticket_opened: bool = False
    replies: list[OutboundMessage] = field(default_factory=list)
    outcome: str = "done"

    @property
    def conv(self) -> Conversation:
        assert self.conversation is not None, "load_conversation runs first"
        return self.conversation

    async def say(self, msgid: str, kind: str = "answer", *, ticket: dict[str, Any] | None = None,
                  **params: Any) -> OutboundMessage:
        return await self.say_text(gettext(msgid, self.lang, **params), kind, ticket=ticket)

    async def say_text(self, text: str, kind: str = "answer", *, ticket: dict[str, Any] | None = None,
                       author: str = "bot") -> OutboundMessage:
        """Store a reply and hand it to the channel now (commit first: what is shown is durable)."""
        shown = self.inbound.meta.get("shown_before")  # a resumed turn: said before the process died
        if shown and text in shown:
            self.replies.append(shown[text])
            return shown[text]  # type: ignore[no-any-return]
        out = await self.store.add_reply(self.session, self.accepted.conversation_id, author, kind, text,
                                         self.lang, ticket)
        await commit(self.session)
        self.replies.append(out)
        await self.emit(out)
        return out


class Step(Protocol):
    async def __call__(self, turn: Turn) -> None: ...


class TurnObserver:
    """Watches turns without taking part in them (metrics, recovery of unfinished turns). Override
    what you need; an observer must not raise: it would fail the customer's turn."""

    def accepted(self, inbound: InboundMessage, accepted: Accepted) -> None: ...

    def replied(self, inbound: InboundMessage, out: OutboundMessage, first_reply: bool) -> None: ...

    async def starting(self, turn: Turn) -> bool:
        """Under the conversation's lock, before the first step: False skips the turn (e.g. a
        resumed turn whose original finished while the resumption waited for the lock)."""
        return True

    async def finishing(self, turn: Turn) -> None:
        """Inside the turn's transaction, just before its last statement and commit."""

    def finished(self, turn: Turn) -> None: ...

    def failed(self, inbound: InboundMessage, error: BaseException) -> None: ...


class Pipeline:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], store: ConversationStore,
                 steps: Sequence[Step]) -> None:
        self.sessions = sessions
        self.store = store
        self.steps = list(steps)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.observers: list[TurnObserver] = []  # added by the composition root
        engine = sessions.kw.get("bind")  # on PostgreSQL this process's turns hold their locks together
        self.turn_locks = (TurnLocks(engine, TURN_LOCKS_READ, FIRST_READ)
                           if isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql" else None)

    def lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    async def accept(self, inbound: InboundMessage) -> Accepted:
        accepted = await self.store.accept(inbound)
        for observer in self.observers:
            observer.accepted(inbound, accepted)
        return accepted

    def _observed(self, inbound: InboundMessage, emit: Emit) -> Emit:
        answered = False

        async def observed(out: OutboundMessage) -> None:
            nonlocal answered
            await emit(out)
            first, answered = not answered and out.kind != "ack", answered or out.kind != "ack"
            for observer in self.observers:
                observer.replied(inbound, out, first)
        return observed

    async def process(self, inbound: InboundMessage, accepted: Accepted, emit: Emit) -> Turn:
        with bind(conversation_id=inbound.conversation_id, channel=inbound.channel):
            return await self._process(inbound, accepted, self._observed(inbound, emit))

    async def _process(self, inbound: InboundMessage, accepted: Accepted, emit: Emit) -> Turn:
        # The asyncio lock orders this process's turns; turn_session extends that to other processes.
        async with self.lock(inbound.conversation_id):
            async with turn_session(self.sessions, inbound.conversation_id, self.turn_locks) as session:
                turn = Turn(inbound=inbound, accepted=accepted, session=session, emit=emit, store=self.store)
                token = current_language.set(DEFAULT_LANGUAGE)
                try:
                    for observer in self.observers:
                        if not await observer.starting(turn):
                            turn.outcome = "skipped"
                            return turn
                    for step in self.steps:
                        try:
                            await step(turn)
                        except EndTurn as end:
                            turn.outcome = end.outcome
                            break
                    for observer in self.observers:
                        await observer.finishing(turn)
                    await self.store.finish(session, accepted.message_id)  # the turn is no longer owed
                    await commit(session)
                except Exception as exc:
                    for observer in self.observers:
                        observer.failed(inbound, exc)
                    raise
                finally:
                    current_language.reset(token)
                for observer in self.observers:
                    observer.finished(turn)
                return turn

    async def handle(self, inbound: InboundMessage, emit: Emit) -> Turn:
        """Accept and process in one go (email, tests, the CLI)."""
        return await self.process(inbound, await self.accept(inbound), emit)
