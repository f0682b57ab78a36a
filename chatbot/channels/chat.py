"""The website chat over Socket.IO (namespace /chat). It only translates: wire data to an
InboundMessage, replies back to `message` / `ticket` events. See docs/protocol.md."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import uuid
from typing import TYPE_CHECKING, Any, Awaitable, Callable

import socketio

from chatbot.db import utcnow
from chatbot.i18n import LANGUAGES, N_, gettext
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.pipeline import Emit, Pipeline
from chatbot.ratelimit import ChatLimits
from chatbot.understanding import LanguageHints

if TYPE_CHECKING:
    from chatbot.metrics import Metrics

log = logging.getLogger(__name__)
NAMESPACE = "/chat"
# (event, conversation id, data): "message" (every message of the chat), "typing", "read".
Relay = Callable[[str, str, dict[str, Any]], Awaitable[None]]

ERRORS = {
    "invalid_payload": N_("The message must be an object with a text field."),
    "empty_text": N_("The message is empty."),
    "text_too_long": N_("The message is too long: at most {limit} characters."),
    "invalid_client_id": N_("client_id must be a string of at most 64 characters."),
    "unknown_event": N_("Unknown event: {event}."),
    "invalid_token": N_("The conversation could not be resumed; a new conversation has started."),
    "internal": N_("Sorry, something went wrong on our side. Please send your message again."),
    "rate_limited": N_("You are sending messages too fast. Please wait a moment, then try again."),
}
# A turn that failed after its message was stored is retried (chatbot/recovery.py): no resend.
TURN_DELAYED = N_("Sorry, I could not answer right away. Your message is saved and will be answered shortly.")


class ChatError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


class ResumeTokens:
    """A resume token names a conversation and is signed, so a visitor cannot guess another's."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"chat-resume:" + secret.encode()).digest()

    def issue(self, conversation_id: str) -> str:
        return f"{conversation_id}.{self._sign(conversation_id)}"

    def conversation_of(self, token: object) -> str | None:
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 200:
            return None
        conversation_id, sig = token.split(".")
        return conversation_id if hmac.compare_digest(self._sign(conversation_id), sig) else None

    def _sign(self, conversation_id: str) -> str:
        return hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()[:40]


class ChatNamespace(socketio.AsyncNamespace):
    EVENTS = frozenset({"connect", "disconnect", "message", "history", "typing", "read"})
    # Set by the composition root: the agent consoles' feed of what happens in each chat.
    relay: Relay | None = None

    def __init__(self, pipeline: Pipeline, tokens: ResumeTokens, max_chars: int,
                 limits: ChatLimits | None = None, metrics: Metrics | None = None) -> None:
        super().__init__(NAMESPACE)
        self.limits = limits
        self.metrics = metrics
        self.pipeline = pipeline
        self.tokens = tokens
        self.max_chars = max_chars
        self._tasks: set[asyncio.Task[None]] = set()  # strong references until each turn ends
        # Connection facts of this process only; conversation state lives in the database.
        self._sessions: dict[str, dict[str, Any]] = {}

    async def trigger_event(self, event: str, *args: Any) -> Any:
        sid = args[0] if args else None
        if event not in self.EVENTS:
            return self._error(sid, ChatError("unknown_event", event=str(event)[:50]))
        if event in ("message", "history", "typing", "read") and len(args) < 2:
            args = (sid, None)
        if self._forged(event, sid):
            return self._error(sid, ChatError("unknown_event", event=event))
        if event in ("message", "history") and not await self._allowed(sid):
            return self._error(sid, ChatError("rate_limited"))
        if event in ("typing", "read") and self.limits and not self.limits.signal_allowed(str(sid)):
            return self._error(sid, ChatError("rate_limited"))
        try:
            return await super().trigger_event(event, *args)
        except ChatError as exc:
            return self._error(sid, exc)
        except Exception:
            log.exception("chat event %s failed", event)
            return self._error(sid, ChatError("internal"))

    def _error(self, sid: str | None, exc: ChatError) -> dict[str, Any]:
        lang = self._lang(sid) if sid else "en"
        return {"error": {"code": exc.code, "message": gettext(ERRORS[exc.code], lang, **exc.params)}}

    def _forged(self, event: str, sid: Any) -> bool:
        """Socket.IO lets a client send an ordinary event *named* "connect" or "disconnect", which
        would run those handlers with data of its choosing (a forged environ and address, a reset of
        its limits). The real connect comes once, before the sid has a session; the real disconnect
        comes after the server stopped counting the sid as connected."""
        if event == "connect":
            return sid in self._sessions
        if event == "disconnect":
            return bool(self.server.manager.is_connected(sid, self.namespace))
        return False

    async def _allowed(self, sid: str | None) -> bool:
        info = self._sessions.get(sid or "")
        if (self.limits is None or info is None
                or await self.limits.message_allowed(str(sid), info["address"])):
            return True
        if self.metrics:
            self.metrics.rate_limited.labels("chat_message").inc()
        return False

    def _lang(self, sid: str) -> str:
        return str(self._sessions.get(sid, {}).get("lang") or "en")

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool | None:
        auth = auth if isinstance(auth, dict) else {}
        locale = auth.get("locale") if auth.get("locale") in LANGUAGES else None
        address = self.limits.address_of(environ) if self.limits else "unknown"
        if self.limits and not await self.limits.connection_allowed(address):
            if self.metrics:
                self.metrics.rate_limited.labels("chat_connection").inc()
            await self.emit("error", {"code": "rate_limited",
                                      "message": gettext(ERRORS["rate_limited"], locale or "en")}, to=sid)
            return False
        conversation_id = None
        token_problem = False
        if auth.get("token") is not None:
            conversation_id = self.tokens.conversation_of(auth.get("token"))
            token_problem = conversation_id is None
        resumed = conversation_id is not None and await self.pipeline.store.exists(conversation_id)
        if conversation_id is None:
            conversation_id = uuid.uuid4().hex
        lang = locale or "en"
        if resumed:
            lang = await self._conversation_lang(conversation_id) or lang
        self._sessions[sid] = {
            "conversation_id": conversation_id,
            "locale": locale,
            "lang": lang,
            "accept_language": environ.get("HTTP_ACCEPT_LANGUAGE"),
            "customer_ref": (str(auth["customer_id"]).replace("\x00", "")[:64]
                             if auth.get("customer_id") is not None else None),
            "signature": str(auth.get("customer_hash") or "")[:128] or None,
            "address": address,
        }
        if self.metrics:
            self.metrics.visitors.inc()
        await self.enter_room(sid, conversation_id)
        if token_problem:
            await self.emit("error", {"code": "invalid_token",
                                      "message": gettext(ERRORS["invalid_token"], lang)}, to=sid)
        await self.emit("session", {"conversation_id": conversation_id,
                                    "token": self.tokens.issue(conversation_id), "lang": lang,
                                    "resumed": resumed}, to=sid)

    async def _conversation_lang(self, conversation_id: str) -> str | None:
        from chatbot.models import Conversation

        async with self.pipeline.sessions() as s:
            conv = await s.get(Conversation, conversation_id)
            return conv.lang if conv else None

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        if self._sessions.pop(sid, None) is not None and self.metrics:
            self.metrics.visitors.dec()
        if self.limits:
            self.limits.disconnected(sid)

    async def on_message(self, sid: str, data: Any) -> dict[str, Any]:
        info = self._sessions[sid]
        inbound = self._inbound(info, data)
        accepted = await self.pipeline.accept(inbound)
        if not accepted.duplicate:
            await self._relay("message", inbound.conversation_id, {
                "id": accepted.message_id, "conversation_id": inbound.conversation_id, "author": "customer",
                "kind": "text", "text": inbound.text, "lang": None, "created_at": accepted.received_at.isoformat()})
            task = asyncio.create_task(self._think(sid, inbound, accepted))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return {"id": accepted.message_id, "received_at": accepted.received_at.isoformat(),
                "duplicate": accepted.duplicate}

    def _inbound(self, info: dict[str, Any], data: Any) -> InboundMessage:
        if not isinstance(data, dict) or "text" not in data or not isinstance(data["text"], str):
            raise ChatError("invalid_payload")
        text = data["text"].replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
        if not text:
            raise ChatError("empty_text")
        if len(text) > self.max_chars:
            raise ChatError("text_too_long", limit=self.max_chars)
        client_id = data.get("client_id")
        if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= 64
                                      or not client_id.isprintable()):
            raise ChatError("invalid_client_id")
        return InboundMessage(
            channel="chat", conversation_id=info["conversation_id"], text=text, received_at=utcnow(),
            sender=Sender(customer_ref=info["customer_ref"], signature=info["signature"]),
            hints=LanguageHints(widget_locale=info["locale"], accept_language=info["accept_language"]),
            client_id=client_id, questions_per_reply=1)

    def emitter(self, conversation_id: str, sid: str | None = None) -> Emit:
        """How replies of a conversation reach everyone connected to it (also for resumed turns)."""
        async def emit(out: OutboundMessage) -> None:
            if sid in self._sessions:
                self._sessions[sid]["lang"] = out.lang
            wire = out.to_wire()
            await self.emit("message", wire, room=conversation_id)
            await self._relay("message", conversation_id, wire)
            if out.ticket:
                await self.emit("ticket", out.ticket, room=conversation_id)
        return emit

    async def _think(self, sid: str, inbound: InboundMessage, accepted: Any) -> None:
        try:
            await self.pipeline.process(inbound, accepted, self.emitter(inbound.conversation_id, sid))
        except Exception:
            log.exception("turn failed in conversation %s", inbound.conversation_id)
            await self.emit("error", {"code": "internal", "message": gettext(TURN_DELAYED,
                                                                             self._lang(sid))}, to=sid)

    async def _relay(self, event: str, conversation_id: str, data: dict[str, Any]) -> None:
        if self.relay is not None:
            try:
                await self.relay(event, conversation_id, data)
            except Exception:  # the consoles' feed must never cost the visitor a reply
                log.exception("relay of %s failed in conversation %s", event, conversation_id)

    async def on_typing(self, sid: str, data: Any = None) -> dict[str, Any]:
        """The visitor is (or stopped) typing: shown live in the agent's console."""
        typing = bool(data.get("typing", True)) if isinstance(data, dict) else True
        await self._relay("typing", self._sessions[sid]["conversation_id"], {"typing": typing})
        return {"ok": True}

    async def on_read(self, sid: str, data: Any = None) -> dict[str, Any]:
        """The visitor has seen the messages up to ``up_to``: the agent's read indicator."""
        up_to = data.get("up_to") if isinstance(data, dict) else None
        if not isinstance(up_to, int) or isinstance(up_to, bool):
            raise ChatError("invalid_payload")
        await self._relay("read", self._sessions[sid]["conversation_id"], {"up_to": up_to})
        return {"ok": True}

    async def on_history(self, sid: str, data: Any = None) -> dict[str, Any]:
        conversation_id = self._sessions[sid]["conversation_id"]
        return {"conversation_id": conversation_id, "messages": await self.pipeline.store.history(conversation_id)}
