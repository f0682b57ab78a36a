"""The outbox: emails queued inside the caller's transaction, delivered later by a sender task."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.db import utcnow
from chatbot.models import OutboxMail


def enqueue(session: AsyncSession, *, kind: str, to: str, subject: str, body: str,
            headers: dict[str, Any] | None = None, message_id: str | None = None,
            conversation_id: str | None = None, ticket_id: int | None = None) -> OutboxMail:
    """Add a mail to the outbox in the session's transaction (the caller commits)."""
    mail = OutboxMail(kind=kind, to_addr=to, subject=subject, body=body, headers=dict(headers or {}),
                      message_id=message_id, conversation_id=conversation_id, ticket_id=ticket_id,
                      status="pending", attempts=0, next_attempt_at=utcnow())
    session.add(mail)
    return mail


async def claim_due(session: AsyncSession, worker: str, *, now: datetime | None = None, limit: int = 20,
                    lease: timedelta = timedelta(seconds=60)) -> list[OutboxMail]:
    """Claim pending mails that are due and not claimed by a live worker. A claim is a conditional
    UPDATE, so two processes never send the same mail; a claim whose worker died expires."""
    now = now or utcnow()
    due = (await session.scalars(
        select(OutboxMail.id).where(
            OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .order_by(OutboxMail.next_attempt_at).limit(limit))).all()
    claimed: list[OutboxMail] = []
    for mail_id in due:
        result = await session.execute(
            update(OutboxMail).where(
                OutboxMail.id == mail_id, OutboxMail.status == "pending",
                or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
            .values(claimed_by=worker, claimed_until=now + lease))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            mail = await session.get(OutboxMail, mail_id, populate_existing=True)
            if mail is not None:
                claimed.append(mail)
    await session.commit()
    return claimed
