"""Walking a MIME tree: the readable body, the attachments, and whether a machine sent a report."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

from chatbot.channels.email.decoding import decode_text
from chatbot.channels.email.html_text import html_to_text

_REPORT_PARTS = {"message/delivery-status", "message/global-delivery-status", "message/disposition-notification"}
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_MAX_DEPTH = 20  # deeper nesting is an attack or a bug, not a mail somebody wrote


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    data: bytes | None   # None when over the size limit; the raw mail still holds it
    note: str = ""       # why the data is missing, in words for the operator


def _leaves(part: Message, wanted: bool = True, depth: int = 0) -> Iterator[tuple[Message, bool]]:
    """(leaf, is_wanted_text) in document order. Inside multipart/alternative only the chosen
    rendering's text is wanted (the others repeat it); an attached mail is one leaf, not its insides."""
    if depth > _MAX_DEPTH:
        return
    if part.is_multipart() and part.get_content_type().startswith("multipart/"):
        children = [c for c in part.get_payload() if isinstance(c, Message)]
        chosen = _alternative(children) if part.get_content_type() == "multipart/alternative" else None
        for child in children:
            yield from _leaves(child, wanted and (chosen is None or child is chosen), depth + 1)
    else:
        yield part, wanted


def _alternative(children: list[Message]) -> Message | None:
    """The rendering to read: the last one made of plain text (RFC 2046 orders alternatives by
    increasing faithfulness, and plain is what the sender wrote for text readers), else the last
    one with HTML, else the last one."""
    def kinds(child: Message) -> set[str]:
        found = set()
        for leaf in child.walk():
            ctype = leaf.get_content_type()
            data = leaf.get_payload(decode=True) if ctype in {"text/plain", "text/html"} else None
            if isinstance(data, bytes) and data.strip():
                found.add(ctype)
        return found

    scored = [(child, kinds(child)) for child in children]
    plain = [c for c, k in scored if k == {"text/plain"}]
    rich = [c for c, k in scored if "text/html" in k]
    candidates = plain or rich or children
    return candidates[-1] if candidates else None


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822" or part.is_multipart():
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner_msg, Message):
            try:
                return inner_msg.as_bytes()
            except Exception:  # noqa: BLE001 - a broken attached mail is still worth its raw text
                try:
                    return str(inner_msg).encode("utf-8", errors="replace")
                except RecursionError:  # hundreds of nested mails: the stored raw mail keeps them
                    return b""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        name = None
    if not name and part.get_content_type() == "message/rfc822":
        name = "attached-message.eml"
    name = _UNSAFE_NAME.sub("_", (name or "").strip()).strip(". ")
    return name[:200] or f"attachment-{index}"


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
        has_name = bool(part.get_filename())
    except Exception:  # noqa: BLE001
        disposition, has_name = "attachment", True
    return disposition == "attachment" or has_name or part.get_content_maintype() != "text"


def _text_of(part: Message) -> tuple[str, str | None]:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        data = None
    if not isinstance(data, bytes):
        raw = part.get_payload()
        data = raw.encode("utf-8", errors="replace") if isinstance(raw, str) else b""
    try:
        charset = part.get_param("charset")
    except Exception:  # noqa: BLE001
        charset = None
    return decode_text(data, charset if isinstance(charset, str) else None)


def extract_body_and_attachments(
    msg: Message, max_attachment_bytes: int
) -> tuple[str, list[Attachment], list[str], bool]:
    """(text, attachments, problems, is_delivery_report) of a parsed message."""
    problems: list[str] = []
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    is_report = msg.get_content_type() == "multipart/report"
    for index, (part, wanted) in enumerate(_leaves(msg), start=1):
        ctype = part.get_content_type()
        is_report = is_report or ctype in _REPORT_PARTS
        if ctype.startswith("multipart/"):
            # A multipart whose boundary could not be found: its body is all we have, so show it.
            problems.append("the MIME structure is broken; the body is shown as raw text")
            plain.append(_text_of(part)[0])
            continue
        if ctype in {"text/plain", "text/html"} and not _is_attachment(part):
            if not wanted:
                continue  # another rendering of the text we read
            text, problem = _text_of(part)
            if problem:
                problems.append(f"{ctype} part: {problem}")
            (plain if ctype == "text/plain" else html).append(text)
            continue
        data = _payload(part)
        name = _filename(part, index)
        if len(data) > max_attachment_bytes:
            note = (f"attachment {name!r} ({len(data)} bytes) exceeds the {max_attachment_bytes}-byte "
                    f"limit; it was not kept apart (the stored raw mail still contains it)")
            attachments.append(Attachment(name, ctype, len(data), None, note))
            problems.append(note)
        else:
            attachments.append(Attachment(name, ctype, len(data), data))
    # Plain text is what the sender wrote for non-HTML readers; HTML is only the fallback, since in
    # multipart/alternative it repeats the plain part.
    body = "\n\n".join(t.strip("\r\n") for t in plain if t.strip())
    if not body.strip():
        body = "\n\n".join(html_to_text(t) for t in html)
    for defect in _defects(msg):
        problems.append(f"MIME structure: {defect}")
    problems = list(dict.fromkeys(problems))  # one line per distinct reason
    return body.replace("\r\n", "\n").replace("\r", "\n"), attachments, problems, is_report


def _defects(msg: Message) -> list[str]:
    """Parser defects in words, once each: e.g. StartBoundaryNotFoundDefect → 'start boundary not found'."""
    seen: dict[str, None] = {}
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            name = type(defect).__name__.removesuffix("Defect")
            seen[re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()] = None
    return list(seen)
