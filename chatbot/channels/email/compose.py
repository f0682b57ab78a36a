"""Building the mails we send: threaded, tagged, marked automatic, and safe from header injection."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from chatbot.channels.email.thread_ids import ticket_tag

Kind = Literal["auto_reply", "notification", "agent"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
_MSG_ID = re.compile(r"<[^<>\s\"\\]+@[^<>\s\"\\]+>")
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|vs|odp|antw|rif|r|fwd?|wg|tr|rv|enc)\s*(\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)
MAX_REFERENCES = 20  # long threads otherwise grow a header some relays refuse


def clean_header_text(value: str | None, limit: int = 500) -> str:
    """A customer-supplied value made safe for one header line: no CR/LF (header injection), no
    control characters, bounded length."""
    return _CONTROL.sub(" ", value or "").strip()[:limit]


def reply_subject(original: str | None, ticket_number: str | None = None, prefix: str = "Re:") -> str:
    """'[#T-000123] Re: subject' — one tag, one prefix, whatever the client piled up before."""
    subject = clean_header_text(original, 300)
    tag = ticket_tag(ticket_number) if ticket_number else ""
    if tag:
        subject = subject.replace(tag, " ")
    subject = re.sub(r"\s+", " ", _REPLY_PREFIX.sub("", subject)).strip()
    parts = [tag, prefix if subject else "", subject]
    return " ".join(p for p in parts if p)


def _references(in_reply_to: str | None, references: Sequence[str]) -> list[str]:
    ids = [r for r in references if _MSG_ID.fullmatch(r.strip())]
    if in_reply_to and _MSG_ID.fullmatch(in_reply_to.strip()) and in_reply_to not in ids:
        ids.append(in_reply_to)
    if len(ids) > MAX_REFERENCES:  # RFC 5322 §3.6.4: keep the thread's root, then the newest ones
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1):]
    return ids


def compose_reply(
    *,
    from_addr: str,
    to_addr: str,
    subject: str,
    body: str,
    message_id: str,
    from_name: str = "",
    to_name: str = "",
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    ticket_number: str | None = None,
    language: str | None = None,
    kind: Kind = "auto_reply",
    html: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """An answer to a customer. `subject` is used as given, with the ticket tag put in front when
    missing; threading headers are only copied when they are well-formed msg-ids."""
    msg = EmailMessage()
    msg["From"] = Address(display_name=clean_header_text(from_name, 100), addr_spec=from_addr)
    # Address() refuses an addr-spec with CR/LF or spaces, so a forged address cannot add headers.
    msg["To"] = Address(display_name=clean_header_text(to_name, 100), addr_spec=clean_header_text(to_addr))
    line = clean_header_text(subject, 400)
    if ticket_number and ticket_tag(ticket_number) not in line:
        line = f"{ticket_tag(ticket_number)} {line}".strip()
    msg["Subject"] = line
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    if not _MSG_ID.fullmatch(message_id):
        raise ValueError(f"not a Message-ID: {message_id!r}")
    msg["Message-ID"] = message_id
    if in_reply_to and _MSG_ID.fullmatch(in_reply_to.strip()):
        msg["In-Reply-To"] = in_reply_to.strip()
    refs = _references(in_reply_to, references)
    if refs:
        msg["References"] = " ".join(refs)
    if kind != "agent":
        # RFC 3834 marks + the headers Exchange and others honour: no out-of-office or auto-reply
        # should answer this mail, and list software should not treat it as a person's mail.
        msg["Auto-Submitted"] = "auto-replied" if kind == "auto_reply" else "auto-generated"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["Precedence"] = "auto_reply" if kind == "auto_reply" else "bulk"
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if language:  # after set_content, which clears every Content-* header
        msg["Content-Language"] = clean_header_text(language, 35)
    return msg
