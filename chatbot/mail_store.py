"""The email channel's tables: every mail's raw bytes (stored before anything else happens to it),
the IMAP position, and the automatic replies sent per address (the loop limiter's memory).

A stored mail moves through: received → routed (conversation, verdict and held acknowledgement
decided) → processed; or ends as ignored (a machine wrote, nobody to tell), oversized (not
downloaded; the sender was told the limit) or unprocessable (a reason; `chatbot mail rerun`).
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, Text, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.channels.email.imap import MailboxPosition
from chatbot.db import Base, UTCDateTime, utcnow

RETRY_STATES = ("received", "routed")  # a crash or an error left these half-way: process them again
MAX_ATTEMPTS = 3


class InboundMail(Base):
    __tablename__ = "inbound_mails"
    __table_args__ = (Index("ix_inbound_mails_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the Message-ID, or of the raw bytes when there is none: one row per mail, however
    # often the mailbox hands it to us (a rescan after UIDVALIDITY changed, a crash before flagging).
    mail_key: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: too big, left in the mailbox only
    size: Mapped[int] = mapped_column(BigInteger)
    mailbox: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="received")
    reason: Mapped[str | None] = mapped_column(Text)  # why ignored / unprocessable, for the operator
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_addr: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    message_row_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    # What a reply needs later: the customer's References, Content-Language, display name.
    thread: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Whether an automatic email may answer this mail, and why (loop guard, rate limit).
    reply_allowed: Mapped[bool] = mapped_column(default=False)
    # An automatic message in a known conversation: stored there for the agents, no bot turn.
    silent: Mapped[bool] = mapped_column(default=False)
    reply_reason: Mapped[str | None] = mapped_column(Text)
    ack_outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MailboxState(Base):
    """Where the IMAP watcher is: (mailbox, UIDVALIDITY, last UID done)."""

    __tablename__ = "mailbox_positions"
    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AutoReply(Base):
    """One automatic email to one address; counted by the per-address rate limit."""

    __tablename__ = "auto_replies"
    __table_args__ = (Index("ix_auto_replies_address_at", "address", "sent_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def mail_key(message_id: str | None, content_hash: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest() if message_id else content_hash


class DbPositionStore:
    """The watcher's PositionStore in the database, so a restart resumes where it stopped."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def get(self, mailbox: str) -> MailboxPosition | None:
        async with self.sessions() as s:
            row = await s.get(MailboxState, mailbox)
            return MailboxPosition(row.mailbox, row.uidvalidity, row.last_uid) if row else None

    async def set(self, position: MailboxPosition) -> None:
        async with self.sessions() as s, s.begin():
            row = await s.get(MailboxState, position.mailbox)
            if row is None:
                s.add(MailboxState(mailbox=position.mailbox, uidvalidity=position.uidvalidity,
                                   last_uid=position.last_uid))
            else:
                row.uidvalidity, row.last_uid = position.uidvalidity, position.last_uid


async def store_raw(sessions: async_sessionmaker[AsyncSession], *, key: str, message_id: str | None,
                    content_hash: str | None, raw: bytes | None, size: int, mailbox: str, uidvalidity: int,
                    uid: int, status: str = "received") -> tuple[int, bool]:
    """(row id, new?) — the mail's bytes, committed; an already stored mail is not stored twice."""
    async with sessions() as s:
        existing = await s.scalar(select(InboundMail.id).where(InboundMail.mail_key == key))
        if existing is not None:
            return existing, False
        row = InboundMail(mail_key=key, message_id=message_id, content_hash=content_hash, raw=raw, size=size,
                          mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, status=status,
                          attempts=0, next_attempt_at=utcnow(), received_at=utcnow())
        s.add(row)
        try:
            await s.commit()
        except IntegrityError:  # another process stored it a moment ago
            await s.rollback()
            found = await s.scalar(select(InboundMail.id).where(InboundMail.mail_key == key))
            assert found is not None
            return found, False
        return row.id, True


async def due_mails(session: AsyncSession, now: datetime | None = None, limit: int = 50) -> list[int]:
    """Mails left half-way whose next attempt is due, oldest first."""
    return list((await session.scalars(
        select(InboundMail.id).where(InboundMail.status.in_(RETRY_STATES),
                                     InboundMail.next_attempt_at <= (now or utcnow()))
        .order_by(InboundMail.id).limit(limit))).all())


async def record_failure(session: AsyncSession, mail_id: int, reason: str) -> str:
    """Count a failed attempt: retried later with backoff, then kept as unprocessable."""
    row = await session.get(InboundMail, mail_id, populate_existing=True)
    if row is None:
        return "missing"
    row.attempts += 1
    row.reason = reason[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "unprocessable"
    else:
        row.next_attempt_at = utcnow() + timedelta(seconds=10 * 4 ** (row.attempts - 1))
    await session.commit()
    return row.status


async def recent_auto_replies(session: AsyncSession, address: str, window: timedelta) -> list[datetime]:
    since = utcnow() - window
    return list((await session.scalars(select(AutoReply.sent_at).where(
        AutoReply.address == address.lower(), AutoReply.sent_at >= since))).all())


async def rerun(session: AsyncSession, mail_id: int | None = None) -> int:
    """Put unprocessable mails (one, or all) back in the queue; returns how many."""
    query = update(InboundMail).where(InboundMail.status == "unprocessable")
    if mail_id is not None:
        query = query.where(InboundMail.id == mail_id)
    result = await session.execute(query.values(status="received", attempts=0, next_attempt_at=utcnow()))
    await session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    rows = (await session.execute(select(InboundMail.status, func.count()).group_by(InboundMail.status))).all()
    return {status: count for status, count in rows}
