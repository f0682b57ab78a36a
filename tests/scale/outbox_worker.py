"""A minimal outbox sender process for the multi-process test: claims due mails with
chatbot.outbox.claim_due, sends each to an SMTP server, marks it sent. `--die-after-claim` claims
one batch and exits at once without sending or releasing anything, as a killed process would.

    python -m tests.scale.outbox_worker DATABASE_URL SMTP_PORT WORKER [--die-after-claim]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import timedelta
from email.message import EmailMessage

import aiosmtplib
from sqlalchemy import func, select, update

from chatbot.db import create_engine, session_factory, utcnow
from chatbot.models import OutboxMail
from chatbot.outbox import claim_due

LEASE = timedelta(seconds=2)  # short, so the test sees a dead worker's claims expire


async def main(url: str, smtp_port: int, worker: str, die: bool) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            async with sessions() as s:
                batch = await claim_due(s, worker, limit=5, lease=LEASE)
            if die and batch:
                os._exit(1)  # claimed, never sent, never released
            for mail in batch:
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = "support@introserv.test", mail.to_addr, mail.subject
                msg["Message-ID"] = mail.message_id
                msg["X-Worker"] = worker
                msg.set_content(mail.body)
                await aiosmtplib.send(msg, hostname="127.0.0.1", port=smtp_port, timeout=10)
                async with sessions() as s, s.begin():
                    await s.execute(update(OutboxMail).where(OutboxMail.id == mail.id)
                                    .values(status="sent", sent_at=utcnow(), attempts=OutboxMail.attempts + 1))
            if not batch:
                async with sessions() as s:
                    left = await s.scalar(select(func.count()).select_from(OutboxMail)
                                          .where(OutboxMail.status == "pending"))
                if not left:
                    return
                await asyncio.sleep(0.2)  # the rest is claimed by others (or by a dead worker, for now)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("smtp_port", type=int)
    p.add_argument("worker")
    p.add_argument("--die-after-claim", action="store_true")
    a = p.parse_args()
    asyncio.run(main(a.url, a.smtp_port, a.worker, a.die_after_claim))
