"""The bot's replies to a mail, as one email: acknowledgement, ticket, team, promise and every
missing detail asked at once — queued in the turn's own last transaction, so a crash either loses
the whole turn (which is then run again) or keeps both the turn and its email."""
from __future__ import annotations

from collections.abc import Callable

from chatbot.channels.email.config import EmailConfig
from chatbot.channels.email.outgoing import answer
from chatbot.mail_store import InboundMail
from chatbot.models import OutboxMail
from chatbot.pipeline import Turn, TurnObserver


def mail_id_of(client_id: str | None) -> int | None:
    """The stored mail behind a turn: the email channel accepts mail with client_id "mail:<id>"."""
    if client_id and client_id.startswith("mail:") and client_id[5:].isdigit():
        return int(client_id[5:])
    return None


class EmailReplies(TurnObserver):
    def __init__(self, config: EmailConfig, wake_sender: Callable[[], None]) -> None:
        self.config, self.wake_sender = config, wake_sender

    async def finishing(self, turn: Turn) -> None:
        if turn.inbound.channel != "email":
            return
        mail_id = mail_id_of(turn.inbound.client_id)
        row = await turn.session.get(InboundMail, mail_id) if mail_id is not None else None
        if row is None or not row.reply_allowed or row.silent:
            return  # a machine, a loop or the rate limit: the turn's replies stay in the conversation
        if (row.thread or {}).get("answered"):
            return  # one answer per mail, even if its turn is run a second time
        held = await turn.session.get(OutboxMail, row.ack_outbox_id) if row.ack_outbox_id else None
        ack_gone = held is not None and held.status != "held"
        # When the plain acknowledgement already went (the turn came late), do not say it twice.
        texts = [r.text for r in turn.replies if r.author == "bot" and not (ack_gone and r.kind == "ack")]
        if not texts:
            return
        ticket = turn.ticket or turn.open_ticket
        await answer(turn.session, self.config, row, texts=texts, lang=turn.lang, conversation_id=turn.conv.id,
                     ticket_id=ticket.id if ticket else None, ticket_number=ticket.number if ticket else None)
        row.thread = {**(row.thread or {}), "answered": True}  # a new dict: JSON columns track assignment

    def finished(self, turn: Turn) -> None:
        if turn.inbound.channel == "email":
            self.wake_sender()  # committed: the sender may take it now
