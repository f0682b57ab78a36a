"""Which conversation a mail continues: our signed Message-IDs first, then the ticket tag — the tag
only when the customer of that ticket wrote it, since anybody can type "[#T-000123]" in a subject."""
from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.channels.email.parsing import ParsedMail
from chatbot.channels.email.thread_ids import conversation_from_headers, ticket_number_from_subject
from chatbot.models import Conversation, Customer, Ticket


async def find_conversation(session: AsyncSession, mail: ParsedMail, secret: bytes,
                            domain: str) -> tuple[str | None, str]:
    """(conversation id or None for a new one, how it was found)."""
    found = conversation_from_headers(mail.in_reply_to, mail.references, secret, domain)
    if found is not None and await session.get(Conversation, found) is not None:
        return found, "headers"
    number = ticket_number_from_subject(mail.subject)
    if number is not None and mail.from_addr:
        ticket = await session.scalar(select(Ticket).where(Ticket.number == number))
        if ticket is not None and await _is_ticket_customer(session, ticket, mail.from_addr):
            return ticket.conversation_id, "ticket tag"
    return None, "new"


async def _is_ticket_customer(session: AsyncSession, ticket: Ticket, address: str) -> bool:
    if ticket.customer_id is not None:
        customer = await session.get(Customer, ticket.customer_id)
        if customer is not None and address.lower() in customer.addresses():
            return True
    conversation = await session.get(Conversation, ticket.conversation_id)
    return conversation is not None and (conversation.contact or "").lower() == address.lower()


async def customer_of(session: AsyncSession, address: str | None) -> Customer | None:
    """The customer whose registered address this is (any of their notification addresses)."""
    if not address:
        return None
    found = (await session.scalars(select(Customer).where(or_(
        Customer.email == address, Customer.notify_invoices == address,
        Customer.notify_support == address, Customer.notify_abuse == address)).limit(2))).all()
    return found[0] if len(found) == 1 else None


def new_conversation_id(mail_key: str) -> str:
    """Derived from the mail, so processing the same mail again after a crash finds the same
    conversation instead of opening a second one."""
    return uuid.UUID(hex=mail_key[:32]).hex
