"""Mail servers that are down, come back, or answer slowly: a send is classified "retry" (the outbox
keeps the mail), never hangs past its timeout, never blocks the event loop, and works again as soon
as the relay is back. Real servers: aiosmtpd, and a TCP tarpit that accepts and never greets."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from chatbot.channels.email.compose import compose_reply
from chatbot.channels.email.smtp import SmtpSender
from tests.servers._common import free_port
from tests.servers.smtp import SmtpServer


def mail(n: int = 1):  # type: ignore[no-untyped-def]
    return compose_reply(from_addr="support@introserv.com", to_addr="camille@example.com",
                         subject=f"Re: server down {n}", body="We are on it.", message_id=f"<m{n}@introserv.com>")


@pytest.fixture
async def tarpit() -> AsyncIterator[int]:
    """Accepts connections and never says a word, like a relay stuck behind a dead backend."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", free_port())
    yield server.sockets[0].getsockname()[1]
    for w in held:
        w.close()
    server.close()
    await server.wait_closed()


async def ticker(stop: asyncio.Event) -> int:
    """Counts how often the event loop got to run something else meanwhile."""
    ticks = 0
    while not stop.is_set():
        ticks += 1
        await asyncio.sleep(0.01)
    return ticks


async def test_a_relay_that_never_answers_delays_the_mail_without_blocking(tarpit: int) -> None:
    sender = SmtpSender("127.0.0.1", tarpit, tls="none", timeout=1.0)
    stop = asyncio.Event()
    ticks = asyncio.create_task(ticker(stop))
    result = await sender.send(mail())
    stop.set()
    assert result.status == "retry", result
    assert await ticks > 5, "the event loop kept serving others while the relay was silent"


async def test_a_relay_down_then_back(smtp_server: SmtpServer) -> None:
    sender = SmtpSender(smtp_server.host, smtp_server.port, tls="none", timeout=5.0)
    smtp_server.stop()
    down = await sender.send(mail(1))
    assert down.status == "retry" and "unreachable" in down.detail
    smtp_server.start()
    back = await sender.send(mail(2))
    assert back.status == "sent", back
    [received] = await smtp_server.wait_for(1)
    assert received.message["Subject"] == "Re: server down 2"


async def test_temporary_refusals_are_retried_and_permanent_ones_are_not(smtp_server: SmtpServer) -> None:
    sender = SmtpSender(smtp_server.host, smtp_server.port, tls="none", timeout=5.0)
    smtp_server.set_mode("tempfail")
    assert (await sender.send(mail(1))).status == "retry"
    smtp_server.set_mode("permfail")
    assert (await sender.send(mail(2))).status == "failed"
    smtp_server.set_mode("disconnect")
    assert (await sender.send(mail(3))).status == "retry"
    smtp_server.set_mode("accept")
    assert (await sender.send(mail(4))).status == "sent"
