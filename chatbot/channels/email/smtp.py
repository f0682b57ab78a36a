"""Sending our mail over SMTP, with every outcome classified as sent, retry later, or failed for good.

The outbox (phase 2) keeps a mail until this says "sent" or "failed": a relay outage or a greylisting
4xx only delays an acknowledgement, and a 5xx is recorded and surfaced instead of retried forever.
"""
from __future__ import annotations

import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal

import aiosmtplib

log = logging.getLogger(__name__)

TlsMode = Literal["none", "starttls", "tls"]
Status = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class SendResult:
    status: Status
    detail: str
    refused: dict[str, str] = field(default_factory=dict)  # recipient → "code text" from the relay

    @property
    def deferred_recipients(self) -> list[str]:
        """Recipients refused with a 4xx while others were accepted: worth another attempt alone."""
        return [r for r, why in self.refused.items() if why[:1] == "4"]


def _code_status(code: int) -> Status:
    return "failed" if 500 <= code < 600 else "retry"


async def _quit(client: aiosmtplib.SMTP) -> None:
    """QUIT politely; the mail's fate is already decided, so a failure here changes nothing."""
    try:
        if client.is_connected:
            await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()


class SmtpSender:
    """One relay. A connection per send: acknowledgements are rare enough that a pooled connection
    would mostly be a connection the relay has already timed out."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        tls: TlsMode = "starttls",
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if tls not in ("none", "starttls", "tls"):
            raise ValueError(f"SMTP tls must be none, starttls or tls, not {tls!r}")
        self.host, self.port, self.tls, self.timeout = host, port, tls, timeout
        self.username = username
        self._password = password  # never logged, never in repr or in a SendResult
        self._tls_context = tls_context

    def __repr__(self) -> str:
        auth = f"{self.username}:***@" if self.username else ""
        return f"SmtpSender({auth}{self.host}:{self.port}, tls={self.tls})"

    async def send(self, msg: EmailMessage, envelope_from: str | None = None,
                   before_data: Callable[[], Awaitable[None]] | None = None) -> SendResult:
        """Deliver `msg` to the relay; `envelope_from` defaults to the From address.

        `before_data` runs once the relay is connected and has accepted our login, just before the
        envelope and the message go: the outbox marks the mail "being sent" there, which leaves
        the smallest window in which a crash makes delivery uncertain. If it raises, nothing is sent.
        """
        where = f"{self.host}:{self.port}"
        client = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, username=self.username, password=self._password,
            use_tls=self.tls == "tls", start_tls=self.tls == "starttls", tls_context=self._tls_context,
            timeout=self.timeout)
        try:
            await client.connect()
            try:
                if before_data is not None:
                    await before_data()
                errors, response = await client.send_message(msg, sender=envelope_from)
            finally:
                await _quit(client)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = {r.recipient: f"{r.code} {r.message}" for r in exc.recipients}
            status: Status = "retry" if any(400 <= r.code < 500 for r in exc.recipients) else "failed"
            return self._log(SendResult(status, f"every recipient was refused by {where}", refused))
        except aiosmtplib.SMTPAuthenticationError as exc:
            # A refused login is our configuration, not this mail's fault: keep the mail and retry,
            # so fixing the password delivers the backlog instead of losing it.
            return self._log(SendResult("retry", f"{where} refused our login ({exc.code}); check the "
                                                 "SMTP username and password"))
        except aiosmtplib.SMTPResponseException as exc:
            return self._log(SendResult(_code_status(exc.code), f"{where} answered {exc.code} {exc.message}"))
        except aiosmtplib.SMTPNotSupported as exc:
            return self._log(SendResult("retry", f"{where} does not support what we need: {exc}"))
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            return self._log(SendResult("retry", f"{where} unreachable: {type(exc).__name__}: {exc}"))
        except ValueError as exc:  # no recipient or sender in the message: retrying will not help
            return self._log(SendResult("failed", f"the message cannot be sent: {exc}"))
        refused = {addr: f"{r.code} {r.message}" for addr, r in errors.items()}
        return self._log(SendResult("sent", response, refused))

    def _log(self, result: SendResult) -> SendResult:
        level = logging.INFO if result.status == "sent" and not result.refused else logging.WARNING
        log.log(level, "SMTP %s via %s:%s: %s%s", result.status, self.host, self.port, result.detail,
                f" refused={result.refused}" if result.refused else "")
        return result
