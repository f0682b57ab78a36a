"""SLA clocks across processes: three `chatbot serve` processes, each with its SLA scheduler and
outbox sender. The process where a ticket was opened is killed at once; the others must still warn
management and report the breach — each exactly once, not once per process."""
from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from chatbot.db import create_engine, session_factory
from chatbot.demo import load_demo_data
from chatbot.identity import sign_customer
from chatbot.settings import PROJECT_ROOT
from tests.conftest import ChatVisitor
from tests.scale.cluster import REDIS_URL, Cluster
from tests.servers.smtp import SmtpServer

MANAGEMENT = "management@introserv.test"
IDENTITY_SECRET = "client-area-secret"
FIRST_RESPONSE, WARNING_BEFORE = 8, 4  # seconds, instead of 10 and 2 minutes


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def three_processes_with_mail(scale_database: str, tmp_path: Path, relay: SmtpServer) -> Iterator[Cluster]:
    desk = (PROJECT_ROOT / "chatbot" / "desk.toml").read_text(encoding="utf-8")
    desk = re.sub(r"(?m)^first_response_seconds = \d+", f"first_response_seconds = {FIRST_RESPONSE}", desk)
    desk = re.sub(r"(?m)^warning_before_seconds = \d+", f"warning_before_seconds = {WARNING_BEFORE}", desk)
    (tmp_path / "desk.toml").write_text(desk, encoding="utf-8")
    asyncio.run(demo_customers(scale_database))
    cluster = Cluster(scale_database, tmp_path, 3, redis_url=REDIS_URL,
                      CHATBOT_DESK_FILE=str(tmp_path / "desk.toml"), CHATBOT_MANAGEMENT_EMAIL=MANAGEMENT,
                      CHATBOT_SMTP_HOST=relay.host, CHATBOT_SMTP_PORT=str(relay.port), CHATBOT_SMTP_TLS="none",
                      CHATBOT_EMAIL_SEND_RETRY_SECONDS="1", CHATBOT_IDENTITY_SECRET=IDENTITY_SECRET)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


async def demo_customers(url: str) -> None:
    engine = create_engine(url)
    try:
        await load_demo_data(session_factory(engine))
    finally:
        await engine.dispose()


async def test_a_dead_processs_ticket_is_warned_and_breached_once_by_the_others(
        three_processes_with_mail: Cluster, relay: SmtpServer) -> None:
    cluster = three_processes_with_mail
    victim = cluster.servers[0]
    visitor = ChatVisitor(victim.url)
    try:
        # Camille Dubois, signed in to the client area (her VPS SSD-2 is 51.210.14.8)
        await visitor.connect(locale="en", customer_id="C1001",
                              customer_hash=sign_customer("C1001", IDENTITY_SECRET))
        await visitor.say("My VPS SSD-2 at 51.210.14.8 is completely down since 09:00 CET, nothing responds")
        await visitor.wait_for(lambda: bool(visitor.tickets()))
        number = visitor.tickets()[0]["number"]
    finally:
        await visitor.close()
    victim.kill()  # its scheduler and sender die with it, before anything is due

    def alerts() -> Counter[str]:
        found: Counter[str] = Counter()
        for m in relay.messages:
            subject = str(m.message["Subject"])
            if MANAGEMENT in m.rcpt_tos and number in subject:
                found["warning" if subject.startswith("SLA warning") else "breach"] += 1
        return found

    # The others notice a clock set by another process within their poll interval (30 s).
    for _ in range(600):
        if alerts()["breach"] >= 1:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(3)  # room for a second copy, were one coming
    assert alerts() == Counter(warning=1, breach=1), [str(m.message["Subject"]) for m in relay.messages]
