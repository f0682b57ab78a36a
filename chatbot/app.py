"""The composition root: settings → database → stores → pipeline → channels → web app.

Everything is built here and handed to what needs it through constructors; resources open and close
with aiohttp's startup/cleanup."""
from __future__ import annotations

import logging
from pathlib import Path

import socketio
from aiohttp import hdrs, web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict

from chatbot import account_guard, steps, ticket_steps
from chatbot.agents.console import AgentConsole
from chatbot.business_hours import BusinessHours
from chatbot.channels import packets
from chatbot.channels.chat import ChatNamespace, ResumeTokens
from chatbot.channels.email.channel import install_email
from chatbot.channels.engine import ChatServer
from chatbot.channels.rooms import LocalRooms, RoomChannels
from chatbot.conversations import ConversationStore
from chatbot.db import create_engine, session_factory
from chatbot.demo_pages import install_demo_pages
from chatbot.desk import Desk, load_desk
from chatbot.handoff import Handoff
from chatbot.knowledge import Knowledge
from chatbot.operations import Operations, build_operations
from chatbot.pipeline import Pipeline, Step
from chatbot.settings import Settings
from chatbot.sla import SlaScheduler
from chatbot.understanding import Analyzer

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
SETTINGS = web.AppKey("settings", Settings)
PIPELINE = web.AppKey("pipeline", Pipeline)
SIO = web.AppKey("sio", socketio.AsyncServer)
OPERATIONS = web.AppKey("operations", Operations)
SLA = web.AppKey("sla", SlaScheduler)


def default_steps(settings: Settings, desk: Desk, analyzer: Analyzer, knowledge: Knowledge) -> list[Step]:
    """How the bot thinks, in order. Every channel's messages take this same path."""
    handoff = Handoff(desk, knowledge.hours)
    return [
        steps.load_conversation(),
        steps.detect_language(analyzer),
        steps.acknowledge(),
        ticket_steps.customer_answered(settings.identity_secret, settings.trusted_authserv_id or None),
        steps.stay_silent_while_agent_holds(),
        steps.verify_identity(settings.identity_secret, settings.trusted_authserv_id or None),
        steps.understand(analyzer),
        account_guard.guard_account_requests(),
        steps.converse(desk, knowledge.answer, handoff.request),
        steps.route(desk, knowledge.expectations),
        handoff.incident_step(),
        steps.ask_missing(),
        steps.save_state(),
    ]


def build_app(settings: Settings) -> web.Application:
    desk = load_desk(settings.desk_file or None)
    analyzer = Analyzer(desk)
    knowledge = Knowledge(desk, BusinessHours(desk))
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size,
                           max_overflow=settings.database_max_overflow)
    sessions = session_factory(engine)
    store = ConversationStore(sessions)
    pipeline = Pipeline(sessions, store, default_steps(settings, desk, analyzer, knowledge))
    ops = build_operations(settings, sessions, pipeline)  # limits, metrics, health, turn recovery

    manager = RoomChannels(settings.redis_url, settings.redis_channel) if settings.redis_url else None
    sio = ChatServer(async_mode="aiohttp", cors_allowed_origins=[], always_connect=True,
                     client_manager=manager or LocalRooms(), max_http_buffer_size=64 * 1024,
                     serializer=packets.Packet)
    chat = ChatNamespace(pipeline, ResumeTokens(settings.secret_key), settings.max_message_chars,
                         ops.limits, ops.metrics)
    sio.register_namespace(chat)
    agents = AgentConsole(sessions, desk, knowledge.hours, lock=pipeline.lock, max_chars=settings.max_message_chars)
    sio.register_namespace(agents.namespace)
    chat.relay = agents.relay  # what visitors write and the bot says, live in the consoles
    ops.recovery.register("chat", chat.emitter)

    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=[_no_websocket_compression])
    app[SETTINGS] = settings
    app[PIPELINE] = pipeline
    app[SIO] = sio
    app[OPERATIONS] = ops
    # SLA clocks fire from startup to cleanup (before the engine is disposed: cleanup_ctx runs first).
    app[SLA] = SlaScheduler(sessions, desk, knowledge.hours, management_email=settings.management_email,
                            observer=ops.metrics)
    app.cleanup_ctx.append(app[SLA].context)
    ops.install(app)  # security headers, body limit, /healthz, /readyz, /metrics, recovery task
    sio.attach(app)
    app.router.add_get("/", _index)
    app.router.add_static("/static/", STATIC)
    agents.install(app)  # /agent console, its login, the pages' texts per language
    if settings.demo_data and settings.identity_secret:
        install_demo_pages(app, sessions, settings.identity_secret)  # /client-area, a signed-in customer
    install_email(app, settings, sessions, pipeline, ops)  # IMAP intake, outbox sender (when configured)

    async def close_db(_: web.Application) -> None:
        await engine.dispose()

    app.on_cleanup.append(close_db)
    return app


@web.middleware
async def _no_websocket_compression(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse permessage-deflate: python-engineio (4.15) builds aiohttp's WebSocketResponse with
    compression on and has no option to turn it off, and the zlib state costs ~120 KB per browser
    connection for chat messages of a few hundred bytes. Without the client's offer, none is made."""
    if hdrs.SEC_WEBSOCKET_EXTENSIONS in request.headers:
        headers = CIMultiDict(request.headers)
        del headers[hdrs.SEC_WEBSOCKET_EXTENSIONS]
        request = request.clone(headers=headers)
    return await handler(request)


async def _index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")

