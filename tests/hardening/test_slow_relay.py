"""A slow SMTP relay in front of the real one: every answer of the relay arrives late. The email
acknowledgement still goes out exactly once, and the event loop serves everything else meanwhile."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from chatbot.app import build_app
from chatbot.settings import Settings
from tests.channels.email.test_channel import deliver, mail
from tests.hardening.test_mail_server_faults import ticker
from tests.servers._common import free_port
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer


class SlowRelay:
    """A TCP proxy that holds each chunk the relay sends back for `delay` seconds."""

    def __init__(self, upstream_port: int, delay: float) -> None:
        self.upstream_port, self.delay, self.port = upstream_port, delay, free_port()
        self.connections = 0
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)

        async def pipe(r: asyncio.StreamReader, w: asyncio.StreamWriter, delay: float) -> None:
            try:
                while chunk := await r.read(65536):
                    if delay:
                        await asyncio.sleep(delay)
                    w.write(chunk)
                    await w.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                w.close()

        await asyncio.gather(pipe(client_r, up_w, 0), pipe(up_r, client_w, self.delay))


@pytest.fixture
async def slow_relay(smtp_server: SmtpServer) -> AsyncIterator[SlowRelay]:
    relay = SlowRelay(smtp_server.port, delay=0.4)
    await relay.start()
    yield relay
    await relay.stop()


@pytest.fixture
async def email_app_via(settings: Settings, sessions: Any, dovecot: DovecotServer,
                        slow_relay: SlowRelay) -> AsyncIterator[None]:
    """The real app with the email channel on, its relay being the slow proxy."""
    from dataclasses import replace

    runner = web.AppRunner(build_app(replace(
        settings, imap_host=dovecot.host, imap_port=dovecot.port, imap_user=dovecot.user,
        imap_password=dovecot.password, imap_tls=False, smtp_host="127.0.0.1", smtp_port=slow_relay.port,
        smtp_tls="none", email_send_retry_seconds=1)))
    await runner.setup()
    yield
    await runner.cleanup()


async def test_a_slow_relay_delivers_the_acknowledgement_once_without_blocking(
        email_app_via: None, dovecot: DovecotServer, smtp_server: SmtpServer, slow_relay: SlowRelay) -> None:
    stop = asyncio.Event()
    ticks = asyncio.create_task(ticker(stop))
    raw, _ = mail("Emily Carter <emily@carter-apps.example.com>", "Invoice question",
                  "Hello, why was I charged twice this month?")
    await deliver(dovecot, raw)
    [ack] = await smtp_server.wait_for(1, timeout=60)
    stop.set()
    assert ack.message["To"].addresses[0].addr_spec == "emily@carter-apps.example.com"
    assert slow_relay.connections >= 1, "the mail went through the slow relay"
    assert await ticks > 20, "the event loop kept running other work while the relay dawdled"
    await smtp_server.wait_for(1)
    # A later round must not send it again (at-most-once delivery): let the sender look twice more.
    for _ in range(2):
        await asyncio.sleep(1.1)  # email_send_retry_seconds=1 in the fixture: rounds happen meanwhile
    assert len(smtp_server.messages) == 1
