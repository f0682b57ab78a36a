"""What we queue in the outbox for a mail: the held acknowledgement, the oversize notice, the answer.

Every queued mail has a Message-ID derived from the stored mail it answers, so queuing it again after
a crash collides with the outbox's unique Message-ID instead of sending a second copy.
"""
from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.channels.email.compose import reply_subject
from chatbot.channels.email.config import EmailConfig
from chatbot.channels.email.parsing import ParsedMail
from chatbot.channels.email.thread_ids import make_message_id
from chatbot.channels.email.threads import customer_of
from chatbot.db import utcnow
from chatbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext
from chatbot.mail_store import InboundMail
from chatbot.models import OutboxMail
from chatbot.outbox import enqueue
from chatbot.steps import ACK
from chatbot.understanding import LanguageHints, detect_language

OVERSIZED = N_("Your email ({size} MB) is larger than the {limit} MB we can receive, so we could not read "
               "it. Please send your request again without the large attachments; you can share big files "
               "through a download link.")


def signature(config: EmailConfig) -> str:
    # "-- " is the signature separator mail clients know: quoted back to us, our quote remover and
    # theirs drop everything below it.
    return f"\n\n-- \n{config.sender_name}\n{config.support_address}\n"


def thread_headers(row: InboundMail, lang: str) -> dict[str, Any]:
    """What the sender needs to thread our mail under the customer's (kept as JSON in the outbox)."""
    thread = row.thread or {}
    references = [*thread.get("references", []), *([row.message_id] if row.message_id else [])]
    return {"in_reply_to": row.message_id, "references": references[-20:], "lang": lang,
            "to_name": thread.get("name", ""), "auto": "auto_reply"}


async def guess_language(session: AsyncSession, mail: ParsedMail) -> str:
    """For mails answered before (or without) the bot's turn: the customer's known language, else
    what the text and Content-Language say, else English."""
    customer = await customer_of(session, mail.from_addr)
    if customer is not None and customer.lang in LANGUAGES:
        return customer.lang
    lang, supported = detect_language(f"{mail.subject}\n{mail.new_text[:1000]}",
                                      LanguageHints(content_language=mail.content_language))
    return lang if supported and lang in LANGUAGES else DEFAULT_LANGUAGE


async def fallback_ack(session: AsyncSession, config: EmailConfig, row: InboundMail,
                       mail: ParsedMail) -> OutboxMail:
    """The acknowledgement, queued with the routing decision and held: the bot's turn replaces its
    text with the full answer (ticket, team, questions); if no turn completes in time, it goes as is."""
    assert row.conversation_id is not None and mail.reply_address is not None
    lang = await guess_language(session, mail)
    queued = enqueue(
        session, kind="ack", to=mail.reply_address, subject=reply_subject(mail.subject),
        body=gettext(ACK, lang) + signature(config), headers=thread_headers(row, lang),
        message_id=make_message_id(row.conversation_id, config.secret, config.domain, seed=f"ack:{row.mail_key}"),
        conversation_id=row.conversation_id)
    queued.status, queued.next_attempt_at = "held", utcnow() + config.ack_hold
    return queued


async def oversize_notice(session: AsyncSession, config: EmailConfig, row: InboundMail, mail: ParsedMail,
                          conversation_id: str) -> OutboxMail:
    lang = await guess_language(session, mail)
    mb = 1024 * 1024
    size = format_decimal(round(row.size / mb, 1), format="#,##0.0", locale=lang)
    limit = format_decimal(round(config.max_message_bytes / mb, 1), format="#,##0.#", locale=lang)
    body = gettext(OVERSIZED, lang, size=size, limit=limit)
    assert mail.reply_address is not None
    return enqueue(
        session, kind="notice", to=mail.reply_address, subject=reply_subject(mail.subject),
        body=body + signature(config), headers=thread_headers(row, lang),
        message_id=make_message_id(conversation_id, config.secret, config.domain, seed=f"oversize:{row.mail_key}"))


async def answer(session: AsyncSession, config: EmailConfig, row: InboundMail, *, texts: list[str], lang: str,
                 conversation_id: str, ticket_id: int | None, ticket_number: str | None) -> OutboxMail | None:
    """The bot's answer to this mail: fills the held acknowledgement when it has not gone yet,
    else a reply of its own (once: its Message-ID is derived from the mail)."""
    subject = reply_subject(row.subject, ticket_number)
    body = "\n\n".join(texts) + signature(config)
    headers = thread_headers(row, lang)
    held = await session.get(OutboxMail, row.ack_outbox_id) if row.ack_outbox_id else None
    if held is not None and held.status == "held":
        held.subject, held.body, held.headers = subject, body, headers
        held.conversation_id, held.ticket_id = conversation_id, ticket_id
        held.status, held.next_attempt_at = "pending", utcnow()
        return held
    message_id = make_message_id(conversation_id, config.secret, config.domain, seed=f"reply:{row.mail_key}")
    if await session.scalar(select(OutboxMail.id).where(OutboxMail.message_id == message_id)) is not None:
        return None
    to = (row.thread or {}).get("reply_to") or row.from_addr
    if not to:
        return None
    return enqueue(session, kind="reply", to=to, subject=subject, body=body, headers=headers,
                   message_id=message_id, conversation_id=conversation_id, ticket_id=ticket_id)
