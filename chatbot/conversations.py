"""Conversations and their messages in the database.

Every chat turn passes through here four times: `accept` (the message and its pending row),
`load` (the conversation and its open ticket), `add_reply` (each thing the bot says) and `finish`
(the turn no longer owed). On PostgreSQL each of those is one round trip or less, straight on
asyncpg: a stored function for `accept` (migrations/versions/0009_accept_function.py); `load`'s
query rides with the turn lock (`TURN_LOCKS_READ`, `FIRST_READ`: chatbot/turn_locks.py,
migrations/versions/0011_turn_read_function.py) and `finish`'s delete with the unlock; `add_reply`
goes on a pooled connection, or on the turn's own when it has one (`turn_driver`). Accepts, and the
replies of turns with no transaction open, that arrive while others are being stored are committed
together (group commit, chatbot/db.py `GroupCommit`): a
busy server pays one round trip and one flush to disk for many. SQLite runs the same statements
straight on aiosqlite, compiled once by SQLAlchemy (`_Sqlite`, chatbot/db.py `Compiled`): one
hand-off to its thread each, grouped the same way (and a turn's last commit too).
docs/benchmarks.md tells what this saved; both paths run under every test that takes the
`database_url` fixture.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, event, exists, func, insert, inspect, literal_column, select
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased, make_transient_to_detached

from chatbot.db import Compiled, GroupCommit, driver_connection, utcnow
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.models import Conversation, Message, Ticket
from chatbot.pending import PendingTurn
from chatbot.tickets import OPEN_STATUSES
from chatbot.turn_locks import (
    finish_turn,
    finish_with_release,
    in_transaction,
    turn_driver,
    turn_first_read,
    turn_held,
    turn_sqlite,
    unsaved,
)


@dataclass(frozen=True)
class Accepted:
    """A customer message safely stored; what the channel acknowledges."""

    message_id: int
    conversation_id: str
    received_at: datetime
    is_first: bool
    duplicate: bool = False


def to_outbound(m: Message) -> OutboundMessage:
    return OutboundMessage(
        id=m.id, conversation_id=m.conversation_id, author=m.author, kind=m.kind, text=m.text,
        lang=m.lang or "en", created_at=m.created_at, ticket=(m.meta or {}).get("ticket"),
    )


_DUP = aliased(Message)
# SQLite's accept (PostgreSQL's is a stored function). Built once: constructing this statement
# costs more CPU than running it. A NULL client_id never matches, so a message without one is never
# a duplicate.
_LOCKED = (
    select(Conversation.id, _DUP.id, _DUP.created_at,
           exists().where(Message.conversation_id == Conversation.id, Message.author == "customer"))
    .outerjoin(_DUP, and_(_DUP.conversation_id == Conversation.id, _DUP.client_id == bindparam("client_id")))
    .where(Conversation.id == bindparam("conversation_id"))
)


# The hot path's inserts, as Core statements built once (the ORM's unit of work costs more than
# the round trip for a row nobody reads back in the same session).
_MESSAGES = cast(Table, Message.__table__)
_PENDING = cast(Table, PendingTurn.__table__)
_INSERT_MESSAGE = insert(_MESSAGES).values(
    {c: bindparam(c) for c in ("conversation_id", "author", "kind", "text", "lang", "client_id", "created_at",
                               "meta")}).returning(_MESSAGES.c.id)
_INSERT_PENDING = insert(_PENDING).values(
    message_id=bindparam("message_id"), conversation_id=bindparam("conversation_id"), attempts=0,
    next_attempt_at=bindparam("next_attempt_at"))
_DELETE_PENDING = delete(_PENDING).where(_PENDING.c.message_id == bindparam("message_id"))
_ACCEPT_MESSAGE = "SELECT * FROM accept_message($1, $2, $3, $4, $5, $6, $7::json)"


def _meta(inbound: InboundMessage) -> dict[str, str]:
    return {"subject": inbound.subject} if inbound.subject else {}


_OPEN = aliased(Ticket)
assert all(status.isalpha() for status in OPEN_STATUSES)
_OPEN_TICKET_ID = (  # the statuses written into the SQL (no list to expand: chatbot.db.Compiled)
    select(func.max(_OPEN.id)).where(_OPEN.conversation_id == Conversation.id,
                                     _OPEN.status.in_([literal_column(f"'{s}'") for s in OPEN_STATUSES]))
    .correlate(Conversation).scalar_subquery())
_WITH_OPEN_TICKET = (  # the same through the ORM (when the ticket must be loaded too)
    select(Conversation, Ticket)
    .outerjoin(Ticket, Ticket.id == _OPEN_TICKET_ID)
    .where(Conversation.id == bindparam("conversation_id"))
)
# A turn's first read: the conversation's columns and its open ticket's id, one row, no ORM query.
# On PostgreSQL the function that takes the turn's lock reads the same (`FIRST_READ`), in the same
# round trip; on SQLite straight on aiosqlite (`_Sqlite`).
_CONVERSATION_COLUMNS = [c.name for c in Conversation.__table__.columns]
_NEW_CONVERSATION = inspect(Conversation).class_manager.new_instance
_LOAD = (select(*Conversation.__table__.columns, _OPEN_TICKET_ID)
         .where(Conversation.id == bindparam("conversation_id")))
_PG = PGDialect_asyncpg()
_LOAD_CONVERSATION = str(_LOAD.compile(dialect=_PG))  # the conversation id as $1
_INSERT_REPLY_COMPILED = _INSERT_MESSAGE.compile(dialect=_PG)
_INSERT_REPLY = str(_INSERT_REPLY_COMPILED)
_INSERT_REPLY_PARAMS = tuple(_INSERT_REPLY_COMPILED.positiontup or ())  # the names of $1, $2, …
# The same columns, read by the function that takes the turn's lock, in the same order
# (chatbot/turn_locks.py): a turn waiting for another process's lock on a connection of its own…
_TURN_COLUMNS = ", ".join(f"(r.turn_conversation).{name}" for name in _CONVERSATION_COLUMNS) + ", r.turn_open_ticket"
FIRST_READ = f"SELECT {_TURN_COLUMNS} FROM lock_turn_read($1, $2) r"
# … and the turns whose locks their process takes together, each row led by whether it was taken.
TURN_LOCKS_READ = (f"SELECT r.turn_locked, {_TURN_COLUMNS} FROM lock_turns_read($1::bigint[], $2::varchar[]) r"
                   " ORDER BY r.turn_index")
_CREATE = sqlite_insert(Conversation).values(  # SQLite's accept: the conversation, if new
    id=bindparam("conversation_id"), channel=bindparam("channel"), contact=bindparam("contact"), state={},
    verified=False, status="bot", created_at=bindparam("now"), updated_at=bindparam("now"),
).on_conflict_do_nothing(index_elements=[Conversation.id])


# Most turns only read their conversation (its language, status and flow state). A session holding
# an object costs the ORM its attach, its checks for unsaved changes (several a turn) and its close:
# a seventh of a turn's CPU (docs/benchmarks.md, "Session 7"). So the conversation `load` reads
# without a query joins the turn's session at its first change, before the change is recorded:
# from then on it is the session's like any loaded object (autoflush, commit, the checks).
_JOINS = "joins_session_on_change"


def _join_on_change(target: Conversation, value: Any, oldvalue: Any, initiator: Any) -> None:
    session = inspect(target).info.pop(_JOINS, None)
    if session is not None:
        session.add(target)


for _column in _CONVERSATION_COLUMNS:
    event.listen(getattr(Conversation, _column), "set", _join_on_change)


class _Sqlite:
    """SQLite's hot-path statements, compiled once and run straight on aiosqlite (chatbot.db.Compiled):
    the same statements as through SQLAlchemy, a quarter of the thread hand-offs."""

    def __init__(self, dialect: Dialect) -> None:
        self.create = Compiled(_CREATE, dialect)
        self.locked = Compiled(_LOCKED, dialect)
        self.insert_message = Compiled(_INSERT_MESSAGE, dialect)
        self.insert_pending = Compiled(_INSERT_PENDING, dialect)
        self.delete_pending = Compiled(_DELETE_PENDING, dialect)
        self.load = Compiled(_LOAD, dialect)


_SQLITE: dict[str, _Sqlite] = {}


def _sqlite(dialect: Dialect) -> _Sqlite:
    compiled = _SQLITE.get(dialect.driver)
    if compiled is None:
        compiled = _SQLITE[dialect.driver] = _Sqlite(dialect)
    return compiled


class ConversationStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._accepts = GroupCommit(self._accept_batch, "accepts")
        self._replies = GroupCommit(self._insert_replies, "replies")
        self._finishes = GroupCommit(self._delete_pending, "finishes")  # SQLite's (PostgreSQL: finish_turn)

    def observe_batches(self, observe: Callable[[str, int], None]) -> None:
        """Tell ``observe`` the size of each group commit: ("accepts" | "replies" | "finishes", items)."""
        self._accepts.observe = functools.partial(observe, "accepts")
        self._replies.observe = functools.partial(observe, "replies")
        self._finishes.observe = functools.partial(observe, "finishes")

    async def accept(self, inbound: InboundMessage) -> Accepted:
        """Store the customer's message (creating the conversation if new) with its pending row: the
        turn is owed until its last commit (chatbot/recovery.py). Committed before this returns,
        possibly together with other messages (chatbot/db.py `GroupCommit`)."""
        return await self._accepts.submit(inbound)

    async def _accept_batch(self, batch: list[InboundMessage]) -> list[Accepted]:
        engine = self.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            # The stored function of migrations/versions/0009_accept_function.py, once per message, all
            # in one round trip and one transaction (asyncpg's fetchmany). In conversation order, so
            # that two processes' batches lock the same conversations in the same order (no deadlock);
            # a conversation's messages keep their order of arrival.
            order = sorted(range(len(batch)), key=lambda i: batch[i].conversation_id)
            async with driver_connection(engine) as driver:
                rows = await driver.fetchmany(_ACCEPT_MESSAGE, [
                    (m.conversation_id, m.channel, m.sender.address, m.text, m.client_id, m.received_at,
                     json.dumps(_meta(m))) for m in (batch[i] for i in order)])
            accepted: list[Accepted] = [cast(Accepted, None)] * len(batch)
            for i, (message_id, created_at, is_first, duplicate) in zip(order, rows, strict=True):
                accepted[i] = Accepted(message_id, batch[i].conversation_id, created_at, is_first, duplicate)
            return accepted
        sql = _sqlite(engine.dialect)
        async with driver_connection(engine) as db:  # aiosqlite; returned to the pool rolled back
            out = [await self._accept_sqlite(sql, db, inbound) for inbound in batch]
            await db.commit()
        return out

    @staticmethod
    async def _accept_sqlite(sql: _Sqlite, db: Any, inbound: InboundMessage) -> Accepted:
        # The same steps as accept_message(). The insert first, so that the transaction holds
        # SQLite's write lock from its start (a read turned write can fail under WAL).
        await sql.create.fetch(db, {"conversation_id": inbound.conversation_id, "channel": inbound.channel,
                                    "contact": inbound.sender.address, "now": utcnow()})
        [(conv_id, dup_id, dup_at, earlier)] = await sql.locked.fetch(db, {
            "conversation_id": inbound.conversation_id, "client_id": inbound.client_id})
        if dup_id is not None:
            return Accepted(dup_id, conv_id, dup_at, False, duplicate=True)
        [(message_id,)] = await sql.insert_message.fetch(db, {
            "conversation_id": conv_id, "author": "customer", "kind": "text", "text": inbound.text,
            "lang": None, "client_id": inbound.client_id, "created_at": inbound.received_at,
            "meta": _meta(inbound)})
        await sql.insert_pending.fetch(db, {"message_id": message_id, "conversation_id": conv_id,
                                            "next_attempt_at": inbound.received_at})
        return Accepted(message_id, conv_id, inbound.received_at, is_first=not earlier)

    async def exists(self, conversation_id: str) -> bool:
        async with self.sessions() as s:
            return await s.get(Conversation, conversation_id) is not None

    async def history(self, conversation_id: str, limit: int = 500) -> list[dict[str, object]]:
        async with self.sessions() as s:
            rows = (await s.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id).limit(limit))).all()
        return [
            {"id": m.id, "conversation_id": m.conversation_id, "author": m.author, "kind": m.kind,
             "text": m.text, "lang": m.lang, "created_at": m.created_at.isoformat()}
            for m in rows
        ]

    @staticmethod
    async def load(session: AsyncSession, conversation_id: str) -> tuple[Conversation, Ticket | None]:
        """A turn's conversation and its open ticket, if any: most turns need to know the ticket."""
        # Read as the turn took its lock (chatbot/turn_locks.py); else now, on a connection the turn
        # holds with no transaction open.
        record, driver, db = turn_first_read(session), turn_driver(session), turn_sqlite(session)
        if record is None and driver is not None and not in_transaction(session):
            record = await driver.fetchrow(_LOAD_CONVERSATION, conversation_id)
        elif db is not None:
            rows = await _sqlite(session.get_bind().dialect).load.fetch(db, {"conversation_id": conversation_id})
            record = rows[0] if rows else None
        if record is not None and record[-1] is None:  # no open ticket (with one, the ORM loads its events)
            # (Decoded already: JSON and aware UTC times by SQLAlchemy's asyncpg set-up and asyncpg,
            # or by the SQLite statement's result processors.)
            # Built as a query's load builds it (no constructor: it would record every column as a
            # change, only to forget them again) and made persistent as if loaded, but detached: the
            # turn's session takes it at its first change (`_join_on_change`), and only the changes
            # are written.
            conv = _NEW_CONVERSATION()
            conv.__dict__.update(zip(_CONVERSATION_COLUMNS, record))
            make_transient_to_detached(conv)
            inspect(conv).info[_JOINS] = session.sync_session
            return conv, None
        conv, ticket = (await session.execute(_WITH_OPEN_TICKET, {"conversation_id": conversation_id})).one()
        return conv, ticket

    async def finish(self, session: AsyncSession, message_id: int) -> None:
        """The turn's last statement, before its last commit: the message is no longer owed.

        When the turn left nothing else unsaved (its replies are committed), the row goes alone. On
        PostgreSQL the turn lock's release goes in the same round trip, and PostgreSQL is not made to
        wait for the disk (asynchronous commit): a commit fewer to flush per turn. Lost only if
        PostgreSQL itself crashes within its WAL writer's delay; the recovery then runs the turn
        again, and what it had said is not said twice (chatbot/recovery.py). On SQLite the delete and
        the commit go straight to aiosqlite, together with other turns' when the turn has nothing
        open (group commit: SQLite flushes its log to disk at every commit)."""
        if finish_with_release(session, message_id) or await finish_turn(
                session, f"SET LOCAL synchronous_commit TO off; DELETE FROM pending_turns WHERE message_id = {int(message_id)}"):
            return
        db = turn_sqlite(session)
        if db is not None and not unsaved(session):
            if not in_transaction(session):
                await self._finishes.submit((db, message_id))
                return
            await _sqlite(session.get_bind().dialect).delete_pending.fetch(db, {"message_id": message_id})
            await db.commit()  # with whatever the turn flushed and had not committed yet, as the pipeline would
            return
        await session.execute(_DELETE_PENDING, {"message_id": message_id})

    async def add_reply(self, session: AsyncSession, conversation_id: str, author: str, kind: str, text: str,
                        lang: str, ticket: dict[str, object] | None = None) -> OutboundMessage:
        """Store what the bot says: in the turn's transaction if it has one open (committed with it,
        at the turn's next commit); else committed before this returns, together with the replies
        other turns are storing at the same time."""
        created_at, meta = utcnow(), {"ticket": ticket} if ticket else {}
        driver, db, held = turn_driver(session), turn_sqlite(session), turn_held(session)
        values = {"conversation_id": conversation_id, "author": author, "kind": kind, "text": text,
                  "lang": lang, "client_id": None, "created_at": created_at, "meta": meta}
        if driver is None and db is None and held is None:  # not a turn's session
            message_id = (await session.execute(_INSERT_MESSAGE, values)).scalar_one()
        elif unsaved(session) or in_transaction(session):
            await session.flush()  # what the turn changed goes first, as autoflush would do it
            if driver is not None:
                message_id = await driver.fetchval(_INSERT_REPLY, *_reply_row(values))
            elif db is not None:
                [(message_id,)] = await _sqlite(session.get_bind().dialect).insert_message.fetch(db, values)
            else:
                message_id = (await session.execute(_INSERT_MESSAGE, values)).scalar_one()
        else:
            message_id = await self._replies.submit((driver or db, values))
        return OutboundMessage(id=message_id, conversation_id=conversation_id, author=author, kind=kind,
                               text=text, lang=lang or "en", created_at=created_at, ticket=ticket)

    async def _insert_replies(self, batch: list[tuple[Any, dict[str, Any]]]) -> list[int]:
        """Replies of several turns, each waiting with no transaction open: one commit (on PostgreSQL
        one round trip), on the first turn's connection that has one of its own (SQLite's turns all
        do), else on a pooled one. On PostgreSQL the
        inserts lock their conversations only KEY SHARE (the foreign key), which neither an accept's
        FOR NO KEY UPDATE nor a turn's UPDATE of its conversation waits for: a batch cannot deadlock."""
        engine = self.sessions.kw["bind"]
        if engine.dialect.name != "postgresql":
            insert = _sqlite(engine.dialect).insert_message
            return [rows[0][0] for rows in await _commit_each(batch[0][0], insert, [values for _, values in batch])]
        rows = [_reply_row(values) for _, values in batch]
        conn = next((conn for conn, _ in batch if conn is not None), None)
        if conn is None:  # turns that hold no connection (chatbot/turn_locks.py): a pooled one
            async with driver_connection(engine) as conn:
                return [row[0] for row in await conn.fetchmany(_INSERT_REPLY, rows)]
        return [row[0] for row in await conn.fetchmany(_INSERT_REPLY, rows)]

    async def _delete_pending(self, batch: list[tuple[Any, int]]) -> list[None]:
        """SQLite: the pending rows of several finished turns, each with nothing open on its own
        connection: one commit, on the first turn's connection."""
        await _commit_each(batch[0][0], _sqlite(self.sessions.kw["bind"].dialect).delete_pending,
                           [{"message_id": message_id} for _, message_id in batch])
        return [None] * len(batch)


def _reply_row(values: dict[str, Any]) -> tuple[Any, ...]:
    """_INSERT_REPLY's arguments, from the values by name (the JSON column as text, for asyncpg)."""
    return tuple(json.dumps(values[name]) if name == "meta" else values[name] for name in _INSERT_REPLY_PARAMS)


async def _commit_each(conn: Any, statement: Compiled,
                       values: list[dict[str, Any]]) -> list[list[tuple[Any, ...]]]:
    """SQLite: ``statement`` once per values on one aiosqlite connection, then one commit; on failure
    rolled back, so that none of it stays behind to be committed by a retry."""
    try:
        rows = [await statement.fetch(conn, one) for one in values]
        await conn.commit()
    except BaseException:
        await conn.rollback()
        raise
    return rows
