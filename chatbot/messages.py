"""What crosses the channel boundary: a frozen inbound message and the outbound replies."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chatbot.understanding import LanguageHints


@dataclass(frozen=True)
class Sender:
    """Who claims to be writing; the verify-identity step decides what the claim is worth."""

    address: str | None = None  # email From address (never Reply-To)
    customer_ref: str | None = None  # client-area customer id embedded in the widget
    signature: str | None = None  # HMAC-SHA256 of customer_ref by the client area
    authentication_results: tuple[str, ...] = ()  # email Authentication-Results headers


@dataclass(frozen=True)
class InboundMessage:
    channel: str  # "chat" | "email"
    conversation_id: str
    text: str
    received_at: datetime
    sender: Sender = Sender()
    subject: str | None = None
    hints: LanguageHints = LanguageHints()
    client_id: str | None = None  # makes a retried send idempotent
    # How many missing details the channel can ask for in one reply: chat one at a time, email all.
    questions_per_reply: int | None = 1
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class OutboundMessage:
    id: int
    conversation_id: str
    author: str  # bot | agent | system
    kind: str  # ack | answer | question | ticket | handoff | error | text
    text: str
    lang: str
    created_at: datetime
    ticket: dict[str, Any] | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "author": self.author,
            "kind": self.kind,
            "text": self.text,
            "lang": self.lang,
            "created_at": self.created_at.isoformat(),
        }
