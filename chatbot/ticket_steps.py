"""Pipeline steps that keep a ticket's lifecycle in step with the conversation."""
from __future__ import annotations

from chatbot.identity import identify
from chatbot.pipeline import Step, Turn
from chatbot.tickets import set_status


def customer_answered(identity_secret: str, trusted_authserv_id: str | None = None) -> Step:
    """A ticket waiting for the customer is open again as soon as the customer writes: the ball is
    back with the desk and the SLA clocks run on. It runs before the agent-holds step, because the
    customer usually answers the very agent who asked, and that step ends the turn.

    Only the account holder moves a ticket: someone writing into an email thread from an unknown
    or unauthenticated address must not be able to stir it. The identity is checked here already
    (the verify-identity step comes after the agent-holds step, which ends the turn)."""

    async def step(turn: Turn) -> None:
        ticket = turn.open_ticket
        if ticket is None or ticket.status != "waiting":
            return
        customer, verified = turn.customer, turn.verified
        sender = turn.inbound.sender
        if sender.customer_ref is not None or sender.address is not None:
            customer, verified = await identify(turn.session, sender, identity_secret, trusted_authserv_id)
        if verified and customer is not None and customer.id == ticket.customer_id:
            await set_status(turn.session, ticket, "open", "customer", at=turn.inbound.received_at)
    return step
