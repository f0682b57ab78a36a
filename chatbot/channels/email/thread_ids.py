"""Finding the conversation a reply belongs to: signed Message-IDs first, then the ticket tag.

Our outgoing Message-IDs carry the conversation id and an HMAC of it, so a customer's reply (whose
In-Reply-To / References quote that id) is threaded without any lookup, whatever the subject became.
The signature means a stranger cannot forge a Message-ID to drop a mail into someone else's ticket.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

_PREFIX = "cv1"          # format version: lets us change the layout later and still read old replies
_SIG_BYTES = 12          # 96 bits: forging needs ~2^96 tries per guess
_TAG = re.compile(r"\[#\s*T-?(\d{1,12})\s*\]", re.IGNORECASE)
_TAG_DIGITS = 6


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(conversation: bytes, secret: bytes) -> str:
    digest = hmac.new(secret, b"message-id|" + conversation, hashlib.sha256).digest()
    return _b64(digest[:_SIG_BYTES])


def make_message_id(conversation_id: str, secret: bytes, domain: str, seed: str | None = None) -> str:
    """A Message-ID for a mail of this conversation: <cv1.CONV.SIG.NONCE@domain>.

    Base64url only uses characters allowed in a msg-id (RFC 5322 dot-atom), and the nonce keeps
    every id unique even for two replies in the same conversation. With a `seed` (e.g. "the
    acknowledgement of stored mail 42") the id is the same every time it is computed, so queuing
    that reply twice after a crash hits the outbox's unique Message-ID instead of sending twice.
    """
    if not secret:
        raise ValueError("the Message-ID secret must not be empty")
    conversation = conversation_id.encode("utf-8")
    if seed is None:
        nonce = _b64(secrets.token_bytes(9))
    else:
        nonce = _b64(hmac.new(secret, b"nonce|" + seed.encode("utf-8"), hashlib.sha256).digest()[:9])
    return f"<{_PREFIX}.{_b64(conversation)}.{_signature(conversation, secret)}.{nonce}@{domain.lower()}>"


def conversation_from_message_id(message_id: str, secret: bytes, domain: str) -> str | None:
    """The conversation id in one of our Message-IDs, or None (not ours, altered, or forged)."""
    local, _, host = message_id.strip().strip("<>").rpartition("@")
    if host.lower() != domain.lower():
        return None
    parts = local.split(".")
    if len(parts) != 4 or parts[0] != _PREFIX:
        return None
    try:
        conversation = _unb64(parts[1])
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(parts[2], _signature(conversation, secret)):
        return None
    try:
        return conversation.decode("utf-8")
    except UnicodeDecodeError:
        return None


def conversation_from_headers(
    in_reply_to: str | None, references: Iterable[str], secret: bytes, domain: str
) -> str | None:
    """The conversation a reply continues: In-Reply-To first, then References newest first
    (a client that trims References keeps the most recent ids at the end)."""
    candidates = [in_reply_to] if in_reply_to else []
    candidates += list(references)[::-1]
    for message_id in candidates:
        found = conversation_from_message_id(message_id, secret, domain)
        if found is not None:
            return found
    return None


def ticket_tag(number: int | str) -> str:
    """"[#T-000123]" for 123 or "T-000123"."""
    digits = str(number).strip().upper().removeprefix("T-").removeprefix("T")
    if not digits.isdigit():
        raise ValueError(f"not a ticket number: {number!r}")
    return f"[#T-{int(digits):0{_TAG_DIGITS}d}]"


def ticket_number_from_subject(subject: str | None) -> str | None:
    """"T-000123" from a subject holding "[#T-000123]", or None. The first tag wins: we put ours in
    front, so an older tag from a forwarded subject comes after it. The caller must check the sender
    before trusting a tag-only match."""
    found = _TAG.findall(subject or "")
    if not found:
        return None
    return f"T-{int(found[0]):0{_TAG_DIGITS}d}"
