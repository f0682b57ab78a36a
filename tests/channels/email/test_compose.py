"""Our replies thread in the customer's client, say they are automatic, and cannot be hijacked."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from chatbot.channels.email.compose import MAX_REFERENCES, compose_reply, reply_subject
from chatbot.channels.email.loop_guard import auto_reply_verdict
from chatbot.channels.email.parsing import parse_mail


def reply(**overrides: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "from_addr": "support@introserv.com", "from_name": "INTROSERV Support",
        "to_addr": "anna@customer.example", "to_name": "Anna Nowak", "subject": "Re: Server down",
        "body": "We received your message.", "message_id": "<cv1.NDI.sig.nonce@introserv.com>",
        "in_reply_to": "<1@customer.example>", "references": ["<0@customer.example>"],
        "ticket_number": "T-000123", "language": "pl"}
    args.update(overrides)
    return compose_reply(**args)  # type: ignore[arg-type]


def test_threading_and_automatic_headers() -> None:
    msg = reply()
    assert msg["Subject"] == "[#T-000123] Re: Server down"
    assert msg["In-Reply-To"] == "<1@customer.example>"
    assert msg["References"] == "<0@customer.example> <1@customer.example>"
    assert msg["Message-ID"] == "<cv1.NDI.sig.nonce@introserv.com>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["Precedence"] == "auto_reply"
    assert msg["Content-Language"] == "pl"
    assert msg["Date"] is not None
    assert str(msg["To"]) == "Anna Nowak <anna@customer.example>"


def test_notifications_are_bulk_and_agent_replies_are_plain() -> None:
    note = reply(kind="notification")
    assert (note["Auto-Submitted"], note["Precedence"]) == ("auto-generated", "bulk")
    agent = reply(kind="agent")
    assert agent["Auto-Submitted"] is None and agent["Precedence"] is None


def test_our_own_reply_would_not_be_answered_by_us() -> None:
    raw = reply().as_bytes()
    assert not auto_reply_verdict(parse_mail(raw), ["support@introserv.com"], "introserv.com").allowed


def test_customer_controlled_values_cannot_inject_headers() -> None:
    msg = reply(subject="Hi\r\nBcc: victim@example.com", to_name="Eve\r\nX-Evil: 1",
                in_reply_to="<a@b>\r\nBcc: x@y", references=["<ok@x>", "bad\r\nBcc: z@z"], language="de\nX: y")
    raw = msg.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None and parsed["X"] is None
    assert "Bcc: victim@example.com" in parsed["Subject"]  # kept as text of the subject, on one line
    assert parsed["In-Reply-To"] is None
    assert parsed["References"] == "<ok@x>"


def test_an_address_with_line_breaks_is_refused() -> None:
    with pytest.raises(ValueError):
        reply(to_addr="anna@customer.example\r\nBcc: victim@example.com")


def test_long_threads_keep_the_root_and_the_newest_references() -> None:
    refs = [f"<{i}@customer.example>" for i in range(50)]
    msg = reply(references=refs, in_reply_to="<50@customer.example>")
    kept = msg["References"].split()
    assert len(kept) == MAX_REFERENCES
    assert kept[0] == "<0@customer.example>" and kept[-1] == "<50@customer.example>"


def test_non_ascii_subject_and_body_survive_the_wire() -> None:
    msg = reply(subject="Re: Serwer nie działa — pilne", body="Dzień dobry, zgłoszenie przyjęte.")
    parsed = parse_mail(msg.as_bytes())
    assert parsed.subject == "[#T-000123] Re: Serwer nie działa — pilne"
    assert parsed.text == "Dzień dobry, zgłoszenie przyjęte."


@pytest.mark.parametrize("original, expected", [
    ("Server down", "[#T-000123] Re: Server down"),
    ("Re: RE: AW: Server down", "[#T-000123] Re: Server down"),
    ("Re: [#T-000123] Server down", "[#T-000123] Re: Server down"),
    ("Odp: Fwd: Serwer", "[#T-000123] Re: Serwer"),
    ("", "[#T-000123]"),
])
def test_reply_subject(original: str, expected: str) -> None:
    assert reply_subject(original, "T-000123") == expected
