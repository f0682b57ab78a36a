"""Every mail a customer or a broken mailer can send is taken in: text, sender, and reasons."""
from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.channels.email.parsing import parse_mail

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "mail-corpus"
CORPUS_FILES = sorted(CORPUS.rglob("*.eml"))


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_the_corpus_is_there() -> None:
    # Guards the parametrized test below against silently running over nothing.
    assert len(CORPUS_FILES) >= 100, f"mail corpus not found under {CORPUS}"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_mail_is_taken_in(path: Path) -> None:
    raw = path.read_bytes()
    mail = parse_mail(raw)
    assert isinstance(mail.text, str) and isinstance(mail.new_text, str)
    assert mail.from_addr is None or ("@" in mail.from_addr and mail.from_addr == mail.from_addr.lower())
    assert isinstance(mail.subject, str) and "\n" not in mail.subject
    assert all(isinstance(p, str) and p for p in mail.problems)
    assert len(mail.content_hash) == 64
    assert mail.message_id is None or (mail.message_id.startswith("<") and mail.message_id.endswith(">"))


def test_latin1_german_reads_as_german() -> None:
    mail = parse_mail(corpus("legacy/001.eml"))
    assert mail.subject == "Die Hasen und die Frösche (Microsoft Outlook 00)"
    assert "Die Hasen klagten einst über ihre mißliche Lage" in mail.text
    assert mail.from_addr == "doug@example.com" and mail.from_name == "Doug Sauder"


def test_raw_8bit_subject_is_not_shown_as_replacement_characters() -> None:
    mail = parse_mail(corpus("legacy/010.eml"))
    assert mail.subject == "Die Hasen und die Frösche"
    assert "\ufffd" not in mail.subject


def test_undeclared_charset_is_read_as_windows_1252_and_reported() -> None:
    mail = parse_mail(corpus("legacy/052.eml"))
    assert "Frösche" in mail.text and "mißliche" in mail.text
    assert any("without a declared charset" in p for p in mail.problems)


def test_japanese_subject_and_body() -> None:
    mail = parse_mail(corpus("thirdparty/010.eml"))
    assert mail.subject == "こんにちは"
    assert mail.text == "人権の無視及"


def test_html_only_mail_becomes_readable_text() -> None:
    mail = parse_mail(corpus("legacy/002.eml"))
    assert mail.content_type == "text/html"
    assert mail.text.startswith("Die Hasen und die Frösche")
    assert "<" not in mail.text and "&" not in mail.text


def test_alternatives_are_read_once_and_inline_images_kept() -> None:
    mail = parse_mail(corpus("thirdparty/019.eml"))
    assert mail.text == "Search for hähä"  # the HTML alternative is not appended
    assert [(a.filename, a.content_type, a.size) for a in mail.attachments] == [
        ("kigaaldcbanejcbi.png", "image/png", 242), ("attach2.png", "image/png", 158)]
    assert mail.attachments[0].data is not None and mail.attachments[0].data.startswith(b"\x89PNG")


def test_rfc8621_nested_alternative_keeps_every_text_part() -> None:
    mail = parse_mail(corpus("rfc/007.eml"))
    assert mail.text.split() == ["A", "B", "D", "K"]


def test_broken_multipart_still_shows_its_text_and_says_why() -> None:
    mail = parse_mail(corpus("malformed/017.eml"))
    assert mail.from_addr == "test@example.org" and mail.subject == "Hello world"
    assert "aGVsbG8gd29ybGQK" in mail.text
    assert any("MIME structure is broken" in p for p in mail.problems)


def test_attachment_over_the_limit_is_noted_not_kept() -> None:
    mail = parse_mail(corpus("legacy/008.eml"), max_attachment_bytes=1300)
    kept = {a.filename: a for a in mail.attachments}
    assert kept["greenball.png"].data is not None  # 1298 bytes
    big = kept["redball.png"]
    assert big.data is None and big.size == 1453 and "1300-byte limit" in big.note
    assert big.note in mail.problems


SIMPLE = (
    b"From: =?utf-8?q?Zo=C3=A9_Martin?= <Zoe.Martin@Example.FR>\r\n"
    b"To: support@introserv.com\r\n"
    b"Subject: Serveur en panne\r\n"
    b"Message-ID:   <abc.123@mail.example.fr> \r\n"
    b"In-Reply-To: <cv1.x.y.z@introserv.com>\r\n"
    b"References: <root@example.fr>\r\n <cv1.x.y.z@introserv.com>\r\n"
    b"Content-Language: fr-FR\r\n"
    b"Authentication-Results: mx.introserv.com; spf=pass smtp.mailfrom=example.fr\r\n"
    b"Date: Tue, 5 Mar 2024 10:00:00 +0100\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
)


def test_headers_are_normalised() -> None:
    mail = parse_mail(SIMPLE + "Bonjour, mon serveur ne répond plus.\r\n".encode())
    assert mail.from_addr == "zoe.martin@example.fr" and mail.from_name == "Zoé Martin"
    assert mail.message_id == "<abc.123@mail.example.fr>"
    assert mail.in_reply_to == "<cv1.x.y.z@introserv.com>"
    assert mail.references == ["<root@example.fr>", "<cv1.x.y.z@introserv.com>"]
    assert mail.content_language == "fr-FR"
    assert mail.authentication_results == ["mx.introserv.com; spf=pass smtp.mailfrom=example.fr"]
    assert mail.date is not None and mail.date.utcoffset() is not None and mail.date.hour == 10
    assert mail.text == "Bonjour, mon serveur ne répond plus."
    assert mail.problems == []


def test_unknown_charset_is_decoded_with_a_fallback_and_reported() -> None:
    raw = (b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n"
           + "Problème de facturation".encode("cp1252"))
    mail = parse_mail(raw)
    assert mail.text == "Problème de facturation"
    assert mail.problems == ["text/plain part: unknown charset 'x-klingon'; text was read as cp1252"]


def test_mislabelled_utf8_is_read_as_utf8() -> None:
    raw = (b"From: a@example.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
           + "Zażółć gęślą jaźń".encode())
    assert parse_mail(raw).text == "Zażółć gęślą jaźń"


def test_html_scripts_and_styles_never_reach_the_text() -> None:
    html = (b"<html><head><style>p{color:red}</style><title>t</title></head><body>"
            b"<script>alert('x')</script><p>Hello&nbsp;<b>team</b>,</p><p>see "
            b"<a href='https://status.example.com/1'>status page</a></p>"
            b"<ul><li>one</li><li>two</li></ul><blockquote>old reply</blockquote></body></html>")
    raw = b"From: a@example.com\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    text = parse_mail(raw).text
    assert [line for line in text.splitlines() if line] == ["Hello team,", "see status page <https://status.example.com/1>",
                                 "- one", "- two", "> old reply"]


def test_garbage_headers_never_crash() -> None:
    raw = (b"From: \"unterminated <@@>\r\nTo: ,,,;;\r\nDate: the day after tomorrow\r\n"
           b"Subject: =?bogus-charset?B?!!!?=\r\nMessage-ID: no brackets here\r\n"
           b"Content-Type: text/plain; charset=\"\r\n\r\nbody\r\n")
    mail = parse_mail(raw)
    assert mail.text == "body"
    assert mail.date is None and any("Date header" in p for p in mail.problems)
    assert mail.message_id is None and mail.to == []


def test_mail_without_message_id_is_identified_by_its_content() -> None:
    one = parse_mail(b"From: a@example.com\r\n\r\nsame\r\n")
    two = parse_mail(b"From: a@example.com\r\n\r\nsame\r\n")
    other = parse_mail(b"From: a@example.com\r\n\r\nother\r\n")
    assert one.message_id is None
    assert one.content_hash == two.content_hash != other.content_hash


def test_answers_go_to_from_whatever_reply_to_says() -> None:
    mail = parse_mail(b"From: a@example.com\r\nReply-To: Desk <Tickets@Example.com>\r\n\r\nx\r\n")
    assert mail.reply_to == "tickets@example.com" and mail.reply_address == "a@example.com"
    assert parse_mail(b"From: a@example.com\r\n\r\nx\r\n").reply_address == "a@example.com"
