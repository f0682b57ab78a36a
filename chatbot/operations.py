"""What keeps the service safe and observable, built once and installed on the web app: abuse limits,
security headers, health and readiness, Prometheus metrics, and the recovery of unfinished turns.

The composition root builds it beside the pipeline (`build_operations`), hands `limits` and
`metrics` to the channels, and calls `install` on the application. Other parts reach it through
`app[OPERATIONS]`: a channel adds its readiness check (`health.add`), a worker reports into
`metrics`, a channel registers how resumed turns reach its customers (`recovery.register`).
"""
from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.health import Health, readiness_checks
from chatbot.logs import add_fields
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.metrics import Metrics, TurnMetrics
from chatbot.pipeline import Pipeline, Turn, TurnObserver
from chatbot.ratelimit import ChatLimits, Networks, client_address, in_networks, parse_networks
from chatbot.recovery import FinishedTurns, Recovery
from chatbot.security import HttpHardening
from chatbot.settings import Settings

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent
# Who may read /metrics: loopback and private networks (the Prometheus server), never the internet.
INTERNAL: Networks = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


class TicketInLogs(TurnObserver):
    """Once a turn has a ticket, its later log lines name it (the turn's conversation is bound by the
    pipeline; the ticket is only known mid-turn)."""

    def replied(self, inbound: InboundMessage, out: OutboundMessage, first_reply: bool) -> None:
        if out.ticket and out.ticket.get("number"):
            add_fields(ticket=out.ticket["number"])
            log.info("ticket opened", extra={"team": out.ticket.get("team"), "priority": out.ticket.get("priority")})

    async def finishing(self, turn: Turn) -> None:
        if turn.ticket is not None and turn.ticket.number:
            add_fields(ticket=turn.ticket.number)


@dataclass
class Operations:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    limits: ChatLimits
    metrics: Metrics
    health: Health
    recovery: Recovery
    http: HttpHardening
    trusted_proxies: Networks

    async def metrics_page(self, request: web.Request) -> web.Response:
        address = client_address(request.remote, request.headers, self.trusted_proxies)
        if not in_networks(address, INTERNAL):
            raise web.HTTPNotFound()  # do not even confirm it exists to the outside
        return await self.metrics.handler(self.sessions)(request)

    def install(self, app: web.Application) -> None:
        self.http.install(app)
        self.health.install(app)
        app.router.add_get("/metrics", self.metrics_page)

        async def start_recovery(_: web.Application) -> None:
            self.recovery.start()

        async def stop_recovery(_: web.Application) -> None:
            await self.recovery.stop()

        async def close_limits(_: web.Application) -> None:
            await self.limits.close()  # the Redis client of the shared per-address limits, if any

        app.on_startup.append(start_recovery)
        app.on_cleanup.append(stop_recovery)
        app.on_cleanup.append(close_limits)


def build_operations(settings: Settings, sessions: async_sessionmaker[AsyncSession],
                     pipeline: Pipeline) -> Operations:
    trusted = parse_networks(settings.trusted_proxies)
    metrics = Metrics()
    recovery = Recovery(pipeline, sessions, retry_after=settings.turn_retry_after,
                        on_abandon=lambda _conversation: metrics.turns_abandoned.inc())
    pipeline.observers += [TurnMetrics(metrics), FinishedTurns(), TicketInLogs()]
    pipeline.store.observe_batches(lambda kind, size: metrics.child(metrics.db_batch_size, kind).observe(size))
    if pipeline.turn_locks is not None:  # PostgreSQL
        pipeline.turn_locks.observe_batches(lambda kind, size: metrics.child(metrics.db_batch_size, kind).observe(size))
    return Operations(
        settings=settings, sessions=sessions, limits=ChatLimits.from_settings(settings), metrics=metrics,
        health=Health(readiness_checks(settings, sessions)), recovery=recovery,
        http=HttpHardening([PACKAGE], max_body_bytes=settings.max_body_bytes, trusted_proxies=trusted),
        trusted_proxies=trusted)
