"""Hostile mail: the parser never crashes or hangs on broken, mutated or pathological mail, and
nothing a customer writes can add a header to the mail we send back."""
from __future__ import annotations

import random
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.channels.email.compose import compose_reply, reply_subject
from chatbot.channels.email.parsing import ParsedMail, parse_mail
from tests.hardening.conftest import within

CORPUS = sorted((Path(__file__).resolve().parents[3] / "shared" / "mail-corpus").rglob("*.eml"))
LIMIT = 15.0
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def parsed(raw: bytes) -> ParsedMail:
    mail = within(LIMIT, lambda: parse_mail(raw))
    assert isinstance(mail.text, str) and isinstance(mail.new_text, str) and isinstance(mail.subject, str)
    assert "\n" not in mail.subject and "\r" not in mail.subject, "a subject is one line"
    return mail


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 50, "shared/mail-corpus next to the repository"


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_any_bytes_parse_without_crashing(raw: bytes) -> None:
    parsed(raw)


@FUZZ
@given(index=st.integers(0, 10_000), seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 40))
def test_mutated_real_mail_parses_without_crashing(index: int, seed: int, edits: int) -> None:
    raw = bytearray(CORPUS[index % len(CORPUS)].read_bytes())
    rnd = random.Random(seed)
    for _ in range(edits):
        where = rnd.randrange(len(raw) + 1)
        op = rnd.choice(("flip", "insert", "cut", "dup"))
        if op == "flip" and raw:
            raw[min(where, len(raw) - 1)] = rnd.randrange(256)
        elif op == "insert":
            raw[where:where] = rnd.choice([b"\r\n", b"--", b"=?utf-8?B?", b"?=", b"\r\n\r\n", b":", b"\x00",
                                            b"Content-Type: multipart/mixed; boundary=x\r\n", b"=\r\n", b">"])
        elif op == "cut":
            del raw[where:where + rnd.randrange(1, 200)]
        else:
            raw[where:where] = raw[where:where + rnd.randrange(1, 300)]
    parsed(bytes(raw))


def _nested(depth: int) -> bytes:
    head = b"From: a@example.com\r\nTo: support@introserv.com\r\nSubject: nest\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\nbottom\r\n"
    for i in range(depth):
        body = (f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n".encode() + body
                + f"\r\n--b{i}--\r\n".encode())
    return head + body


PATHOLOGICAL = {
    "deep multipart nesting": _nested(300),
    "deep message/rfc822 nesting": b"".join([b"Content-Type: message/rfc822\r\n\r\n"] * 500) + b"Subject: x\r\n\r\nend",
    "ten thousand headers": b"".join(b"X-H%d: v\r\n" % i for i in range(10_000)) + b"\r\nbody",
    "one megabyte header line": b"Subject: " + b"a" * 1_000_000 + b"\r\n\r\nbody",
    "encoded-word bomb": b"Subject: " + b"=?utf-8?q?=41?= " * 20_000 + b"\r\n\r\nbody",
    "folded header forever": b"Subject: x" + b"\r\n y" * 50_000 + b"\r\n\r\nbody",
    "quoted reply tower": b"Subject: re\r\n\r\n" + b"".join(b">" * i + b" text\r\n" for i in range(3000)),
    "blank lines": b"Subject: blank\r\n\r\n" + b"\r\n" * 200_000,
    "base64 garbage": b"Content-Transfer-Encoding: base64\r\nContent-Type: text/plain\r\n\r\n" + b"!@#$" * 100_000,
    "boundary never closed": b"Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n" + b"x" * 500_000,
    "html tag soup": b"Content-Type: text/html\r\n\r\n" + b"<div><b><i>" * 50_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_mail_is_parsed_in_bounded_time(name: str) -> None:
    parsed(PATHOLOGICAL[name])


header_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
breaks = st.sampled_from(["\r\n", "\n", "\r", "\u2028", "\x85", "\r\nBcc: victim@example.com\r\n",
                          "\nSubject: forged\n", "\r\n\r\n<html>forged body"])


@FUZZ
@given(subject=header_text, name=header_text, lang=header_text, cut=breaks, reply_to=header_text)
def test_nothing_a_customer_writes_adds_a_header_to_our_reply(subject: str, name: str, lang: str, cut: str,
                                                             reply_to: str) -> None:
    msg = compose_reply(
        from_addr="support@introserv.com", to_addr="camille@example.com", to_name=name + cut + name,
        subject=reply_subject(subject + cut + subject, "T-000123"), body="Bonjour" + cut + "merci",
        message_id="<abc@introserv.com>", language=lang + cut, in_reply_to=reply_to + cut,
        references=[reply_to + cut, "<ok@example.com>"])
    wire = msg.as_bytes()
    headers, _, _ = wire.partition(b"\n\n")
    names = [line.split(b":", 1)[0].lower() for line in headers.split(b"\n") if line and line[:1] not in b" \t"]
    assert b"bcc" not in names and names.count(b"subject") == 1 and names.count(b"to") == 1
    back = message_from_bytes(wire, policy=policy.default)
    assert back["Bcc"] is None and back.get_content_type() == "text/plain"


@pytest.mark.parametrize("to_addr", ["camille@example.com\r\nBcc: victim@example.com",
                                     "camille@example.com\nSubject: forged", "a b@example.com"])
def test_a_forged_recipient_address_cannot_add_headers(to_addr: str) -> None:
    try:
        msg = compose_reply(from_addr="support@introserv.com", to_addr=to_addr, subject="Re: x", body="x",
                            message_id="<abc@introserv.com>")
    except ValueError:
        return  # refused outright: nothing is sent
    back = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert back["Bcc"] is None and back["Subject"] == "Re: x"


def test_a_subject_of_twenty_thousand_encoded_words_is_cut_and_said_so() -> None:
    mail = parsed(PATHOLOGICAL["encoded-word bomb"])
    assert mail.subject.startswith("AAAA") and len(mail.subject) < 20_000
    assert any("subject" in problem for problem in mail.problems)
