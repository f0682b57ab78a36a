"""The outbox's sender task: every queued mail reaches the SMTP relay once, or is surfaced as failed.

States of a row: held (an acknowledgement waiting for the bot's answer) → pending → sending → sent,
with pending again after a 4xx or a network error (backoff), and failed after a 5xx or too many
tries. A row found "sending" after a crash may or may not have reached the relay: it is never sent
again automatically (no customer gets an acknowledgement twice) but marked failed and logged, so an
operator can check and resend.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.channels.email.compose import Kind, compose_reply
from chatbot.channels.email.config import EmailConfig
from chatbot.channels.email.smtp import SendResult, SmtpSender
from chatbot.db import utcnow
from chatbot.models import OutboxMail
from chatbot.outbox import claim_due

log = logging.getLogger(__name__)
INTERRUPTED = ("interrupted while being handed to the SMTP server: it may or may not have been delivered, "
               "so it is not resent automatically")


class Abandoned(Exception):
    """The row is no longer ours (another worker took it after our claim expired)."""


class OutboxSender:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], smtp: SmtpSender, config: EmailConfig, *,
                 lease: timedelta = timedelta(seconds=30), retry_base: float = 30.0, max_attempts: int = 20,
                 poll: float = 5.0) -> None:
        self.sessions, self.smtp, self.config = sessions, smtp, config
        # The lease must outlast one whole SMTP exchange (bounded below at two thirds of it), or a
        # slow relay would let a second worker claim a mail that is still being sent; short, because
        # after a crash the mails it had claimed wait for it to expire.
        self.lease, self.retry_base, self.max_attempts, self.poll = lease, retry_base, max_attempts, poll
        self.worker = f"sender-{uuid.uuid4().hex[:12]}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.warning("outbox round failed", exc_info=True)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll)
            except TimeoutError:
                pass
            self._wake.clear()

    async def run_once(self) -> int:
        """Release due held mails, surface interrupted ones, send what is due; returns how many went."""
        now = utcnow()
        async with self.sessions() as s, s.begin():
            # A held acknowledgement whose answer did not come in time goes as it is.
            await s.execute(update(OutboxMail).where(OutboxMail.status == "held", OutboxMail.next_attempt_at <= now)
                            .values(status="pending"))
            interrupted = (await s.scalars(select(OutboxMail).where(
                OutboxMail.status == "sending", OutboxMail.claimed_until < now))).all()
            for row in interrupted:
                row.status, row.last_error, row.claimed_until = "failed", INTERRUPTED, None
                log.error("outbox mail %s to %s (%s): %s", row.id, row.to_addr, row.message_id, INTERRUPTED)
        async with self.sessions() as s:
            claimed = await claim_due(s, self.worker, now=now, lease=self.lease)
        sent = 0
        for row in claimed:
            sent += await self._deliver(row)
        return sent

    def _message(self, row: OutboxMail) -> tuple[str, EmailMessage]:
        headers = row.headers or {}
        message_id = row.message_id or f"<outbox.{row.id}.{uuid.uuid4().hex[:12]}@{self.config.domain}>"
        kind: Kind = "auto_reply" if row.kind in ("ack", "reply", "notice") else "notification"
        if headers.get("auto") in ("auto_reply", "notification", "agent"):
            kind = headers["auto"]
        msg = compose_reply(
            from_addr=self.config.support_address, from_name=self.config.sender_name, to_addr=row.to_addr,
            to_name=str(headers.get("to_name") or ""), subject=row.subject, body=row.body, message_id=message_id,
            in_reply_to=headers.get("in_reply_to"), references=list(headers.get("references") or []),
            language=headers.get("lang"), kind=kind)
        return message_id, msg

    async def _deliver(self, row: OutboxMail) -> int:
        try:
            message_id, msg = self._message(row)
        except (ValueError, TypeError) as exc:  # an address or header we cannot put on the wire
            await self._finish(row.id, SendResult("failed", f"cannot be composed: {exc}"), row.attempts)
            return 0

        async def mark_sending() -> None:
            async with self.sessions() as s, s.begin():
                result = await s.execute(update(OutboxMail).where(
                    OutboxMail.id == row.id, OutboxMail.status == "pending", OutboxMail.claimed_by == self.worker)
                    .values(status="sending", attempts=OutboxMail.attempts + 1, message_id=message_id,
                            claimed_until=utcnow() + self.lease))
                if result.rowcount != 1:  # type: ignore[attr-defined]
                    raise Abandoned(str(row.id))

        try:
            async with asyncio.timeout(self.lease.total_seconds() * 2 / 3):
                result = await self.smtp.send(msg, envelope_from=self.config.support_address,
                                              before_data=mark_sending)
        except Abandoned:
            return 0
        except TimeoutError:
            result = SendResult("retry", "the SMTP exchange took too long")
        await self._finish(row.id, result, row.attempts + 1)
        return 1 if result.status == "sent" else 0

    async def _finish(self, row_id: int, result: SendResult, attempts: int) -> None:
        now = utcnow()
        async with self.sessions() as s, s.begin():
            row = await s.get(OutboxMail, row_id, populate_existing=True)
            if row is None:
                return
            row.claimed_by, row.claimed_until = None, None
            row.attempts = max(row.attempts, attempts)  # a refused connection counts as a try too
            detail = result.detail[:2000]
            if result.status == "sent":
                row.status, row.sent_at = "sent", now
                row.last_error = f"refused: {result.refused}" if result.refused else None
            elif result.status == "retry" and attempts < self.max_attempts:
                delay = min(3600.0, self.retry_base * 2 ** max(0, attempts - 1))
                row.status, row.next_attempt_at, row.last_error = "pending", now + timedelta(seconds=delay), detail
            else:
                row.status, row.last_error = "failed", detail
                log.error("outbox mail %s to %s failed for good: %s", row.id, row.to_addr, detail)
