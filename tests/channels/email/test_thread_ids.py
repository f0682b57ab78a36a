"""A reply finds its conversation from our signed Message-IDs; a forged one finds nothing."""
from __future__ import annotations

import re

import pytest

from chatbot.channels.email.thread_ids import (
    conversation_from_headers,
    conversation_from_message_id,
    make_message_id,
    ticket_number_from_subject,
    ticket_tag,
)

SECRET = b"k" * 32
DOMAIN = "introserv.com"
MSG_ID = re.compile(r"^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@introserv\.com>$")  # RFC 5322 dot-atom


@pytest.mark.parametrize("conversation", ["42", "7f0c2a9e-6a8e-4d5b-9a53-0b1d4c7e2f11", "chat:über/ß"])
def test_message_id_round_trip(conversation: str) -> None:
    message_id = make_message_id(conversation, SECRET, DOMAIN)
    assert MSG_ID.match(message_id), message_id
    assert conversation_from_headers(message_id, [], SECRET, DOMAIN) == conversation


def test_every_message_id_is_unique() -> None:
    ids = {make_message_id("42", SECRET, DOMAIN) for _ in range(200)}
    assert len(ids) == 200


def test_a_seeded_id_is_stable_and_still_verifies() -> None:
    first = make_message_id("42", SECRET, DOMAIN, seed="ack:mail-7")
    assert first == make_message_id("42", SECRET, DOMAIN, seed="ack:mail-7")
    assert first != make_message_id("42", SECRET, DOMAIN, seed="ack:mail-8")
    assert conversation_from_message_id(first, SECRET, DOMAIN) == "42"


def test_forged_or_altered_ids_are_ignored() -> None:
    genuine = make_message_id("42", SECRET, DOMAIN)
    other_secret = make_message_id("42", b"another secret", DOMAIN)
    conv = genuine.strip("<>").split("@")[0].split(".")[1]
    swapped = genuine.replace(conv, make_message_id("43", SECRET, DOMAIN).split(".")[1])
    assert conversation_from_message_id(other_secret, SECRET, DOMAIN) is None
    assert conversation_from_message_id(swapped, SECRET, DOMAIN) is None
    assert conversation_from_message_id(genuine.replace(DOMAIN, "evil.example"), SECRET, DOMAIN) is None
    assert conversation_from_message_id("<cv1.!!!.x.y@introserv.com>", SECRET, DOMAIN) is None
    assert conversation_from_message_id("<random@introserv.com>", SECRET, DOMAIN) is None


def test_in_reply_to_wins_then_newest_reference() -> None:
    first, second = (make_message_id(c, SECRET, DOMAIN) for c in ("first", "second"))
    assert conversation_from_headers(first, [second], SECRET, DOMAIN) == "first"
    assert conversation_from_headers("<x@gmail.com>", [first, second, "<y@gmail.com>"], SECRET,
                                     DOMAIN) == "second"
    assert conversation_from_headers(None, [], SECRET, DOMAIN) is None


def test_domain_comparison_ignores_case() -> None:
    message_id = make_message_id("9", SECRET, "IntroServ.COM")
    assert conversation_from_headers(message_id, [], SECRET, "INTROSERV.com") == "9"


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        make_message_id("1", b"", DOMAIN)


def test_ticket_tag() -> None:
    assert ticket_tag(123) == "[#T-000123]"
    assert ticket_tag("T-000123") == "[#T-000123]"
    with pytest.raises(ValueError):
        ticket_tag("abc")


@pytest.mark.parametrize("subject, number", [
    ("[#T-000123] Re: Server down", "T-000123"),
    ("Re: AW: Server down [#T-000123]", "T-000123"),
    ("RE: [# t-123 ] down", "T-000123"),
    ("[#T-000200] Re: Fwd: [#T-000100] old", "T-000200"),
    ("Invoice #123", None),
    ("T-000123 without brackets", None),
    ("", None),
    (None, None),
])
def test_ticket_number_from_subject(subject: str | None, number: str | None) -> None:
    assert ticket_number_from_subject(subject) == number
