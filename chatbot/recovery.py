"""Unfinished turns are finished later, by whichever process is alive.

A customer's message is stored (and acknowledged) before the bot thinks about it. If the process
dies mid-turn, or the turn fails because the database went away for a moment, the message is safe
but unanswered. So `accept` writes a `pending_turns` row in the same transaction as the message,
and the turn deletes it in its own last commit (`ConversationStore.finish`): a row that outlives
`retry_after` seconds marks a turn that never finished. A background task (at start, then every few
seconds, batch after batch while a batch comes back full) claims such rows with a conditional
UPDATE — so two processes never both take one — and runs the turn again.

At most `max_attempts` tries: a message that kills the process every time it is understood must
not kill it forever. A resumed turn runs from the start, but a reply the dead turn had already stored is
not stored or shown again (the turn is handed what was said after its message); what it had not
said yet is said now, so nothing is lost and nothing is repeated.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.conversations import Accepted, to_outbound
from chatbot.db import utcnow
from chatbot.logs import bind
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.models import Conversation, Message
from chatbot.pending import PendingTurn
from chatbot.pipeline import Pipeline, Turn, TurnObserver

log = logging.getLogger(__name__)
Emit = Callable[[OutboundMessage], Awaitable[None]]
EmitterFactory = Callable[[str], Emit]  # conversation id -> how to show its replies


class FinishedTurns(TurnObserver):
    """Skips a resumed turn whose message was finished meanwhile (the pipeline deletes the pending
    row in the turn's last transaction: finished and unmarked at once)."""

    async def starting(self, turn: Turn) -> bool:
        """A resumed turn runs only if its message is still unfinished once it holds the lock: the
        original turn may have been slow rather than dead, and has finished meanwhile."""
        if not turn.inbound.meta.get("resumed"):
            return True
        row = await turn.session.get(PendingTurn, turn.accepted.message_id)
        return row is not None


class Recovery:
    def __init__(self, pipeline: Pipeline, sessions: async_sessionmaker[AsyncSession], *,
                 retry_after: float = 60.0, max_attempts: int = 3, batch: int = 50,
                 on_abandon: Callable[[str], None] | None = None) -> None:
        self.pipeline, self.sessions = pipeline, sessions
        self.retry_after, self.max_attempts = retry_after, max_attempts
        self.batch = batch  # turns claimed per round
        self.emitters: dict[str, EmitterFactory] = {}
        self.on_abandon = on_abandon
        self._task: asyncio.Task[None] | None = None

    def register(self, channel: str, emitter: EmitterFactory) -> None:
        """A channel says how a recovered turn's replies reach its customer (chat room, outbox)."""
        self.emitters[channel] = emitter

    async def _claim(self, now: datetime, limit: int) -> list[tuple[PendingTurn, int]]:
        async with self.sessions() as s:
            # A fresh row is left alone for `retry_after`: its turn is probably still running.
            grace = now - timedelta(seconds=self.retry_after)
            due = (await s.scalars(select(PendingTurn).where(or_(
                and_(PendingTurn.attempts == 0, PendingTurn.next_attempt_at <= grace),
                and_(PendingTurn.attempts > 0, PendingTurn.next_attempt_at <= now)))
                .order_by(PendingTurn.next_attempt_at).limit(limit))).all()
            claimed = []
            for row in due:
                later = now + timedelta(seconds=self.retry_after * 2 ** row.attempts)
                result = await s.execute(
                    update(PendingTurn).where(PendingTurn.message_id == row.message_id,
                                              PendingTurn.attempts == row.attempts)
                    .values(attempts=row.attempts + 1, next_attempt_at=later))
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append((row, row.attempts + 1))
            await s.commit()
        return claimed

    async def run_once(self, now: datetime | None = None, limit: int | None = None) -> int:
        """Retry the turns that are due (at most one batch); returns how many were run to the end."""
        return (await self._round(now, limit or self.batch))[1]

    async def _round(self, now: datetime | None, limit: int) -> tuple[int, int]:
        """(turns claimed, turns run to the end) of one batch."""
        done = 0
        try:
            claimed = await self._claim(now or utcnow(), limit)
        except Exception:  # the database is away (a failover invalidates the pool): next round
            log.warning("could not look for unfinished turns", exc_info=True)
            return 0, 0
        for row, attempt in claimed:
            with bind(conversation_id=row.conversation_id, message_id=row.message_id, attempt=attempt):
                if attempt > self.max_attempts:
                    await self._abandon(row)
                    continue
                try:
                    if await self._resume(row):
                        done += 1
                except Exception:
                    log.exception("resuming an unfinished turn failed; it will be tried again")
        return len(claimed), done

    async def _resume(self, row: PendingTurn) -> bool:
        async with self.sessions() as s:
            msg = await s.get(Message, row.message_id)
            conv = await s.get(Conversation, row.conversation_id)
            if msg is None or conv is None:
                return False
            factory = self.emitters.get(conv.channel)
            if factory is None:
                log.warning("no channel registered to resume %s turns", conv.channel)
                return False
            earlier = await s.scalar(select(func.count()).select_from(Message).where(
                Message.conversation_id == conv.id, Message.author == "customer", Message.id < msg.id))
            # Replies the dead turn already stored (and maybe showed): said again, they are not repeated.
            after = (await s.scalars(select(Message).where(
                Message.conversation_id == conv.id, Message.id > msg.id, Message.author != "customer")
                .order_by(Message.id))).all()
            shown = {m.text: to_outbound(m) for m in after}
        inbound = InboundMessage(
            channel=conv.channel, conversation_id=conv.id, text=msg.text, received_at=msg.created_at,
            # Who wrote is what the conversation already established: nothing is re-claimed.
            sender=Sender(), subject=(msg.meta or {}).get("subject"), client_id=msg.client_id,
            questions_per_reply=1 if conv.channel == "chat" else None,
            meta={"resumed": True, "shown_before": shown})
        accepted = Accepted(msg.id, conv.id, msg.created_at, is_first=earlier == 0)
        log.info("resuming an unfinished turn")
        await self.pipeline.process(inbound, accepted, factory(conv.id))
        return True

    async def _abandon(self, row: PendingTurn) -> None:
        log.error("giving up an unfinished turn after %d attempts; an agent should read it", self.max_attempts)
        async with self.sessions() as s, s.begin():
            await s.execute(delete(PendingTurn).where(PendingTurn.message_id == row.message_id))
        if self.on_abandon:
            self.on_abandon(row.conversation_id)

    # -- the background task ---------------------------------------------------------------------
    async def _loop(self, interval: float) -> None:
        while True:
            try:
                # A full batch means more may be due (a process died with many turns in flight, an
                # email burst among them): the next batch at once, not one batch per interval.
                while (await self._round(None, self.batch))[0] >= self.batch:
                    pass
            except Exception:  # the database may be down; the next round tries again
                log.warning("recovery round failed", exc_info=True)
            await asyncio.sleep(interval)  # monotonic: a wall-clock jump neither stalls nor floods it

    def start(self, interval: float | None = None) -> None:
        self._task = asyncio.create_task(self._loop(interval or min(30.0, max(0.5, self.retry_after / 2))))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
