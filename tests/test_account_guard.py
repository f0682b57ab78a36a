"""Nobody gets account information, or action on an account, that is not theirs.

Transcripts through the real pipeline: anonymous visitors and unverified senders get general answers
and directions; spoofed mails (Reply-To, forged Authentication-Results, failed DMARC) are unverified;
an order or IP of another customer is never confirmed, denied or shown."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.channels.email.parsing import parse_mail
from chatbot.conversations import ConversationStore
from chatbot.desk import load_desk
from chatbot.identity import sign_customer
from chatbot.knowledge import Knowledge
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.models import Ticket
from chatbot.pipeline import Pipeline
from chatbot.settings import Settings
from chatbot.understanding import Analyzer
from tests.conftest import IDENTITY_SECRET

NOW = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
OURS = "mx.introserv.com"
PASS = f"{OURS}; spf=pass smtp.mailfrom=example.fr; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr"
CAMILLE = {"name": "Camille", "service": "Cloud VPS S", "order": "3392017", "ip": "51.210.14.7"}
GUARD = re.compile(r"security|sécurité|bezpieczeństwa|seguridad|Sicherheit")


def guarded_pipeline(database_url: str, sessions: Any) -> Pipeline:
    """The app's steps, with our receiving mail server's authserv-id configured."""
    settings = Settings(database_url=database_url, secret_key="k", identity_secret=IDENTITY_SECRET,
                        trusted_authserv_id=OURS)
    desk = load_desk()
    return Pipeline(sessions, ConversationStore(sessions),
                    default_steps(settings, desk, Analyzer(desk), Knowledge(desk, BusinessHours(desk))))


@pytest.fixture
def pipeline(database_url: str, sessions: Any) -> Pipeline:
    return guarded_pipeline(database_url, sessions)


ANONYMOUS = Sender()


async def talk(pipeline: Pipeline, text: str, *, channel: str = "chat", sender: Sender = ANONYMOUS,
               conversation: str | None = None, subject: str | None = None) -> list[OutboundMessage]:
    out: list[OutboundMessage] = []

    async def emit(m: OutboundMessage) -> None:
        out.append(m)

    inbound = InboundMessage(channel=channel, conversation_id=conversation or f"c-{len(text)}-{id(out)}",
                             text=text, received_at=NOW, sender=sender, subject=subject,
                             questions_per_reply=None if channel == "email" else 1)
    await pipeline.handle(inbound, emit)
    return out


async def tickets(sessions: Any) -> list[Ticket]:
    async with sessions() as db:
        return list((await db.scalars(select(Ticket))).all())


def leaks(replies: list[OutboundMessage]) -> list[str]:
    text = " ".join(r.text for r in replies)
    return [v for v in CAMILLE.values() if v in text]


@pytest.mark.parametrize("lang,text,client_area", [
    ("fr", "Bonjour, mon serveur 51.210.14.7 est complètement down depuis 10h, plus rien ne répond", "espace client"),
    ("pl", "Dzień dobry, mój serwer 51.210.14.7 w ogóle nie działa od 10:00, nic nie odpowiada", "Panelu klienta"),
    ("es", "Hola, mi servidor 51.210.14.7 está completamente caído desde las 10:00, no responde nada", "área de cliente"),
    ("de", "Hallo, mein Server 51.210.14.7 ist seit 10 Uhr komplett offline, nichts antwortet", "Kundenbereich"),
    ("en", "Hi, my server 51.210.14.7 has been completely down since 10:00, nothing responds", "client area"),
])
async def test_an_anonymous_visitor_reporting_an_outage_is_told_how_to_report_it_and_nothing_else(
        pipeline, sessions, lang: str, text: str, client_area: str) -> None:
    replies = await talk(pipeline, text)
    assert [r.kind for r in replies] == ["ack", "answer"]
    answer = replies[1]
    assert answer.lang == lang and GUARD.search(answer.text)
    assert client_area in answer.text and "support@introserv.com" in answer.text
    assert "10" in answer.text, "the critical-incident guidance: a first response within 10 minutes"
    assert await tickets(sessions) == [], "nothing is acted on"
    assert leaks(replies) == []


async def test_the_answer_is_the_same_whether_the_order_or_ip_is_someone_elses_or_nobodys(pipeline) -> None:
    said = {}
    for label, text in {
        "camille's ip": "my VPS 51.210.14.7 does not respond, please reboot it",
        "nobody's ip": "my VPS 203.0.113.77 does not respond, please reboot it",
        "camille's order": "my VPS (order #3392017) does not respond, please reboot it",
        "nobody's order": "my VPS (order #9999999) does not respond, please reboot it",
    }.items():
        replies = await talk(pipeline, text)
        said[label] = replies[-1].text
        assert leaks(replies) == []
    assert len(set(said.values())) == 1, said
    assert GUARD.search(said["camille's ip"])


async def test_general_questions_are_still_answered_for_anyone(pipeline) -> None:
    replies = await talk(pipeline, "What email address can I write to for support?")
    assert replies[-1].kind == "answer" and "support@introserv.com" in replies[-1].text
    assert not GUARD.search(replies[-1].text)


def mail(from_: str, *, reply_to: str | None = None, auth: tuple[str, ...] = (PASS,)) -> bytes:
    lines = [f"Authentication-Results: {a}" for a in auth] + [
        f"From: {from_}", *([f"Reply-To: {reply_to}"] if reply_to else []), "To: support@introserv.com",
        "Subject: serveur en panne", "Message-ID: <m1@example.fr>", "Content-Type: text/plain; charset=utf-8",
        "", "Bonjour,", "", "mon serveur 51.210.14.7 ne répond plus du tout depuis 9h, pouvez-vous le redémarrer ?",
        "", "Camille"]
    return "\r\n".join(lines).encode()


async def from_mail(pipeline: Pipeline, raw: bytes) -> list[OutboundMessage]:
    parsed = parse_mail(raw)
    # What the email channel hands in: the From address, never Reply-To, and the headers as received.
    sender = Sender(address=parsed.from_addr, authentication_results=tuple(parsed.authentication_results))
    return await talk(pipeline, parsed.new_text, channel="email", sender=sender, subject=parsed.subject,
                      conversation=parsed.content_hash[:32])


@pytest.mark.parametrize("raw", [
    # Mallory authenticates her own domain and puts Camille's address in Reply-To.
    mail("Mallory <mallory@evil.example>", reply_to="camille.dubois@example.fr",
         auth=(f"{OURS}; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example; dmarc=pass",)),
    # Camille's address in From, but our server says DMARC failed.
    mail("camille.dubois@example.fr", auth=(f"{OURS}; spf=fail; dkim=none; dmarc=fail (p=none) header.from=example.fr",)),
    # The sender forged a "pass" from a server of their own, above ours.
    mail("camille.dubois@example.fr", auth=("mx.evil.example; spf=pass; dkim=pass; dmarc=pass",
                                            f"{OURS}; spf=softfail; dkim=fail; dmarc=fail")),
    # Only a forged header: our server never checked this mail.
    mail("camille.dubois@example.fr", auth=("mx.evil.example; spf=pass; dkim=pass; dmarc=pass",)),
], ids=["reply-to", "dmarc-failed", "forged-pass", "no-verdict-of-ours"])
async def test_spoofed_mail_is_unverified(pipeline, sessions, raw: bytes) -> None:
    replies = await from_mail(pipeline, raw)
    assert GUARD.search(replies[-1].text) and replies[-1].lang == "fr"
    assert await tickets(sessions) == [] and leaks(replies) == []


async def test_the_genuine_mail_opens_a_ticket(pipeline, sessions) -> None:
    replies = await from_mail(pipeline, mail("Camille Dubois <camille.dubois@example.fr>"))
    [ticket] = await tickets(sessions)
    assert ticket.customer_id is not None and ticket.details["ip"] == "51.210.14.7"
    assert not any(GUARD.search(r.text) for r in replies)


def marek() -> Sender:
    return Sender(customer_ref="C1002", signature=sign_customer("C1002", IDENTITY_SECRET))


async def test_a_verified_customer_naming_another_customers_ip_gets_a_neutral_answer(pipeline, sessions) -> None:
    foreign = await talk(pipeline, "my server 51.210.14.7 is completely down since 10:00", sender=marek())
    nobody = await talk(pipeline, "my server 203.0.113.77 is completely down since 10:00", sender=marek())

    def shape(replies: list[OutboundMessage]) -> list[tuple[str, str]]:
        return [(r.kind, re.sub(r"T-\d+", "T-…", r.text)) for r in replies]

    assert shape(foreign) == shape(nobody), "never confirmed, never denied"
    assert any("does not match the services of your account" in r.text for r in foreign)
    assert leaks(foreign) == []
    assert foreign[-1].kind == "question" and "IP address" in foreign[-1].text, "asked again for his own"
    async with sessions() as db:
        stored = (await db.scalars(select(Ticket).order_by(Ticket.id))).all()
        assert [t.details.get("ip") for t in stored] == [None, None]
        assert "51.210.14.7" not in stored[0].summary

    own = await talk(pipeline, "my server 217.182.6.140 is completely down since 10:00", sender=marek())
    assert not any("does not match" in r.text for r in own)
    async with sessions() as db:
        assert await db.scalar(select(func.count()).select_from(Ticket)) == 3
        newest = await db.scalar(select(Ticket).order_by(Ticket.id.desc()).limit(1))
    assert newest.details["ip"] == "217.182.6.140"


async def test_a_forged_widget_signature_gets_the_general_answer_over_the_socket(visitor, sessions) -> None:
    v = visitor()
    await v.connect(locale="en", customer_id="C1001", customer_hash=sign_customer("C1001", "guessed"))
    await v.say("my server 51.210.14.7 is completely down, please check it")
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    assert GUARD.search(v.messages("answer")[0]["text"]) and not v.tickets()
    assert await tickets(sessions) == []
