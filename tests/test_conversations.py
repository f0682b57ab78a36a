"""The conversation store: messages that arrive together are committed together (group commit), and
so are the replies of turns that run at the same time; that changes nothing a customer or the
recovery of turns could notice. Both databases."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.conversations import Accepted, ConversationStore
from chatbot.db import driver_connection, utcnow
from chatbot.desk import load_desk
from chatbot.knowledge import Knowledge
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.models import Conversation, Message
from chatbot.pending import PendingTurn
from chatbot.pipeline import Pipeline
from chatbot.settings import Settings
from chatbot.understanding import Analyzer


def message(conversation_id: str, text: str, client_id: str | None = None, *, channel: Any = "chat",
            seconds: int = 0) -> InboundMessage:
    return InboundMessage(channel=channel, conversation_id=conversation_id, text=text, client_id=client_id,
                          received_at=utcnow() + timedelta(seconds=seconds))


class CountingStore(ConversationStore):
    """The real store, counting the transactions its accepts took."""

    def __init__(self, sessions: Any) -> None:
        super().__init__(sessions)
        self.batches: list[int] = []
        self.reply_batches: list[int] = []
        self.finish_batches: list[int] = []

    async def _accept_batch(self, batch: list[InboundMessage]) -> list[Accepted]:
        self.batches.append(len(batch))
        return await super()._accept_batch(batch)

    async def _insert_replies(self, batch: list[Any]) -> list[int]:
        self.reply_batches.append(len(batch))
        return await super()._insert_replies(batch)

    async def _delete_pending(self, batch: list[Any]) -> list[None]:
        self.finish_batches.append(len(batch))
        return await super()._delete_pending(batch)


async def test_messages_arriving_together_are_stored_in_fewer_transactions_each_exactly_once(sessions: Any) -> None:
    store = CountingStore(sessions)
    convs = [f"group-{i}" for i in range(8)]
    # Eight conversations, five messages each, all at once; every conversation's second message is
    # also sent twice (a client retry) within the same burst.
    burst = [message(c, f"message {n} of {c}", f"{c}-{n}", seconds=n) for n in range(5) for c in convs]
    burst += [message(c, f"message 1 of {c}", f"{c}-1", seconds=1) for c in convs]
    accepted = await asyncio.gather(*(store.accept(m) for m in burst))

    assert sum(store.batches) == len(burst) and len(store.batches) < len(burst) / 4
    originals, retries = accepted[:40], accepted[40:]
    assert not any(a.duplicate for a in originals) and all(a.duplicate for a in retries)
    assert [r.message_id for r in retries] == [a.message_id for a in originals[8:16]]
    for c in convs:
        mine = [a for a in originals if a.conversation_id == c]
        assert [a.is_first for a in mine] == [True, False, False, False, False]
        assert [a.message_id for a in mine] == sorted(a.message_id for a in mine)  # arrival order kept
    async with sessions() as s:
        stored = (await s.execute(select(Message.conversation_id, Message.text, Message.created_at)
                                  .where(Message.conversation_id.in_(convs)).order_by(Message.id))).all()
        owed = set(await s.scalars(select(PendingTurn.message_id)))
        conversations = await s.scalar(select(func.count()).select_from(Conversation)
                                       .where(Conversation.id.in_(convs)))
    assert conversations == 8 and len(stored) == 40
    assert {(c, t) for c, t, _ in stored} == {(m.conversation_id, m.text) for m in burst}
    assert {a.message_id for a in originals} <= owed  # every turn is owed until it has run
    by_text = {m.text: m.received_at for m in burst[:40]}
    assert all(at == by_text[t] for _, t, at in stored)  # the time of arrival, to the microsecond


async def test_a_message_that_cannot_be_stored_fails_alone(sessions: Any) -> None:
    store = CountingStore(sessions)
    good = [message(f"alone-{i}", "hello") for i in range(12)]
    bad = message("alone-bad", "hello", channel=None)  # a conversation without a channel: NOT NULL
    results = await asyncio.gather(*(store.accept(m) for m in good[:6] + [bad] + good[6:]),
                                   return_exceptions=True)

    assert isinstance(results[6], Exception)
    assert all(isinstance(r, Accepted) and r.is_first for r in results[:6] + results[7:])
    async with sessions() as s:
        stored = set(await s.scalars(select(Message.conversation_id)
                                     .where(Message.conversation_id.like("alone-%"))))
    assert stored == {m.conversation_id for m in good}
    # The store goes on accepting afterwards, alone or together.
    assert (await store.accept(message("alone-after", "hi"))).is_first


async def test_a_sender_that_stops_waiting_does_not_lose_the_others(sessions: Any) -> None:
    store = ConversationStore(sessions)
    first = asyncio.create_task(store.accept(message("wait-0", "hello")))
    others = [asyncio.create_task(store.accept(message(f"wait-{i}", "hello"))) for i in range(1, 6)]
    await asyncio.sleep(0)
    others[0].cancel()  # queued behind the first: its message may or may not be stored
    done = await asyncio.gather(first, *others[1:])
    assert all(a.is_first and not a.duplicate for a in done)
    with pytest.raises(asyncio.CancelledError):
        await others[0]


async def test_turns_running_together_each_show_their_own_stored_replies(settings: Settings, sessions: Any) -> None:
    store = CountingStore(sessions)
    desk = load_desk()
    pipeline = Pipeline(sessions, store, default_steps(settings, desk, Analyzer(desk),
                                                       Knowledge(desk, BusinessHours(desk))))
    shown: dict[str, list[OutboundMessage]] = {f"together-{i}": [] for i in range(30)}

    async def visitor(conversation_id: str, text: str) -> None:
        async def emit(out: OutboundMessage) -> None:
            shown[conversation_id].append(out)
        await pipeline.handle(message(conversation_id, text), emit)

    await asyncio.gather(*(visitor(c, "hello") for c in shown))
    await asyncio.gather(*(visitor(c, "thank you") for c in shown))

    async with sessions() as s:
        stored = (await s.execute(select(Message.id, Message.conversation_id, Message.author, Message.text)
                                  .where(Message.conversation_id.in_(list(shown))).order_by(Message.id))).all()
        owed = await s.scalar(select(func.count()).select_from(PendingTurn)
                              .where(PendingTurn.conversation_id.in_(list(shown))))
    assert owed == 0
    for c, outs in shown.items():
        assert [o.kind for o in outs] == ["ack", "answer", "answer"]  # acknowledged, greeted, thanked
        mine = [(i, author, text) for i, conv, author, text in stored if conv == c]
        assert [a for _, a, _ in mine] == ["customer", "bot", "bot", "customer", "bot"]
        assert [(o.id, o.text) for o in outs] == [(i, t) for i, a, t in mine if a == "bot"]  # shown = stored
    # The thanks, at least, went through group commit, and some were committed together (how many
    # depends on timing: tests/test_db.py measures the grouping itself).
    assert sum(store.reply_batches) >= 30 and len(store.reply_batches) < sum(store.reply_batches)
    if settings.is_sqlite:  # SQLite's turns end with one commit for several (PostgreSQL's: finish_turn)
        assert sum(store.finish_batches) >= 30 and len(store.finish_batches) < sum(store.finish_batches)


async def test_a_reply_that_cannot_be_stored_fails_alone_and_the_others_are_stored_once(sessions: Any) -> None:
    store = ConversationStore(sessions)
    await store.accept(message("replies-ok", "hello"))
    engine = sessions.kw["bind"]

    def reply(conversation_id: str, text: str) -> dict[str, Any]:
        return {"conversation_id": conversation_id, "author": "bot", "kind": "answer", "text": text, "lang": "en",
                "client_id": None, "created_at": utcnow(), "meta": {}}

    async with driver_connection(engine) as conn:  # a turn's connection, nothing open on it
        results = await asyncio.gather(
            store._replies.submit((conn, reply("replies-ok", "first"))),
            store._replies.submit((conn, reply("no-such-conversation", "lost"))),  # a foreign key refuses it
            store._replies.submit((conn, reply("replies-ok", "second"))), return_exceptions=True)
    assert isinstance(results[1], Exception) and all(isinstance(r, int) for r in (results[0], results[2]))
    async with sessions() as s:
        texts = list(await s.scalars(select(Message.text).where(Message.author == "bot")
                                     .where(Message.conversation_id.in_(["replies-ok", "no-such-conversation"]))
                                     .order_by(Message.id)))
    assert texts == ["first", "second"]
