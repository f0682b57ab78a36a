"""No automatic answer to machines, lists, bounces or ourselves — and never too many to one person."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatbot.channels.email.loop_guard import RateLimitPolicy, auto_reply_verdict
from chatbot.channels.email.parsing import parse_mail

OWN = ["support@introserv.com", "noc@introserv.com"]
DOMAIN = "introserv.com"


def mail(headers: str = "", sender: str = "Anna <anna@customer.example>", subject: str = "Server down",
         body: str = "Hello, my server is down.", content_type: str = "text/plain; charset=utf-8") -> bytes:
    return (f"From: {sender}\r\nTo: support@introserv.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <1@customer.example>\r\n{headers}Content-Type: {content_type}\r\n\r\n{body}\r\n"
            ).encode()


def verdict(raw: bytes) -> tuple[bool, str]:
    result = auto_reply_verdict(parse_mail(raw), OWN, DOMAIN)
    return result.allowed, result.reason


def test_a_person_gets_an_answer() -> None:
    assert verdict(mail()) == (True, "an ordinary mail from a person")


@pytest.mark.parametrize("headers, reason", [
    ("Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"),
    ("Auto-Submitted: auto-generated; owner-email=x@y\r\n", "Auto-Submitted: auto-generated"),
    ("Precedence: bulk\r\n", "Precedence: bulk"),
    ("Precedence: junk\r\n", "Precedence: junk"),
    ("Precedence: list\r\n", "Precedence: list"),
    ("List-Id: <announce.example.org>\r\n", "list-id is present"),
    ("List-Unsubscribe: <mailto:leave@example.org>\r\n", "list-unsubscribe is present"),
    ("X-Autoreply: yes\r\n", "x-autoreply is present"),
    ("X-Autorespond: vacation\r\n", "x-autorespond is present"),
    ("X-Auto-Response-Suppress: All\r\n", "X-Auto-Response-Suppress: All"),
    ("X-Auto-Response-Suppress: DR, OOF\r\n", "X-Auto-Response-Suppress: DR, OOF"),
    ("X-Auto-Response-Suppress: AutoReply\r\n", "X-Auto-Response-Suppress: AutoReply"),
    ("Return-Path: <>\r\n", "empty Return-Path"),
])
def test_machine_headers_stop_the_automatic_answer(headers: str, reason: str) -> None:
    allowed, why = verdict(mail(headers))
    assert not allowed and reason in why


def test_headers_that_do_not_mean_automatic_are_ignored() -> None:
    assert verdict(mail("Auto-Submitted: no\r\nX-Auto-Response-Suppress: DR, RN\r\n"
                        "Return-Path: <anna@customer.example>\r\nPrecedence: first-class\r\n"))[0]


def test_delivery_status_report_is_not_answered() -> None:
    raw = mail(content_type='multipart/report; report-type=delivery-status; boundary="b"',
               sender="Mail Delivery System <mailer-daemon@mx.example>",
               body="--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b\r\n"
                    "Content-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--")
    allowed, why = verdict(raw)
    assert not allowed and why == "a delivery or read report"


def test_a_report_part_inside_mixed_is_still_a_report() -> None:
    raw = mail(content_type='multipart/mixed; boundary="b"', sender="relay@mx.example",
               body="--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 4.4.1\r\n--b--")
    assert verdict(raw) == (False, "a delivery or read report")


@pytest.mark.parametrize("sender", [
    "MAILER-DAEMON@mx.example", "postmaster@customer.example", "no-reply@shop.example",
    "noreply@shop.example", "do-not-reply@bank.example", "bounces+1234@sendgrid.example",
    "bounce@lists.example", "Notifications <donotreply@cloud.example>",
])
def test_machine_senders_are_not_answered(sender: str) -> None:
    allowed, why = verdict(mail(sender=sender))
    assert not allowed and "machine or an unattended role account" in why


def test_a_reply_to_a_machine_address_is_not_answered_either() -> None:
    allowed, why = verdict(mail("Reply-To: noreply@customer.example\r\n"))
    assert not allowed and "noreply@customer.example" in why


@pytest.mark.parametrize("sender", ["support@introserv.com", "Support <SUPPORT@introserv.com>",
                                    "noc@introserv.com"])
def test_our_own_addresses_are_never_answered(sender: str) -> None:
    allowed, why = verdict(mail(sender=sender))
    assert not allowed and "one of our own addresses" in why


def test_reply_to_pointing_at_us_is_a_loop() -> None:
    assert not verdict(mail("Reply-To: support@introserv.com\r\n"))[0]


def test_our_own_message_coming_back_is_not_answered() -> None:
    raw = mail().replace(b"<1@customer.example>", b"<cv1.abc.def.ghi@introserv.com>")
    assert verdict(raw) == (False, "the Message-ID is one we generated: our own mail came back")


def test_a_customer_reply_to_our_mail_is_answered() -> None:
    assert verdict(mail("In-Reply-To: <cv1.abc.def.ghi@introserv.com>\r\n"))[0]


@pytest.mark.parametrize("subject", ["Automatic reply: Server down", "Out of Office: Re: ticket",
                                     "Réponse automatique : Serveur", "Automatische Antwort: Ihr Ticket",
                                     "Odpowiedź automatyczna: zgłoszenie", "Respuesta automática: ticket",
                                     "Undeliverable: Re: [#T-000001]"])
def test_responders_without_headers_are_caught_by_their_subject(subject: str) -> None:
    assert not verdict(mail(subject=subject))[0]


@pytest.mark.parametrize("subject", ["Out of office hours support?", "automatic reply not received",
                                     "Re: Abwesenheit meines Kollegen"])
def test_customers_asking_about_such_things_are_answered(subject: str) -> None:
    assert verdict(mail(subject=subject))[0]


def test_no_sender_no_answer() -> None:
    raw = b"To: support@introserv.com\r\nSubject: hi\r\n\r\nx\r\n"
    assert verdict(raw) == (False, "no sender address to answer")


NOW = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)


def test_rate_limit_allows_up_to_five_an_hour() -> None:
    policy = RateLimitPolicy()
    four = [NOW - timedelta(minutes=m) for m in (1, 10, 20, 30)]
    assert policy.decide(four, NOW).allowed
    five = four + [NOW - timedelta(minutes=59)]
    result = policy.decide(five, NOW)
    assert not result.allowed and "last hour" in result.reason


def test_rate_limit_hour_window_slides() -> None:
    five_old = [NOW - timedelta(minutes=61 + m) for m in range(5)]
    assert RateLimitPolicy().decide(five_old, NOW).allowed


def test_rate_limit_caps_the_day() -> None:
    policy = RateLimitPolicy(per_hour=5, per_day=20)
    spread = [NOW - timedelta(hours=1, minutes=5 + 60 * i) for i in range(20)]
    result = policy.decide(spread, NOW)
    assert not result.allowed and "24 hours" in result.reason
    assert policy.decide(spread[:19], NOW).allowed
    assert policy.decide([NOW - timedelta(days=1, seconds=1)] * 50, NOW).allowed
