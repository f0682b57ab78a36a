"""The email channel assembled: IMAP watcher → intake → pipeline → replies → outbox → SMTP sender.

`install_email` is what the composition root calls. The sender runs whenever SMTP is configured
(other parts queue mail too: SLA alerts); the intake runs when IMAP is configured.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.channels.email.config import EmailConfig, imap_config, smtp_sender, watch_options
from chatbot.channels.email.imap import ImapWatcher
from chatbot.channels.email.intake import EmailIntake, _no_emit
from chatbot.channels.email.replies import EmailReplies
from chatbot.channels.email.sender import OutboxSender
from chatbot.leases import LeaseKeeper
from chatbot.mail_store import DbPositionStore
from chatbot.pipeline import Emit, Pipeline
from chatbot.settings import Settings

if TYPE_CHECKING:
    from chatbot.operations import Operations

log = logging.getLogger(__name__)


class EmailChannel:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession], pipeline: Pipeline) -> None:
        self.config = EmailConfig.from_settings(settings)
        self.sessions = sessions
        self.lease_seconds = settings.email_mailbox_lease_seconds
        self.sender = (OutboxSender(sessions, smtp_sender(settings), self.config,
                                    retry_base=float(max(1, settings.email_send_retry_seconds)))
                       if settings.smtp_host else None)
        wake = self.sender.wake if self.sender else _nothing
        self.watcher: ImapWatcher | None = None
        self.intake: EmailIntake | None = None
        if settings.imap_host:
            self.intake = EmailIntake(sessions, pipeline, self.config, uidvalidity=self._uidvalidity,
                                      wake_sender=wake)
            self.watcher = ImapWatcher(imap_config(settings), DbPositionStore(sessions), self.intake.take,
                                       watch_options(settings))
        pipeline.observers.append(EmailReplies(self.config, wake))
        self._tasks: set[asyncio.Task[None]] = set()  # strong references while they run

    def _uidvalidity(self) -> int | None:
        return self.watcher.uidvalidity if self.watcher else None

    def emitter(self, conversation_id: str) -> Emit:
        """How a resumed email turn shows its replies: through the outbox (EmailReplies), not here."""
        return _no_emit

    async def _mailbox_job(self) -> None:
        """Read the mailbox and process what it brings; in one process at a time (the lease)."""
        assert self.intake is not None and self.watcher is not None
        intake = asyncio.create_task(self.intake.run(), name="email-intake")
        watching = self.watcher.start()
        try:
            # wait, not gather: when the lease is lost or the server stops, this job is cancelled,
            # and the watcher must then log out properly (stop) rather than be cancelled mid-command.
            await asyncio.wait({watching, intake}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            await self.watcher.stop()
            intake.cancel()
            await asyncio.gather(intake, return_exceptions=True)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        if self.sender is not None:  # every process sends: claims keep each mail to one sender
            self._spawn(self.sender.run(), "email-sender")
        lease = None
        if self.intake is not None:
            lease = LeaseKeeper(self.sessions, f"mailbox:{self.config.mailbox}", self._mailbox_job,
                                ttl=float(max(3, self.lease_seconds)), retry_every=1.0)
            lease.start()
        try:
            yield
        finally:
            if lease is not None:
                await lease.stop()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self._tasks.clear()

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


EMAIL_CHANNEL: web.AppKey[EmailChannel] = web.AppKey("email_channel", EmailChannel)  # operations, tests


def install_email(app: web.Application, settings: Settings, sessions: async_sessionmaker[AsyncSession],
                  pipeline: Pipeline, ops: Operations) -> EmailChannel | None:
    """Build the channel when IMAP or SMTP is configured and run it from startup to cleanup."""
    if not (settings.imap_host or settings.smtp_host):
        return None
    channel = EmailChannel(settings, sessions, pipeline)
    ops.recovery.register("email", channel.emitter)

    async def context(_: web.Application) -> AsyncIterator[None]:
        async with channel.running():
            yield

    app.cleanup_ctx.append(context)
    app[EMAIL_CHANNEL] = channel
    log.info("email channel: intake %s, sender %s", "on" if channel.intake else "off",
             "on" if channel.sender else "off")
    return channel


def _nothing() -> None:
    pass
