"""`chatbot mail list` and `chatbot mail rerun`: what the operator does with mail the bot could not take.

A mail whose processing failed three times is kept as "unprocessable" with its reason; once the cause
is fixed (a bug, a database outage), `rerun` puts it back in the queue, and the running server (or
the next start) processes it like new — without a second acknowledgement, which is keyed to the mail.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sqlalchemy import select

from chatbot.db import create_engine, session_factory
from chatbot.mail_store import InboundMail, count_by_status, rerun
from chatbot.settings import Settings

STATUSES = ("received", "routed", "processed", "ignored", "oversized", "unprocessable")


def register(sub: Any) -> None:
    mail = sub.add_parser("mail", help="mail taken in by the email channel")
    commands = mail.add_subparsers(dest="mail_command", required=True)
    listing = commands.add_parser("list", help="stored mails (default: the unprocessable ones)")
    listing.add_argument("--status", choices=STATUSES, default="unprocessable")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(run=_list)
    again = commands.add_parser("rerun", help="process unprocessable mails again")
    target = again.add_mutually_exclusive_group(required=True)
    target.add_argument("id", nargs="?", type=int, help="the mail's id (see `chatbot mail list`)")
    target.add_argument("--all", action="store_true", help="every unprocessable mail")
    again.set_defaults(run=_rerun)


def _list(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> tuple[list[InboundMail], dict[str, int]]:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as s:
                rows = (await s.scalars(select(InboundMail).where(InboundMail.status == args.status)
                                        .order_by(InboundMail.id.desc()).limit(args.limit))).all()
                return list(rows), await count_by_status(s)
        finally:
            await engine.dispose()

    rows, counts = asyncio.run(run())
    print("  ".join(f"{status}: {counts.get(status, 0)}" for status in STATUSES))
    for row in rows:
        print(f"{row.id}\t{row.received_at:%Y-%m-%d %H:%M:%S}\t{row.from_addr or '-'}\t{(row.subject or '')[:60]}"
              f"\t{row.reason or ''}")
    return 0


def _rerun(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as s:
                return await rerun(s, None if args.all else args.id)
        finally:
            await engine.dispose()

    count = asyncio.run(run())
    if count == 0:
        print("no unprocessable mail matched", file=sys.stderr)
        return 1
    print(f"{count} mail(s) queued again; the running server processes them within seconds")
    return 0
