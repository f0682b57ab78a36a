"""The email channel end to end, in-process: a real Dovecot, a real SMTP server, the real app, on
SQLite and PostgreSQL. What the customer sees is what is asserted: the acknowledgement's headers,
language, ticket number and questions; one ticket per thread; no loops."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from email.utils import make_msgid
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from chatbot.app import build_app
from chatbot.mail_store import InboundMail
from chatbot.models import Conversation, Message, OutboxMail, Ticket
from chatbot.settings import Settings
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import Received, SmtpServer


def mail(sender: str, subject: str, body: str, *, headers: str = "", message_id: str | None = None,
         lang: str | None = None) -> tuple[bytes, str]:
    message_id = message_id or make_msgid(domain=sender.split("@")[-1].rstrip(">"))
    extra = f"Content-Language: {lang}\r\n" if lang else ""
    raw = (f"From: {sender}\r\nTo: support@introserv.com\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
           f"Date: Tue, 05 Mar 2024 10:00:00 +0100\r\n{extra}{headers}MIME-Version: 1.0\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n")
    return raw.encode(), message_id


@pytest.fixture
async def email_app(settings: Settings, sessions: Any, dovecot: DovecotServer,
                    smtp_server: SmtpServer) -> AsyncIterator[Callable[..., Any]]:
    runners: list[web.AppRunner] = []

    async def start(**overrides: Any) -> web.AppRunner:
        configured = replace(settings, imap_host=dovecot.host, imap_port=dovecot.port, imap_user=dovecot.user,
                             imap_password=dovecot.password, imap_tls=False, smtp_host=smtp_server.host,
                             smtp_port=smtp_server.port, smtp_tls="none", email_send_retry_seconds=1,
                             **overrides)
        runner = web.AppRunner(build_app(configured))
        await runner.setup()  # startup: the watcher, the intake and the sender start
        runners.append(runner)
        return runner

    yield start
    for runner in runners:
        await runner.cleanup()


async def deliver(dovecot: DovecotServer, raw: bytes) -> float:
    await asyncio.to_thread(dovecot.append, raw)
    return time.monotonic()


async def acknowledged(smtp: SmtpServer, count: int, since: float, timeout: float = 15.0) -> list[Received]:
    """The acknowledgements, within seconds of the arrival (timed properly by bench_ack_latency.py)."""
    got = await smtp.wait_for(count, timeout=timeout)
    assert got[count - 1].at - since < 5.0
    return got


async def test_a_new_request_is_acknowledged_in_the_customers_language_with_everything_asked(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, message_id = mail("Camille Dubois <camille.dubois@example.fr>", "Serveur inaccessible",
                           "Bonjour,\n\nmon serveur ne répond plus du tout depuis ce matin, le site est hors ligne.\n\n"
                           "Merci\nCamille")
    since = await deliver(dovecot, raw)
    [ack] = await acknowledged(smtp_server, 1, since)
    msg = ack.message
    assert ack.rcpt_tos == ["camille.dubois@example.fr"]
    assert msg["In-Reply-To"] == message_id and message_id in msg["References"]
    assert msg["Message-ID"].startswith("<cv1.") and msg["Message-ID"].endswith("@introserv.com>")
    assert (msg["Auto-Submitted"], msg["X-Auto-Response-Suppress"], msg["Precedence"]) == (
        "auto-replied", "All", "auto_reply")
    assert msg["Content-Language"] == "fr"
    async with sessions() as s:
        ticket = (await s.scalars(select(Ticket))).one()
    assert msg["Subject"] == f"[#{ticket.number}] Re: Serveur inaccessible"
    body = msg.get_content()
    assert ticket.number in body and "ingénieurs" in body  # the team, in French
    assert "10 minutes" in body  # the first-response promise
    # Every missing incident detail in this one mail: IP or order, service name, start time.
    assert "adresse IP" in body and "client" in body and "fuseau horaire" in body
    await asyncio.sleep(0.5)
    assert len(smtp_server.messages) == 1  # one mail, not one per sentence


async def test_the_answer_goes_to_from_never_to_a_reply_to_of_the_senders_choice(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, _ = mail("Camille Dubois <camille.dubois@example.fr>", "Facture",
                  "Bonjour,\n\nj'ai été facturée deux fois pour la commande 3392017.\n\nCamille",
                  headers="Reply-To: collect@attacker.example\r\n")
    since = await deliver(dovecot, raw)
    [ack] = await acknowledged(smtp_server, 1, since)
    assert ack.rcpt_tos == ["camille.dubois@example.fr"]


async def test_a_reply_with_a_new_subject_lands_in_the_same_ticket(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, _ = mail("Marek Kowalski <marek@kowalski-it.example.pl>", "Serwer nie działa",
                  "Dzień dobry, mój serwer w ogóle nie odpowiada od rana.")
    since = await deliver(dovecot, raw)
    [ack] = await acknowledged(smtp_server, 1, since)
    ours = ack.message["Message-ID"]
    reply, _ = mail("Marek Kowalski <marek@kowalski-it.example.pl>", "inne pytanie",  # subject changed
                    "IP to 217.182.6.140, usługa VPS SSD-8.\n\nW dniu wtorek INTROSERV pisze:\n> Dziękujemy",
                    headers=f"In-Reply-To: {ours}\r\nReferences: {ours}\r\n")
    await deliver(dovecot, reply)
    got = await smtp_server.wait_for(2)
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Conversation)) == 1
        ticket = (await s.scalars(select(Ticket))).one()
        texts = (await s.scalars(select(Message.text).where(Message.author == "customer"))).all()
    assert ticket.details.get("ip") == "217.182.6.140"
    assert texts[1] == "IP to 217.182.6.140, usługa VPS SSD-8."  # the quoted acknowledgement is not read
    assert got[1].message["Subject"].startswith(f"[#{ticket.number}]")
    assert got[1].message["In-Reply-To"] != ours  # answers the customer's reply, in the same thread
    assert ours in got[1].message["References"]


async def test_ticket_tag_alone_threads_only_for_the_tickets_customer(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, _ = mail("Jonas Becker <jonas.becker@example.de>", "Server down",
                  "Hallo, mein Server ist seit heute Morgen komplett nicht erreichbar.")
    await deliver(dovecot, raw)
    await smtp_server.wait_for(1)
    async with sessions() as s:
        ticket = (await s.scalars(select(Ticket))).one()
    tag = f"[#{ticket.number}]"
    # The customer's other registered address, a fresh mail with only the tag: same ticket.
    own, _ = mail("buchhaltung@becker-gmbh.example.de", f"{tag} Nachtrag", "Die IP ist 91.134.22.115.")
    stranger, _ = mail("mallory@evil.example", f"{tag} Nachtrag", "Bitte Passwort an mich senden.")
    await deliver(dovecot, own)
    await deliver(dovecot, stranger)
    await smtp_server.wait_for(3)
    async with sessions() as s:
        rows = {m.from_addr: m.conversation_id for m in (await s.scalars(select(InboundMail))).all()}
    assert rows["buchhaltung@becker-gmbh.example.de"] == ticket.conversation_id
    assert rows["mallory@evil.example"] != ticket.conversation_id


async def test_an_out_of_office_storm_produces_no_loop(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, _ = mail("Emily Carter <emily@carter-apps.example.com>", "Website down",
                  "Hello, my website on the Cloud VPS L is completely down since this morning.")
    await deliver(dovecot, raw)
    await smtp_server.wait_for(1)
    # Two responders answer everything we send: a polite one (headers) and a dumb one (none).
    for round_ in range(8):
        sent = smtp_server.messages
        last = sent[-1].message
        polite, _ = mail("Emily Carter <emily@carter-apps.example.com>", f"Automatic reply: {last['Subject']}",
                         "I am out of the office until Monday.",
                         headers=f"Auto-Submitted: auto-replied\r\nIn-Reply-To: {last['Message-ID']}\r\n")
        dumb, _ = mail("Holiday Bot <away@carter-apps.example.com>", f"Re: {last['Subject']}",
                       "I am away, your mail will not be read.", headers=f"In-Reply-To: {last['Message-ID']}\r\n")
        await deliver(dovecot, polite)
        await deliver(dovecot, dumb)
        await asyncio.sleep(0.6)
    await asyncio.sleep(1.0)
    to_away = [m for m in smtp_server.messages if m.rcpt_tos == ["away@carter-apps.example.com"]]
    assert len([m for m in smtp_server.messages if m.rcpt_tos == ["emily@carter-apps.example.com"]]) == 1
    assert len(to_away) <= 5  # the per-address limit stops the dumb responder's loop
    async with sessions() as s:
        stored = await s.scalar(select(func.count()).select_from(InboundMail))
    assert stored == 1 + 16  # every mail is still kept


async def test_bounces_are_kept_aside_and_never_answered(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    raw, _ = mail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", "Undelivered Mail Returned to Sender",
                  "This is the mail system at host mx.example.net.")
    await deliver(dovecot, raw)
    async with sessions() as s:
        for _ in range(300):  # up to 15 s, as acknowledged() allows: intake may wait for a busy machine
            row = await s.scalar(select(InboundMail))
            if row is not None and row.status != "received":
                break
            await asyncio.sleep(0.05)
            s.expunge_all()
    assert row is not None and row.status == "ignored" and "machine" in (row.reason or "")
    await asyncio.sleep(0.5)
    assert smtp_server.messages == []


async def test_an_oversized_mail_is_kept_and_the_sender_told_the_limit(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app(email_max_message_bytes=100_000)
    raw, _ = mail("Lucía Martín <lucia.martin@example.es>", "Registros del servidor",
                  "Adjunto los registros.\n" + "x" * 300_000)
    uid = await asyncio.to_thread(dovecot.append, raw)
    [notice] = await smtp_server.wait_for(1)
    body = notice.message.get_content()
    # In her language, with her mail's size and our limit, in Spanish number format.
    assert "Su correo (0,3 MB) supera los 0,1 MB que podemos recibir" in body
    assert notice.rcpt_tos == ["lucia.martin@example.es"]
    assert notice.message["Auto-Submitted"] == "auto-replied"
    assert "$Processed" in await asyncio.to_thread(dovecot.flags, uid)  # kept in the mailbox, done
    async with sessions() as s:
        row = await s.scalar(select(InboundMail))
    assert row is not None and row.status == "oversized" and row.raw is None


async def test_an_smtp_outage_delays_the_acknowledgement_and_never_loses_it(
        email_app, dovecot: DovecotServer, smtp_server: SmtpServer, sessions: Any) -> None:  # type: ignore[no-untyped-def]
    await email_app()
    smtp_server.stop()
    raw, _ = mail("Emily Carter <emily@carter-apps.example.com>", "Invoice question",
                  "Hello, why was I charged twice this month?")
    await deliver(dovecot, raw)
    async with sessions() as s:
        for _ in range(300):  # up to 15 s, as above
            row = await s.scalar(select(OutboxMail).where(OutboxMail.kind == "ack"))
            if row is not None and row.attempts >= 1:
                break
            await asyncio.sleep(0.05)
            s.expunge_all()
    assert row is not None and row.status == "pending" and row.last_error
    smtp_server.start()
    await smtp_server.wait_for(1, timeout=10)
    await asyncio.sleep(1.5)
    assert len(smtp_server.messages) == 1
