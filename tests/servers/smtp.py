"""An aiosmtpd SMTP server receiving our replies (pytest plugin: fixture `smtp_server`).

The server runs in aiosmtpd's own thread on a free 127.0.0.1 port and keeps every accepted message.
`mode` makes it misbehave the way real relays do, so the sender's classification is tested against
real SMTP replies rather than mocked exceptions.
"""
from __future__ import annotations

import asyncio
import ssl
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers._common import free_port, self_signed_cert, unavailable, wait_port

SMTP_USER, SMTP_PASSWORD = "relay-user", "s3cret-smtp-pw"

# mode → what the server answers. "refuse:<addr>" / "defer:<addr>" refuse one recipient only.
MODES = {"accept", "tempfail", "permfail", "tempfail-mail", "permfail-mail", "disconnect"}


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    at: float

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class RecordingHandler:
    mode: str = "accept"
    messages: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        with self.lock:
            self.attempts += 1
        if self.mode == "tempfail-mail":
            return "421 4.3.2 Service not available, closing transmission channel"
        if self.mode == "permfail-mail":
            return "550 5.7.1 Sender rejected by policy"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        kind, _, target = self.mode.partition(":")
        if kind == "refuse" and address.lower() == target.lower():
            return "550 5.1.1 No such user here"
        if kind == "defer" and address.lower() == target.lower():
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.mode == "tempfail":
            return "451 4.3.0 Temporary local problem, try again later"
        if self.mode == "permfail":
            return "554 5.7.1 Message rejected as spam"
        if self.mode == "disconnect":
            server.transport.close()  # type: ignore[union-attr]
            return "421 closing"
        content = envelope.original_content or b""
        with self.lock:
            self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), content,
                                          time.monotonic()))
        return "250 2.0.0 Message accepted for delivery"


def _authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        SMTP_USER.encode(), SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


class SmtpServer:
    """The fixture's face: start/stop (an outage), the received mail, and a waiter for tests."""

    def __init__(self, require_auth: bool = False, tls: str = "none", cert: tuple[Path, Path] | None = None) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self.tls, self.cert = tls, cert  # tls: "none", "starttls" (required) or "tls" (implicit)
        self.handler = RecordingHandler()
        self.require_auth = require_auth
        self.user, self.password = SMTP_USER, SMTP_PASSWORD
        self._controller: Controller | None = None

    def start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # AUTH without TLS: fine on loopback
            server_tls: dict[str, Any] = {}
            if self.tls != "none":
                assert self.cert is not None
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(str(self.cert[0]), str(self.cert[1]))
                server_tls = ({"tls_context": context, "require_starttls": True} if self.tls == "starttls"
                              else {"ssl_context": context})
            self._controller = Controller(
                self.handler, hostname=self.host, port=self.port, authenticator=_authenticate,
                auth_require_tls=False, auth_required=self.require_auth, **server_tls)
        self._controller.start()
        if not wait_port(self.port, True):
            raise RuntimeError("aiosmtpd did not start")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def set_mode(self, mode: str) -> None:
        assert mode in MODES or mode.partition(":")[0] in {"refuse", "defer"}, mode
        self.handler.mode = mode

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} message(s) at the SMTP server, got {len(self.messages)}")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        unavailable(f"aiosmtpd server: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["starttls", "tls"])
def smtp_server_tls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmtpServer]:
    server = SmtpServer(require_auth=True, tls=request.param, cert=self_signed_cert(tmp_path))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server_with_auth() -> Iterator[SmtpServer]:
    server = SmtpServer(require_auth=True)
    server.start()
    yield server
    server.stop()
