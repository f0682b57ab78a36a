"""Arrival → acknowledgement time of the email channel, measured on real servers.

    .venv/bin/python -m tests.channels.email.bench_ack_latency [--mails 20] [--burst 20] [--pg URL]

A private Dovecot and an aiosmtpd relay on 127.0.0.1, the real app on SQLite (or PostgreSQL with
--pg); a mail is "arrived" when IMAP APPEND returns (what a delivery into the mailbox is) and
"acknowledged" when the relay has the whole acknowledgement. One at a time first (the latency a
customer sees on a quiet desk), then a burst delivered at once (a queue forming).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from email.utils import make_msgid
from pathlib import Path

from aiohttp import web

from chatbot.app import build_app
from chatbot.db import create_engine, session_factory
from chatbot.demo import load_demo_data
from chatbot.migrate import upgrade
from chatbot.settings import Settings
from tests.servers.dovecot import DovecotServer, install_dovecot
from tests.servers.smtp import SmtpServer

CUSTOMERS = ("Emily Carter <emily@carter-apps.example.com>", "Camille Dubois <camille.dubois@example.fr>",
             "Marek Kowalski <marek@kowalski-it.example.pl>", "Jonas Becker <jonas.becker@example.de>",
             "Lucía Martín <lucia.martin@example.es>")


def request(n: int) -> bytes:
    sender = CUSTOMERS[n % len(CUSTOMERS)]
    return (f"From: {sender}\r\nTo: support@introserv.com\r\nSubject: Server down ({n})\r\n"
            f"Message-ID: {make_msgid(domain='bench.example')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Hello, my server is completely down since this morning, nothing responds.\r\n").encode()


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    return (f"{name:>10}: n={len(values)}  median={statistics.median(values) * 1000:.0f} ms  "
            f"p90={p90 * 1000:.0f} ms  max={max(values) * 1000:.0f} ms")


async def main(mails: int, burst: int, database_url: str | None) -> None:
    binary = install_dovecot()
    assert binary, "dovecot is not installed"
    dovecot = DovecotServer(Path(tempfile.mkdtemp(prefix="dovecot-test-")), binary)
    dovecot.start()
    smtp = SmtpServer()
    smtp.start()
    url = database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    await upgrade(url)
    engine = create_engine(url)
    await load_demo_data(session_factory(engine))
    await engine.dispose()
    settings = Settings(database_url=url, secret_key="bench", imap_host=dovecot.host, imap_port=dovecot.port,
                        imap_user=dovecot.user, imap_password=dovecot.password, imap_tls=False,
                        smtp_host=smtp.host, smtp_port=smtp.port, smtp_tls="none",
                        email_auto_replies_per_hour=10_000, email_auto_replies_per_day=10_000)
    runner = web.AppRunner(build_app(settings))
    await runner.setup()
    try:
        await asyncio.sleep(1.0)  # the watcher logs in and enters IDLE
        quiet: list[float] = []
        for n in range(mails):
            arrived = await asyncio.to_thread(lambda n=n: (dovecot.append(request(n)), time.monotonic())[1])
            got = await smtp.wait_for(n + 1, timeout=30)
            quiet.append(got[n].at - arrived)
        start = len(smtp.messages)
        arrivals = []
        for n in range(burst):
            await asyncio.to_thread(dovecot.append, request(mails + n))
            arrivals.append(time.monotonic())
        got = await smtp.wait_for(start + burst, timeout=120)
        queued = [m.at - arrivals[i] for i, m in enumerate(got[start:start + burst])]
        print(summary("one by one", quiet))
        print(summary(f"burst of {burst}", queued))
    finally:
        await runner.cleanup()
        smtp.stop()
        dovecot.stop_quietly()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=20)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql+asyncpg://…) instead of SQLite")
    args = parser.parse_args()
    asyncio.run(main(args.mails, args.burst, args.pg))
