"""`chatbot serve` with the email channel, killed with SIGKILL again and again while mail arrives:
after the last restart every mail is stored once, in its ticket, flagged done on the server, and
each customer got one acknowledgement — never two.

The kills land at increasing delays after a delivery (before the watcher sees the mail, while it is
stored, mid-turn, while the acknowledgement is being sent), plus one while the SMTP relay is down and
acknowledgements are queued. The only allowed exception to "exactly one" is a mail whose hand-over
to the relay was cut mid-way: that one is never resent (it may have gone) but surfaced as failed."""
from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from chatbot.channels.email.sender import INTERRUPTED
from chatbot.i18n import gettext
from chatbot.mail_store import InboundMail
from chatbot.models import OutboxMail, Ticket
from chatbot.pending import PendingTurn
from chatbot.settings import Settings
from chatbot.steps import ACK
from tests.servers.chatbot import ChatbotServe
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer

SECRET = "email-kill-test-secret-0123456789"
DELAYS = (0.0, 0.05, 0.15, 0.3, 0.6, 1.2)


class MailServer(ChatbotServe):
    async def reading_mailbox(self, timeout: float = 30.0) -> None:
        """Until this process holds the mailbox lease (a killed holder's lease must expire first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any("lease mailbox:INBOX taken" in line.get("message", "") for line in self.log_lines()):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"never took the mailbox: {self.log_tail()}")


@pytest.fixture
async def serve(settings: Settings, sessions: Any, dovecot: DovecotServer, smtp_server: SmtpServer,
                tmp_path: Path) -> AsyncIterator[Callable[[], MailServer]]:
    env = {**os.environ, "CHATBOT_DATABASE_URL": settings.database_url, "CHATBOT_SECRET_KEY": SECRET,
           "CHATBOT_IDENTITY_SECRET": settings.identity_secret, "CHATBOT_LOG_LEVEL": "INFO",
           "CHATBOT_TURN_RETRY_AFTER": "1", "CHATBOT_IMAP_HOST": dovecot.host,
           "CHATBOT_IMAP_PORT": str(dovecot.port), "CHATBOT_IMAP_USER": dovecot.user,
           "CHATBOT_IMAP_PASSWORD": dovecot.password, "CHATBOT_IMAP_TLS": "false",
           "CHATBOT_SMTP_HOST": smtp_server.host, "CHATBOT_SMTP_PORT": str(smtp_server.port),
           "CHATBOT_SMTP_TLS": "none", "CHATBOT_EMAIL_SEND_RETRY_SECONDS": "1",
           "CHATBOT_EMAIL_MAILBOX_LEASE_SECONDS": "3", "CHATBOT_EMAIL_ACK_HOLD_SECONDS": "5",
           "CHATBOT_EMAIL_AUTO_REPLIES_PER_HOUR": "100", "CHATBOT_EMAIL_AUTO_REPLIES_PER_DAY": "100"}
    made: list[MailServer] = []

    def make() -> MailServer:
        made.append(MailServer(env, tmp_path))
        return made[-1]

    yield make
    for server in made:
        await server.stopped()


# Two registered customers (tickets are opened for known customers only), in their languages.
CUSTOMERS = (
    ("Emily Carter <emily@carter-apps.example.com>", "Server down",
     "Hello, my server is completely down since this morning, nothing responds."),
    ("Camille Dubois <camille.dubois@example.fr>", "Serveur en panne",
     "Bonjour, mon serveur ne répond plus du tout depuis ce matin, le site est hors ligne."),
)
ACKS = tuple(gettext(ACK, lang).split(".")[0] for lang in ("en", "fr"))


def request(n: int) -> tuple[bytes, str]:
    sender, subject, body = CUSTOMERS[n % len(CUSTOMERS)]
    message_id = make_msgid(domain=sender.split("@")[1].rstrip(">"))
    raw = (f"From: {sender}\r\nTo: support@introserv.com\r\nSubject: {subject} ({n})\r\n"
           f"Message-ID: {message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n"
           f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n").encode()
    return raw, message_id


async def quiescent(sessions: Any, expected: int, timeout: float = 120.0) -> None:
    """Every mail stored and processed, no turn owed, nothing left to send."""
    deadline = time.monotonic() + timeout
    state: tuple[Any, ...] = ()
    while time.monotonic() < deadline:
        async with sessions() as s:
            statuses = Counter((await s.scalars(select(InboundMail.status))).all())
            owed = await s.scalar(select(func.count()).select_from(PendingTurn))
            unsent = await s.scalar(select(func.count()).select_from(OutboxMail).where(
                OutboxMail.status.in_(("held", "pending", "sending"))))
        state = (statuses, owed, unsent)
        if statuses == Counter({"processed": expected}) and owed == 0 and unsent == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not settled: {state}")


async def test_sigkill_at_any_point_loses_no_mail_and_never_acknowledges_twice(
        serve, sessions: Any, dovecot: DovecotServer, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    delivered: dict[str, int] = {}  # customer's Message-ID → UID in the mailbox

    async def serve_and_deliver_two() -> Any:
        """A new process reading the mailbox, and two more customer mails for it."""
        server = serve()
        await server.serve()
        await server.reading_mailbox()
        for _ in range(2):
            raw, message_id = request(len(delivered) + 1)
            delivered[message_id] = await asyncio.to_thread(dovecot.append, raw)
        return server

    for delay in DELAYS:
        server = await serve_and_deliver_two()
        await asyncio.sleep(delay)
        await server.killed()

    # The relay is down: acknowledgements wait in the outbox when the process dies.
    smtp_server.stop()
    server = await serve_and_deliver_two()
    async with sessions() as s:
        for _ in range(300):
            if await s.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.attempts >= 1)):
                break
            await asyncio.sleep(0.05)
    await server.killed()
    smtp_server.start()

    final = serve()
    await final.serve()
    await quiescent(sessions, expected=len(delivered))

    async with sessions() as s:
        stored = (await s.scalars(select(InboundMail))).all()
        tickets = await s.scalar(select(func.count()).select_from(Ticket))
        uncertain = (await s.scalars(select(OutboxMail).where(OutboxMail.last_error == INTERRUPTED))).all()
    # Nothing lost, nothing twice: one stored mail and one ticket per delivered mail.
    assert sorted(m.message_id for m in stored) == sorted(delivered)
    assert tickets == len(delivered)
    for uid in delivered.values():
        assert "$Processed" in await asyncio.to_thread(dovecot.flags, uid)
    # One acknowledgement per customer at the relay; a cut hand-over is surfaced, never repeated.
    acks = Counter(m.message["In-Reply-To"] for m in smtp_server.messages
                   if any(ack in m.message.get_content() for ack in ACKS))
    assert all(count == 1 for count in acks.values()), acks
    surfaced = {row.headers.get("in_reply_to") for row in uncertain}
    assert set(acks) <= set(delivered) and set(delivered) - set(acks) <= surfaced
    print(f"\n{len(delivered)} mails, {len(DELAYS) + 1} kills: {len(acks)} acknowledged once, "
          f"{len(surfaced)} hand-over(s) cut by a kill and surfaced")
