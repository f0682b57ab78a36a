"""Prometheus metrics at /metrics: what an on-call engineer looks at first.

One `Metrics` object per application (its own registry, no module-level collectors), built in the
composition root and handed to what reports into it. Counters and histograms are fed by hooks as
things happen (the pipeline's observer, the chat channel, the SLA clock, the agent console);
gauges that describe stored state (open tickets, the outbox, unprocessable mails) are read from the
database at scrape time, so every process reports the same truth and nothing drifts.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.db import utcnow
from chatbot.models import OutboxMail, Ticket
from chatbot.pipeline import Turn, TurnObserver

if TYPE_CHECKING:
    from chatbot.conversations import Accepted
    from chatbot.messages import InboundMessage, OutboundMessage

log = logging.getLogger(__name__)
Probe = Callable[[AsyncSession, "Metrics"], Awaitable[None]]
# Chat promises an acknowledgement within a minute and email within two: buckets straddle both.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600)
OPEN_TICKET_STATUSES = ("new", "open", "waiting", "escalated")


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.ack_seconds = Histogram("chatbot_ack_seconds", "From receipt to the visible acknowledgement",
                                     ["channel"], buckets=LATENCY_BUCKETS, registry=r)
        self.reply_seconds = Histogram("chatbot_reply_seconds", "From receipt to the first answer, question "
                                       "or ticket notice", ["channel"], buckets=LATENCY_BUCKETS, registry=r)
        self.messages_in = Counter("chatbot_messages_in", "Customer messages stored", ["channel"], registry=r)
        self.messages_out = Counter("chatbot_messages_out", "Replies sent", ["channel", "author"], registry=r)
        self.turn_failures = Counter("chatbot_turn_failures", "Turns that failed after the message was stored",
                                     ["channel"], registry=r)
        self.turns_abandoned = Counter("chatbot_turns_abandoned", "Unfinished turns given up after retries",
                                       registry=r)
        self.tickets_opened = Counter("chatbot_tickets_opened", "Tickets opened",
                                      ["team", "priority", "channel"], registry=r)
        self.tickets_open = Gauge("chatbot_tickets_open", "Tickets not yet resolved", ["team", "priority"],
                                  registry=r)
        self.sla_warnings = Counter("chatbot_sla_warnings", "SLA warnings raised", ["team", "priority"], registry=r)
        self.sla_breaches = Counter("chatbot_sla_breaches", "SLA breaches", ["team", "priority"], registry=r)
        self.outbox_depth = Gauge("chatbot_outbox_pending", "Emails waiting in the outbox", registry=r)
        self.outbox_age = Gauge("chatbot_outbox_oldest_age_seconds", "Age of the oldest pending email",
                                registry=r)
        self.outbox_failed = Gauge("chatbot_outbox_failed", "Emails given up on", registry=r)
        self.unprocessable_mails = Gauge("chatbot_unprocessable_mails", "Mails set aside as unprocessable",
                                         registry=r)
        self.visitors = Gauge("chatbot_connected_visitors", "Chat visitors connected to this process", registry=r)
        self.agents = Gauge("chatbot_connected_agents", "Agents connected to this process", registry=r)
        self.rate_limited = Counter("chatbot_rate_limited", "Requests refused by an abuse limit", ["limit"],
                                    registry=r)
        self.db_connections = Gauge("chatbot_db_connections", "Database connections of this process's pool "
                                    "(in_use: held by a request or a turn; idle: open, waiting in the pool)",
                                    ["state"], registry=r)
        self.db_pool_size = Gauge("chatbot_db_pool_size", "Connections the pool keeps open "
                                  "(CHATBOT_DATABASE_POOL_SIZE)", registry=r)
        self.db_batch_size = Histogram("chatbot_db_batch_size", "Items stored by one group commit (accepts: "
                                       "customer messages; replies: the bot's; finishes: SQLite turns' last "
                                       "commits; turn_locks, turn_releases: PostgreSQL turns' locks taken, "
                                       "given back): above 1 when the server is busy", ["kind"],
                                       buckets=(1, 2, 5, 10, 20, 50, 100), registry=r)
        self.scrape_errors = Counter("chatbot_metrics_probe_errors", "Database probes that failed at scrape",
                                     registry=r)
        self.probes: list[Probe] = [_probe_pool, _probe_tickets, _probe_outbox, _probe_unprocessable]
        self._children: dict[tuple[Any, ...], Any] = {}

    def child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, kept: prometheus_client checks the labels and takes a lock at
        every call, and the hot path reports a few of the same children at every message."""
        key = (id(metric), *labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    # -- hooks for code that reports events ------------------------------------------------------
    def sla_warning(self, team: str, priority: str) -> None:
        self.sla_warnings.labels(team, priority).inc()

    def sla_breach(self, team: str, priority: str) -> None:
        self.sla_breaches.labels(team, priority).inc()

    def ticket_opened(self, team: str, priority: str, channel: str) -> None:
        self.tickets_opened.labels(team, priority, channel).inc()

    def message_out(self, channel: str, author: str) -> None:
        self.child(self.messages_out, channel, author).inc()

    def agent_connected(self) -> None:
        self.agents.inc()

    def agent_disconnected(self) -> None:
        self.agents.dec()

    def add_probe(self, probe: Probe) -> None:
        """Register a scrape-time reader of stored state (e.g. the mail store's unprocessable count)."""
        self.probes.append(probe)

    # -- exposition ------------------------------------------------------------------------------
    async def refresh(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        for probe in self.probes:
            try:
                async with sessions() as session:
                    await probe(session, self)
            except Exception:  # a down database must not hide the counters an operator needs then
                self.scrape_errors.inc()
                log.warning("metrics probe %s failed", getattr(probe, "__name__", probe), exc_info=True)

    def handler(self, sessions: async_sessionmaker[AsyncSession]) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def metrics(request: web.Request) -> web.Response:
            await self.refresh(sessions)
            return web.Response(body=generate_latest(self.registry),
                                headers={"Content-Type": CONTENT_TYPE_LATEST})
        return metrics


class TurnMetrics(TurnObserver):
    """The pipeline's observer: messages in and out, acknowledgement and reply latency per channel."""

    def __init__(self, metrics: Metrics) -> None:
        self.m = metrics

    def accepted(self, inbound: InboundMessage, accepted: Accepted) -> None:
        if not accepted.duplicate:
            self.m.child(self.m.messages_in, inbound.channel).inc()

    def replied(self, inbound: InboundMessage, out: OutboundMessage, first_reply: bool) -> None:
        self.m.message_out(inbound.channel, out.author)
        waited = _seconds_since(inbound.received_at)
        if out.kind == "ack":
            self.m.child(self.m.ack_seconds, inbound.channel).observe(waited)
        elif first_reply:
            self.m.child(self.m.reply_seconds, inbound.channel).observe(waited)

    def finished(self, turn: Turn) -> None:
        if turn.ticket_opened and turn.ticket is not None:
            self.m.ticket_opened(turn.ticket.team, turn.ticket.priority, turn.inbound.channel)

    def failed(self, inbound: InboundMessage, error: BaseException) -> None:
        self.m.turn_failures.labels(inbound.channel).inc()


def _seconds_since(moment: datetime) -> float:
    return max(0.0, (utcnow() - moment).total_seconds())


async def _probe_pool(session: AsyncSession, m: Metrics) -> None:
    """This process's connections (a pool always at its limit makes turns wait: docs/scaling.md)."""
    pool: Any = session.get_bind().pool
    if hasattr(pool, "checkedout"):  # a queue pool (SQLAlchemy's default for both databases)
        m.db_connections.labels("in_use").set(pool.checkedout())
        m.db_connections.labels("idle").set(pool.checkedin())
        m.db_pool_size.set(pool.size())


async def _probe_tickets(session: AsyncSession, m: Metrics) -> None:
    rows = (await session.execute(
        select(Ticket.team, Ticket.priority, func.count()).where(Ticket.status.in_(OPEN_TICKET_STATUSES))
        .group_by(Ticket.team, Ticket.priority))).all()
    m.tickets_open.clear()  # a team whose last ticket closed must drop to nothing, not keep its count
    for team, priority, count in rows:
        m.tickets_open.labels(team, priority).set(count)


async def _probe_outbox(session: AsyncSession, m: Metrics) -> None:
    pending: Any = (await session.execute(
        select(func.count(), func.min(OutboxMail.created_at)).where(OutboxMail.status == "pending"))).one()
    m.outbox_depth.set(pending[0])
    oldest = pending[1]
    if isinstance(oldest, str):  # SQLite's min() returns the stored text, not the typed column
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    m.outbox_age.set(_seconds_since(oldest) if oldest else 0)
    m.outbox_failed.set(await session.scalar(
        select(func.count()).select_from(OutboxMail).where(OutboxMail.status == "failed")) or 0)


async def _probe_unprocessable(session: AsyncSession, m: Metrics) -> None:
    """Mails set aside for a person (chatbot/mail_store.py; `chatbot mail list` shows them)."""
    from chatbot.mail_store import count_by_status  # the email channel's table, read at scrape time

    m.unprocessable_mails.set((await count_by_status(session)).get("unprocessable", 0))
