"""Conversations and their messages in the database.

Every chat turn passes through here four times: `accept` (the message and its pending row),
`load` (the conversation and its open ticket), `add_reply` (each thing the bot says) and `finish`
(the turn no longer owed). On PostgreSQL each of those is one round trip or less, straight on
asyncpg: a stored function for `accept` (migrations/versions/0009_accept_function.py); `load`'s
query rides with the turn lock (`FIRST_READ`, migrations/versions/0010_turn_lock_function.py) and
`finish`'s delete with the unlock; `add_reply` runs on the turn's own connection
(chatbot/leases.py `turn_driver`). SQLite runs the same statements straight on aiosqlite, compiled
once by SQLAlchemy (`_Sqlite`, chatbot/db.py `Compiled`): one hand-off to its thread each.
docs/benchmarks.md tells what this saved; both paths run under every test that takes the
`database_url` fixture.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, bindparam, delete, exists, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased, make_transient_to_detached

from chatbot.db import Compiled, driver_connection, utcnow
from chatbot.leases import finish_turn, lock_then, turn_driver, turn_first_read, turn_sqlite, unsaved
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.models import Conversation, Message, Ticket
from chatbot.pending import PendingTurn
from chatbot.tickets import OPEN_STATUSES


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
_INSERT_REPLY = ("INSERT INTO messages (conversation_id, author, kind, text, lang, client_id, created_at,"
                 " meta) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7::json) RETURNING id")
_ACCEPT_MESSAGE = "SELECT * FROM accept_message($1, $2, $3, $4, $5, $6, $7::json)"


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
# On PostgreSQL it is run by the function that takes the turn's lock, in the same round trip
# (chatbot/leases.py `lock_then`); on SQLite straight on aiosqlite (`_Sqlite`).
_CONVERSATION_COLUMNS = [c.name for c in Conversation.__table__.columns]
_LOAD = (select(*Conversation.__table__.columns, _OPEN_TICKET_ID)
         .where(Conversation.id == bindparam("conversation_id")))
_PG = PGDialect_asyncpg()
_LOAD_CONVERSATION = str(_LOAD.compile(dialect=_PG))  # the conversation id as $1
FIRST_READ = lock_then(_LOAD_CONVERSATION, ", ".join(
    [f"{c.name} {c.type.compile(dialect=_PG)}" for c in Conversation.__table__.columns] + ["open_ticket integer"]))
_CREATE = sqlite_insert(Conversation).values(  # SQLite's accept: the conversation, if new
    id=bindparam("conversation_id"), channel=bindparam("channel"), contact=bindparam("contact"), state={},
    verified=False, status="bot", created_at=bindparam("now"), updated_at=bindparam("now"),
).on_conflict_do_nothing(index_elements=[Conversation.id])


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

    async def accept(self, inbound: InboundMessage) -> Accepted:
        """Store the customer's message in one transaction (creating the conversation if new), with
        its pending row: the turn is owed until its last commit (chatbot/recovery.py)."""
        meta = {"subject": inbound.subject} if inbound.subject else {}
        engine = self.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            # One round trip: the stored function of migrations/versions/0009_accept_function.py.
            async with driver_connection(engine) as driver:
                message_id, created_at, is_first, duplicate = await driver.fetchrow(
                    _ACCEPT_MESSAGE, inbound.conversation_id, inbound.channel, inbound.sender.address,
                    inbound.text, inbound.client_id, inbound.received_at, json.dumps(meta))
            return Accepted(message_id, inbound.conversation_id, created_at, is_first, duplicate)
        sql = _sqlite(engine.dialect)
        async with driver_connection(engine) as db:  # aiosqlite; returned to the pool rolled back
            # The same steps as that function. The insert first, so that the transaction holds
            # SQLite's write lock from its start (a read turned write can fail under WAL).
            now = utcnow()
            await sql.create.fetch(db, {"conversation_id": inbound.conversation_id, "channel": inbound.channel,
                                        "contact": inbound.sender.address, "now": now})
            [(conv_id, dup_id, dup_at, earlier)] = await sql.locked.fetch(db, {
                "conversation_id": inbound.conversation_id, "client_id": inbound.client_id})
            if dup_id is not None:
                return Accepted(dup_id, conv_id, dup_at, False, duplicate=True)
            [(message_id,)] = await sql.insert_message.fetch(db, {
                "conversation_id": conv_id, "author": "customer", "kind": "text", "text": inbound.text,
                "lang": None, "client_id": inbound.client_id, "created_at": inbound.received_at, "meta": meta})
            await sql.insert_pending.fetch(db, {"message_id": message_id, "conversation_id": conv_id,
                                                "next_attempt_at": inbound.received_at})
            await db.commit()
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
        driver, db, record = turn_driver(session), turn_sqlite(session), None
        if driver is not None:
            # Read as the turn took its lock (pipeline: turn_session's first_read); else now, outside
            # a transaction, if none is open.
            record = turn_first_read(session)
            if record is None and not driver.is_in_transaction():
                record = await driver.fetchrow(_LOAD_CONVERSATION, conversation_id)
        elif db is not None:
            rows = await _sqlite(session.get_bind().dialect).load.fetch(db, {"conversation_id": conversation_id})
            record = rows[0] if rows else None
        if record is not None and record[-1] is None:  # no open ticket (with one, the ORM loads its events)
            # (Decoded already: JSON and aware UTC times by SQLAlchemy's asyncpg set-up and asyncpg,
            # or by the SQLite statement's result processors.)
            conv = Conversation(**dict(zip(_CONVERSATION_COLUMNS, record)))
            make_transient_to_detached(conv)  # as if loaded: only later changes are written
            session.add(conv)
            return conv, None
        conv, ticket = (await session.execute(_WITH_OPEN_TICKET, {"conversation_id": conversation_id})).one()
        return conv, ticket

    @staticmethod
    async def finish(session: AsyncSession, message_id: int) -> None:
        """The turn's last statement, before its last commit: the message is no longer owed.

        When the turn left nothing else unsaved (its replies are committed), the row goes alone. On
        PostgreSQL the turn lock's release goes in the same round trip, and PostgreSQL is not made to
        wait for the disk (asynchronous commit): a commit fewer to flush per turn. Lost only if
        PostgreSQL itself crashes within its WAL writer's delay; the recovery then runs the turn
        again, and what it had said is not said twice (chatbot/recovery.py). On SQLite the delete and
        the commit go straight to aiosqlite."""
        if await finish_turn(session, "SET LOCAL synchronous_commit TO off; "
                                      f"DELETE FROM pending_turns WHERE message_id = {int(message_id)}"):
            return
        db = turn_sqlite(session)
        if db is not None and not unsaved(session):
            await _sqlite(session.get_bind().dialect).delete_pending.fetch(db, {"message_id": message_id})
            await db.commit()  # with whatever the turn flushed and had not committed yet, as the pipeline would
            return
        await session.execute(_DELETE_PENDING, {"message_id": message_id})

    @staticmethod
    async def add_reply(session: AsyncSession, conversation_id: str, author: str, kind: str, text: str,
                        lang: str, ticket: dict[str, object] | None = None) -> OutboundMessage:
        created_at, meta = utcnow(), {"ticket": ticket} if ticket else {}
        driver = turn_driver(session)
        if driver is not None:
            # PostgreSQL: on the turn's own connection, in the session's transaction if one is open.
            await session.flush()  # what the turn changed goes first, as autoflush would do it
            message_id = await driver.fetchval(_INSERT_REPLY, conversation_id, author, kind, text, lang,
                                               created_at, json.dumps(meta))
            return OutboundMessage(id=message_id, conversation_id=conversation_id, author=author, kind=kind,
                                   text=text, lang=lang or "en", created_at=created_at, ticket=ticket)
        values = {"conversation_id": conversation_id, "author": author, "kind": kind, "text": text,
                  "lang": lang, "client_id": None, "created_at": created_at, "meta": meta}
        db = turn_sqlite(session)
        if db is not None:  # SQLite: on the turn's own connection, in its transaction
            await session.flush()
            [(message_id,)] = await _sqlite(session.get_bind().dialect).insert_message.fetch(db, values)
            if not cast(AsyncConnection, session.bind).in_transaction():
                await db.commit()  # SQLAlchemy has nothing open to commit it with: it commits alone
        else:
            message_id = (await session.execute(_INSERT_MESSAGE, values)).scalar_one()
        return OutboundMessage(id=message_id, conversation_id=conversation_id, author=author, kind=kind,
                               text=text, lang=lang or "en", created_at=created_at, ticket=ticket)
