"""From the mailbox to the pipeline: store the raw mail, then decide, then hand it on.

1. `take` (the IMAP watcher's handler) commits the raw bytes and nothing else; only then is the mail
   flagged done on the server. A crash anywhere later finds the row again (`process_due`).
2. `route` (one transaction): parse, loop guard, rate limit, conversation, and — for a new request
   that may be answered — the acknowledgement, queued but held until the bot's answer completes it.
3. `pipeline.accept` + `pipeline.process`, as for chat; `EmailReplies` turns the replies into mail.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.channels.email.config import EmailConfig
from chatbot.channels.email.loop_guard import auto_reply_verdict
from chatbot.channels.email.outgoing import fallback_ack, oversize_notice
from chatbot.channels.email.parsing import ParsedMail, normalise_message_id, parse_mail
from chatbot.channels.email.threads import customer_of, find_conversation, new_conversation_id
from chatbot.conversations import Accepted
from chatbot.db import utcnow
from chatbot.identity import identify
from chatbot.mail_store import (
    AutoReply,
    InboundMail,
    due_mails,
    mail_key,
    recent_auto_replies,
    record_failure,
    store_raw,
)
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.models import Conversation
from chatbot.pending import PendingTurn
from chatbot.pipeline import Pipeline
from chatbot.understanding import LanguageHints

log = logging.getLogger(__name__)
MAX_TEXT = 20_000  # what the bot reads of one mail; the raw mail keeps everything


class EmailIntake:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], pipeline: Pipeline, config: EmailConfig,
                 uidvalidity: Callable[[], int | None], wake_sender: Callable[[], None]) -> None:
        self.sessions, self.pipeline, self.config = sessions, pipeline, config
        self.uidvalidity, self.wake_sender = uidvalidity, wake_sender
        self.queue: asyncio.Queue[int] = asyncio.Queue()

    # -- 1. the watcher's handler ----------------------------------------------------------------
    async def take(self, uid: int, raw: bytes | None, size: int, headers: bytes | None = None) -> bool:
        """Store the mail; True (the server may flag it done) once it is committed."""
        head = raw if raw is not None else (headers or b"")
        message_id = _message_id(head)
        if raw is None:
            return await self._take_oversized(uid, size, head, message_id)
        parsed_hash = hashlib.sha256(raw).hexdigest()
        mail_id, new = await store_raw(
            self.sessions, key=mail_key(message_id, parsed_hash), message_id=message_id,
            content_hash=parsed_hash, raw=raw, size=size, mailbox=self.config.mailbox,
            uidvalidity=self.uidvalidity() or 0, uid=uid)
        if new:
            self.queue.put_nowait(mail_id)
        else:
            log.info("mail UID %s (%s) was stored before: not processed again", uid, message_id)
        return True

    async def _take_oversized(self, uid: int, size: int, head: bytes, message_id: str | None) -> bool:
        mail = parse_mail(head)
        key = mail_key(message_id, hashlib.sha256(head + str(size).encode()).hexdigest())
        async with self.sessions() as s, s.begin():
            if await s.scalar(select(InboundMail.id).where(InboundMail.mail_key == key)) is not None:
                return True
            row = InboundMail(mail_key=key, message_id=message_id, raw=None, size=size, mailbox=self.config.mailbox,
                              uidvalidity=self.uidvalidity() or 0, uid=uid, status="oversized", attempts=0,
                              next_attempt_at=utcnow(), received_at=utcnow(), from_addr=mail.from_addr,
                              subject=mail.subject[:1000], thread={}, reply_allowed=False, silent=False,
                              reason=f"{size} bytes, above the {self.config.max_message_bytes}-byte limit; "
                                     "left in the mailbox")
            s.add(row)
            await s.flush()
            verdict = auto_reply_verdict(mail, self.config.own_addresses, self.config.domain)
            row.reply_reason = verdict.reason
            if verdict.allowed and await self._may_reply(s, row, mail):
                await oversize_notice(s, self.config, row, mail, new_conversation_id(key))
        self.wake_sender()
        return True

    # -- 2 and 3. processing -----------------------------------------------------------------------
    async def process_due(self, batch: int = 50) -> int:
        """Mails left half-way (a crash, the process that stored them killed): batch after batch
        until none is due, so a backlog is not worked off at one batch per sweep."""
        done, previous = 0, None
        while True:
            async with self.sessions() as s:
                due = await due_mails(s, limit=batch)
            if due == previous:
                return done  # no progress (the database is away, say): the next sweep tries again
            for mail_id in due:
                await self.process(mail_id)
            done += len(due)
            if len(due) < batch:
                return done
            previous = due

    async def process(self, mail_id: int) -> None:
        try:
            found = await self._accept(mail_id)
        except Exception as exc:
            log.exception("mail %s could not be processed", mail_id)
            try:
                async with self.sessions() as s:
                    status = await record_failure(s, mail_id, f"{type(exc).__name__}: {exc}")
            except Exception:  # noqa: BLE001 - the database is away: the sweep finds the mail again
                return
            if status == "unprocessable":
                log.error("mail %s is unprocessable; `chatbot mail rerun %s` once the cause is fixed", mail_id,
                          mail_id)
            return
        if found is None:
            return
        inbound, accepted = found
        self.wake_sender()  # the held acknowledgement now has its conversation
        try:
            await self.pipeline.process(inbound, accepted, _no_emit)
        except Exception:
            log.exception("the bot's turn for mail %s failed; it will be resumed", mail_id)

    async def _accept(self, mail_id: int) -> tuple[InboundMessage, Accepted] | None:
        """The mail in its conversation; None when there is no turn to run now."""
        inbound, silent = await self._prepare(mail_id)
        if inbound is None:
            return None
        accepted = await self.pipeline.accept(inbound)
        async with self.sessions() as s, s.begin():
            row = await s.get(InboundMail, mail_id)
            assert row is not None
            row.status, row.message_row_id, row.processed_at = "processed", accepted.message_id, utcnow()
            if silent:  # kept in the conversation for the agents; the bot does not answer machines
                await s.execute(delete(PendingTurn).where(PendingTurn.message_id == accepted.message_id))
        if silent or accepted.duplicate:
            return None  # a duplicate's turn is owed by the turn recovery (chatbot/recovery.py)
        return inbound, accepted

    async def _prepare(self, mail_id: int) -> tuple[InboundMessage | None, bool]:
        async with self.sessions() as s:
            row = await s.get(InboundMail, mail_id)
            if row is None or row.status not in ("received", "routed") or row.raw is None:
                return None, False
            raw, status = row.raw, row.status
        mail = await asyncio.to_thread(parse_mail, raw, self.config.max_attachment_bytes)
        if status == "received":
            await self._route(mail_id, mail)
        async with self.sessions() as s:
            row = await s.get(InboundMail, mail_id)
            assert row is not None
            if row.status != "routed" or row.conversation_id is None:
                return None, False
            return self._inbound(row, mail), row.silent

    async def _route(self, mail_id: int, mail: ParsedMail) -> None:
        cfg = self.config
        async with self.sessions() as s, s.begin():
            row = await s.get(InboundMail, mail_id)
            assert row is not None
            verdict = auto_reply_verdict(mail, cfg.own_addresses, cfg.domain)
            conversation, how = await find_conversation(s, mail, cfg.secret, cfg.domain)
            row.from_addr, row.subject = mail.from_addr, mail.subject[:1000]
            row.thread = {"references": mail.references[-20:], "content_language": mail.content_language,
                          "name": mail.from_name[:200], "reply_to": mail.reply_address,
                          "problems": mail.problems[:20]}
            if conversation is None and not verdict.allowed and await customer_of(s, mail.from_addr) is None:
                row.status, row.reason = "ignored", f"not answered and kept aside: {verdict.reason}"
                log.info("mail %s kept aside: %s", mail_id, verdict.reason)
                return
            row.silent = conversation is not None and not verdict.allowed
            row.conversation_id = conversation or new_conversation_id(row.mail_key)
            await self._establish_sender(s, row.conversation_id, mail)
            row.reply_allowed, row.reply_reason = verdict.allowed, verdict.reason
            if verdict.allowed:
                row.reply_allowed = await self._may_reply(s, row, mail)
            if row.reply_allowed and conversation is None and row.ack_outbox_id is None:
                ack = await fallback_ack(s, cfg, row, mail)
                await s.flush()
                row.ack_outbox_id = ack.id
            row.status = "routed"
            log.info("mail %s → conversation %s (%s); reply: %s", mail_id, row.conversation_id, how,
                     row.reply_reason)

    async def _establish_sender(self, s: AsyncSession, conversation_id: str, mail: ParsedMail) -> None:
        """The conversation, created if new, with who wrote recorded on it — as the verify-identity
        step would, but before the message exists: a turn resumed after a crash carries no sender
        claim ("what the conversation already established"), and this mail's From and
        Authentication-Results must not be lost with the process. `accept` then finds the row."""
        sender = Sender(address=mail.from_addr, authentication_results=tuple(mail.authentication_results))
        customer, verified = await identify(s, sender, self.config.identity_secret,
                                            self.config.trusted_authserv_id)
        conversation = await s.get(Conversation, conversation_id)
        if conversation is None:
            conversation = Conversation(id=conversation_id, channel="email", contact=mail.from_addr, state={},
                                        status="bot", created_at=utcnow(), updated_at=utcnow())
            s.add(conversation)
        conversation.customer_id = customer.id if customer is not None and verified else None
        conversation.verified = verified
        await s.flush()

    async def _may_reply(self, s: AsyncSession, row: InboundMail, mail: ParsedMail) -> bool:
        """Within the per-address limit? Counts this reply when it is."""
        address = mail.reply_address
        if address is None:
            return False
        verdict = self.config.rate.decide(await recent_auto_replies(s, address, self.config.rate.window()),
                                          utcnow())
        row.reply_reason = verdict.reason if not verdict.allowed else row.reply_reason
        if verdict.allowed:
            s.add(AutoReply(address=address.lower(), sent_at=utcnow()))
        else:
            log.warning("no automatic reply to %s: %s", address, verdict.reason)
        return verdict.allowed

    def _inbound(self, row: InboundMail, mail: ParsedMail) -> InboundMessage:
        text = (mail.new_text or mail.subject or "").strip()[:MAX_TEXT]
        return InboundMessage(
            channel="email", conversation_id=row.conversation_id or "", text=text, received_at=row.received_at,
            sender=Sender(address=mail.from_addr, authentication_results=tuple(mail.authentication_results)),
            subject=mail.subject or None, hints=LanguageHints(content_language=mail.content_language),
            client_id=f"mail:{row.id}", questions_per_reply=None, meta={"mail_id": row.id})

    # -- the background task -----------------------------------------------------------------------
    async def run(self, sweep_every: float = 15.0) -> None:
        """Process new mails as they are stored, and sweep for ones a crash or an error left."""
        await self.process_due()
        while True:
            try:
                mail_id = await asyncio.wait_for(self.queue.get(), timeout=sweep_every)
            except TimeoutError:
                try:
                    await self.process_due()
                except Exception:
                    log.warning("could not look for mails to process", exc_info=True)
                continue
            await self.process(mail_id)


def _message_id(head: bytes) -> str | None:
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(head)
        for key, value in headers.raw_items():
            if key.lower() == "message-id":
                return normalise_message_id(str(value))
    except Exception:  # noqa: BLE001 - no usable Message-ID: the content hash identifies the mail
        return None
    return None


async def _no_emit(_: OutboundMessage) -> None:
    """Email replies leave through the outbox (EmailReplies), never straight from the turn."""
