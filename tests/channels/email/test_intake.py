"""The intake on a real database, without the mailbox: what happens to a mail once it is stored —
every corpus mail, a mail that keeps failing, a turn that never finishes, the same mail twice."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from chatbot.app import build_app
from chatbot.channels.email.channel import EMAIL_CHANNEL, EmailChannel
from chatbot.i18n import gettext
from chatbot.mail_store import InboundMail, rerun
from chatbot.models import OutboxMail, Ticket
from chatbot.settings import Settings
from chatbot.steps import ACK
from tests.channels.email.test_parsing import CORPUS, CORPUS_FILES
from tests.servers.smtp import SmtpServer


@pytest.fixture
def channel(settings: Settings, sessions: Any, smtp_server: SmtpServer) -> Iterator[EmailChannel]:
    configured = replace(settings, imap_host="imap.invalid", imap_user="support", imap_password="x",
                         smtp_host=smtp_server.host, smtp_port=smtp_server.port, smtp_tls="none",
                         email_ack_hold_seconds=0, email_send_retry_seconds=1)
    app = build_app(configured)  # not started: the test drives the intake and the sender itself
    yield app[EMAIL_CHANNEL]


def request(sender: str, message_id: str, subject: str = "Server down",
            body: str = "Hello, my server is completely down since this morning.") -> bytes:
    return (f"From: {sender}\r\nTo: support@introserv.com\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


async def take_and_process(channel: EmailChannel, raw: bytes, uid: int = 1) -> None:
    assert channel.intake is not None
    assert await channel.intake.take(uid, raw, len(raw))
    while not channel.intake.queue.empty():
        await channel.intake.process(channel.intake.queue.get_nowait())


async def statuses(sessions: Any) -> dict[str, int]:
    async with sessions() as s:
        rows = (await s.execute(select(InboundMail.status, func.count()).group_by(InboundMail.status))).all()
    return dict(rows)  # type: ignore[arg-type]


async def test_every_corpus_mail_goes_through_the_whole_intake(channel: EmailChannel, sessions: Any) -> None:
    for uid, path in enumerate(CORPUS_FILES, start=1):
        await take_and_process(channel, path.read_bytes(), uid)
    found = await statuses(sessions)
    # Kept once each (a few corpus files share a Message-ID), none left failing.
    assert set(found) <= {"processed", "ignored"}, found
    async with sessions() as s:
        keys = {m.mail_key for m in (await s.scalars(select(InboundMail))).all()}
        raws = await s.scalar(select(func.count()).select_from(InboundMail).where(InboundMail.raw.is_not(None)))
    assert len(keys) == sum(found.values()) == raws
    assert sum(found.values()) >= len(CORPUS_FILES) - 10, f"{found} for {len(CORPUS_FILES)} files in {CORPUS}"


async def test_the_same_mail_twice_is_taken_once(channel: EmailChannel, sessions: Any,
                                                 smtp_server: SmtpServer) -> None:
    raw = request("Emily Carter <emily@carter-apps.example.com>", "<same@carter-apps.example.com>")
    await take_and_process(channel, raw, uid=1)
    await take_and_process(channel, raw, uid=2)  # Cc'd to a second address of ours, say
    assert channel.sender is not None
    await channel.sender.run_once()
    assert await statuses(sessions) == {"processed": 1}
    assert len(smtp_server.messages) == 1


async def test_a_failing_mail_becomes_unprocessable_never_blocks_and_reruns(
        channel: EmailChannel, sessions: Any, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert channel.intake is not None and channel.sender is not None
    pipeline = channel.intake.pipeline
    original = pipeline.accept

    async def broken(inbound: Any) -> Any:
        if inbound.text.startswith("POISON"):
            raise RuntimeError("a bug in understanding this mail")
        return await original(inbound)

    monkeypatch.setattr(pipeline, "accept", broken)
    poison = request("Emily Carter <emily@carter-apps.example.com>", "<poison@x.example>", body="POISON mail")
    fine = request("Jonas Becker <jonas.becker@example.de>", "<fine@x.example>")
    await take_and_process(channel, poison, uid=1)
    await take_and_process(channel, fine, uid=2)
    for _ in range(2):  # the sweep tries again, with backoff; here at once
        await channel.intake.process(1)
    async with sessions() as s:
        bad = await s.get(InboundMail, 1)
    assert bad is not None and bad.status == "unprocessable" and bad.attempts == 3
    assert bad.reason == "RuntimeError: a bug in understanding this mail"
    assert (await statuses(sessions))["processed"] == 1  # the next mail went through meanwhile

    monkeypatch.setattr(pipeline, "accept", original)  # the bug is fixed
    async with sessions() as s:
        assert await rerun(s) == 1
    await channel.intake.process_due()
    await channel.sender.run_once()
    assert await statuses(sessions) == {"processed": 2}
    acks = [m for m in smtp_server.messages if m.rcpt_tos == ["emily@carter-apps.example.com"]]
    assert len(acks) == 1  # acknowledged once, after the rerun


async def test_a_backlog_left_by_a_dead_process_is_worked_off_in_one_sweep(channel: EmailChannel,
                                                                          sessions: Any) -> None:
    """Mails a killed process had stored but not processed are found by the survivor's sweep: all of
    them, not one batch per sweep (after a take-over under load they came 50 every 15 s)."""
    assert channel.intake is not None
    for uid in range(1, 56):  # more than one batch of 50
        raw = request(f"Customer {uid} <customer{uid}@example.com>", f"<backlog-{uid}@example.com>")
        assert await channel.intake.take(uid, raw, len(raw))
    while not channel.intake.queue.empty():  # the process died before it processed them
        channel.intake.queue.get_nowait()
    assert await statuses(sessions) == {"received": 55}
    assert await channel.intake.process_due() == 55
    assert await statuses(sessions) == {"processed": 55}


async def test_when_the_bot_cannot_answer_the_plain_acknowledgement_still_goes(
        channel: EmailChannel, sessions: Any, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert channel.intake is not None and channel.sender is not None

    async def stuck(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the turn dies")

    monkeypatch.setattr(channel.intake.pipeline, "process", stuck)
    await take_and_process(channel, request("Jonas Becker <jonas.becker@example.de>", "<stuck@x.example>",
                                            subject="Server nicht erreichbar",
                                            body="Hallo, mein Server ist seit heute Morgen nicht erreichbar."))
    await channel.sender.run_once()  # the hold (0 s here) is over: the held acknowledgement goes
    [ack] = smtp_server.messages
    assert ack.message.get_content().startswith(gettext(ACK, "de"))  # Jonas's language
    assert ack.message["Subject"] == "Re: Server nicht erreichbar"  # no ticket yet, so no tag
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Ticket)) == 0
        row = await s.scalar(select(OutboxMail))
    assert row is not None and row.kind == "ack" and row.status == "sent" and row.sent_at is not None


def test_the_corpus_is_found() -> None:
    assert Path(CORPUS).is_dir() and CORPUS_FILES
