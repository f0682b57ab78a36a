"""SLA clocks as stored facts: when each clock of a ticket runs, pauses, stops and is met.

Everything here records *what happened* and needs no configuration, so any code holding a database
session — the pipeline, the email sender, the agents' console, another process — can move a clock.
The scheduler (chatbot/sla.py), which owns the desk's promises and business hours, turns the facts
into due times: a clock whose facts changed gets ``due_at = NULL`` and is recomputed.

A row is changed only by a compare-and-set on ``version`` (an UPDATE … WHERE version = :seen), never
by a blind read-modify-write: the scheduler and a hook may touch one clock at the same moment from
two processes, and the loser simply re-reads.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Table, UniqueConstraint, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.db import Base, UTCDateTime
from chatbot.models import Message, OutboxMail, Ticket

KINDS = ("ack", "first_response", "update")
RUNNING, PAUSED, MET, BREACHED, STOPPED = "running", "paused", "met", "breached", "stopped"
LIVE = (RUNNING, PAUSED)
# Set in session.info when a clock changed in the transaction: the scheduler wakes after the commit.
CHANGED = "sla_clocks_changed"
CHANNEL = "sla_clocks"  # PostgreSQL LISTEN/NOTIFY channel
QUIET = "sla_clocks_quiet"  # the schedulers' own sessions: their changes wake nobody
_RETRIES = 5

Segment = list[Any]  # [start ISO, end ISO or None]


class SlaClock(Base):
    """One promise on one ticket. ``segments`` are the stretches of time the clock ran (it stops
    while the ticket waits for the customer); ``team`` and ``priority`` follow the ticket for the
    update clock and keep the original routing for the other two."""

    __tablename__ = "sla_clocks"
    __table_args__ = (UniqueConstraint("ticket_id", "kind"), Index("ix_sla_clocks_due", "status", "due_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # ack | first_response | update
    channel: Mapped[str] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default=RUNNING)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the request arrived
    segments: Mapped[list[Segment]] = mapped_column(JSON, default=list)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # NULL: not running, or to recompute
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breaches: Mapped[int] = mapped_column(default=0)  # missed status updates (the update clock repeats)
    version: Mapped[int] = mapped_column(default=0)


TABLE: Table = SlaClock.__table__  # type: ignore[assignment]  # Core access, no identity map


def iso(at: datetime) -> str:
    return at.isoformat()


def parse_segments(raw: list[Segment] | None) -> list[tuple[datetime, datetime | None]]:
    return [(datetime.fromisoformat(s), datetime.fromisoformat(e) if e else None) for s, e in raw or []]


def close_segments(raw: list[Segment] | None, at: datetime) -> list[Segment]:
    """The segments with the running one ended at ``at`` (never before it began)."""
    out: list[Segment] = []
    for start, end in raw or []:
        if end is None:
            end = max(datetime.fromisoformat(start), at).isoformat()
        out.append([start, end])
    return out


async def mark_changed(session: AsyncSession) -> None:
    """Wake the schedulers once this transaction commits: the ones of this process through the flag
    (read after the commit), those of other processes through a PostgreSQL NOTIFY, which the
    database delivers only on commit."""
    if session.info.get(CHANGED) or session.info.get(QUIET):
        return
    session.info[CHANGED] = True
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"NOTIFY {CHANNEL}"))


async def cas(session: AsyncSession, clock_id: int, version: int, **values: Any) -> bool:
    """Change one clock if nobody changed it since it was read at ``version``."""
    result = await session.execute(
        update(TABLE).where(TABLE.c.id == clock_id, TABLE.c.version == version)
        .values(version=TABLE.c.version + 1, **values))
    changed = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    if changed:
        await mark_changed(session)
    return changed


async def modify(session: AsyncSession, where: Any, change: Callable[[Any], dict[str, Any] | None]) -> int:
    """Apply ``change(row) -> values`` to every clock matching ``where``, retrying a clock that was
    changed concurrently. Returns how many clocks changed."""
    done = 0
    for row in (await session.execute(select(TABLE).where(where))).all():
        for _ in range(_RETRIES):
            values = change(row)
            if values is None or await cas(session, row.id, row.version, **values):
                done += values is not None
                break
            fresh = (await session.execute(select(TABLE).where(TABLE.c.id == row.id))).one_or_none()
            if fresh is None:
                break
            row = fresh
    return done


async def start_clocks(session: AsyncSession, ticket: Ticket) -> None:
    """The three clocks of a new ticket, all from the moment its request arrived."""
    for kind in KINDS:
        session.add(SlaClock(ticket_id=ticket.id, conversation_id=ticket.conversation_id, kind=kind,
                             channel=ticket.channel, team=ticket.team, priority=ticket.priority, status=RUNNING,
                             started_at=ticket.received_at, segments=[[iso(ticket.received_at), None]],
                             breaches=0, version=0))
    await session.flush()
    await mark_changed(session)
    acked = await ack_evidence(session, ticket.conversation_id, ticket.channel)
    if acked is not None:  # chat acknowledges the first message, before any ticket exists
        await satisfy(session, TABLE.c.ticket_id == ticket.id, "ack", acked)
    # An agent who turns the chat they are in into a ticket has answered already.
    answered = await response_evidence(session, ticket.conversation_id, datetime.min.replace(tzinfo=UTC))
    if answered is not None:
        await satisfy(session, TABLE.c.ticket_id == ticket.id, "first_response", answered)


async def ack_evidence(session: AsyncSession, conversation_id: str, channel: str) -> datetime | None:
    """When the conversation was acknowledged: the stored chat ack, or the email ack actually sent."""
    if channel == "email":
        return await session.scalar(select(func.min(OutboxMail.sent_at)).where(
            OutboxMail.conversation_id == conversation_id, OutboxMail.kind == "ack",
            OutboxMail.sent_at.is_not(None)))
    return await session.scalar(select(func.min(Message.created_at)).where(
        Message.conversation_id == conversation_id, Message.kind == "ack", Message.author != "customer"))


async def response_evidence(session: AsyncSession, conversation_id: str, since: datetime) -> datetime | None:
    """The first message a person of the desk wrote in the conversation after ``since``."""
    return await session.scalar(select(func.min(Message.created_at)).where(
        Message.conversation_id == conversation_id, Message.author == "agent", Message.created_at >= since))


async def satisfy(session: AsyncSession, where: Any, kind: str, at: datetime) -> int:
    """The promise of ``kind`` was kept at ``at``. A clock that already breached keeps its breach and
    learns when it was finally met (the report counts it late)."""
    def change(row: Any) -> dict[str, Any] | None:
        if row.met_at is not None or row.status == STOPPED:
            return None
        met = max(at, row.started_at)
        values: dict[str, Any] = {"met_at": met, "segments": close_segments(row.segments, met)}
        if row.status in LIVE:
            values.update(status=MET, due_at=None, warn_at=None)
        return values
    return await modify(session, (TABLE.c.kind == kind) & where, change)


async def restart(session: AsyncSession, where: Any, at: datetime) -> int:
    """The customer was given news: the next status update is due a full interval from ``at``."""
    def change(row: Any) -> dict[str, Any] | None:
        running = row.status == RUNNING
        return {"segments": [[iso(at), None]] if running else [], "due_at": None, "warn_at": None,
                "warned_at": None}
    return await modify(session, (TABLE.c.kind == "update") & TABLE.c.status.in_(LIVE) & where, change)


async def pause(session: AsyncSession, ticket_id: int, at: datetime) -> int:
    """The ticket waits for the customer: the running clocks stop counting."""
    def change(row: Any) -> dict[str, Any]:
        return {"status": PAUSED, "segments": close_segments(row.segments, at), "due_at": None, "warn_at": None}
    return await modify(session, (TABLE.c.ticket_id == ticket_id) & (TABLE.c.status == RUNNING), change)


async def resume(session: AsyncSession, ticket_id: int, at: datetime) -> int:
    """The ball is back with the desk: paused clocks go on from where they stopped."""
    def change(row: Any) -> dict[str, Any]:
        return {"status": RUNNING, "segments": [*(row.segments or []), [iso(at), None]], "due_at": None}
    return await modify(session, (TABLE.c.ticket_id == ticket_id) & (TABLE.c.status == PAUSED), change)


async def stop(session: AsyncSession, ticket_id: int, at: datetime) -> int:
    """Resolved or closed: nothing is owed any more (what was met or breached stays recorded)."""
    def change(row: Any) -> dict[str, Any]:
        return {"status": STOPPED, "segments": close_segments(row.segments, at), "due_at": None, "warn_at": None}
    return await modify(session, (TABLE.c.ticket_id == ticket_id) & TABLE.c.status.in_(LIVE), change)


async def follow(session: AsyncSession, ticket: Ticket) -> int:
    """The ticket changed team or priority: its update clock follows (its interval and business hours
    are recomputed; the time already run still counts)."""
    def change(row: Any) -> dict[str, Any] | None:
        if (row.team, row.priority) == (ticket.team, ticket.priority):
            return None
        return {"team": ticket.team, "priority": ticket.priority, "due_at": None, "warn_at": None}
    return await modify(session, (TABLE.c.ticket_id == ticket.id) & (TABLE.c.kind == "update")
                        & TABLE.c.status.in_(LIVE), change)
