"""The outbox claimed by several sender processes: each mail reaches the SMTP server once, and the
mails claimed by a sender that died are sent by the others when its claim expires."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from chatbot.db import create_engine, session_factory
from chatbot.models import OutboxMail
from chatbot.outbox import enqueue
from tests.scale.cluster import REPO, create_database, drop_database
from tests.servers._common import free_port, unavailable

MAILS = 120


class Sink:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (Message-ID, worker)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content)
        self.received.append((str(msg["Message-ID"]), str(msg["X-Worker"])))
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture
def outbox_database() -> Iterator[str]:
    try:
        url = asyncio.run(create_database())
    except OSError as exc:
        unavailable(f"PostgreSQL ({exc})")
    yield url
    asyncio.run(drop_database(url))


async def queue_mails(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as s, s.begin():
        for i in range(MAILS):
            enqueue(s, kind="ack", to=f"customer{i}@example.com", subject=f"[T-{i:06d}] Re: help",
                    body="We have received your message.", message_id=f"<ack-{i}@introserv.test>")
    await engine.dispose()


def worker(url: str, port: int, name: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.scale.outbox_worker", url, str(port), name, *extra],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_two_senders_send_each_mail_once_and_take_over_a_dead_senders_claims(
        outbox_database: str, smtp_sink: tuple[Sink, int]) -> None:
    sink, port = smtp_sink
    asyncio.run(queue_mails(outbox_database))
    dead = worker(outbox_database, port, "dead", "--die-after-claim")
    assert dead.wait(timeout=60) == 1, dead.stdout.read() if dead.stdout else ""
    senders = [worker(outbox_database, port, name) for name in ("sender-a", "sender-b")]
    for p in senders:
        out = p.communicate(timeout=120)[0]
        assert p.returncode == 0, out.decode(errors="replace")

    ids = [mid for mid, _ in sink.received]
    assert sorted(ids) == sorted(f"<ack-{i}@introserv.test>" for i in range(MAILS))  # each once
    workers = {w for _, w in sink.received}
    assert workers <= {"sender-a", "sender-b"} and "dead" not in workers

    async def statuses() -> set[str]:
        from sqlalchemy import select
        engine = create_engine(outbox_database)
        async with session_factory(engine)() as s:
            found = set((await s.scalars(select(OutboxMail.status))).all())
        await engine.dispose()
        return found

    assert asyncio.run(statuses()) == {"sent"}
