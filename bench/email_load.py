"""Email load benchmark: `--mails` messages placed in a real IMAP mailbox (a private Dovecot) are
ingested and acknowledged by `chatbot serve` process(es), with an aiosmtpd relay receiving the
acknowledgements. Reports mails/s, arrival → acknowledgement-sent latency (p50/p95/p99), and checks
that every mail is acknowledged, none twice (exit status 1 otherwise). Everything on 127.0.0.1, every wait bounded.

    .venv/bin/python bench/email_load.py                         # 1,000 mails, one process, PostgreSQL
    .venv/bin/python bench/email_load.py --processes 2 --kill-holder-after 300

A mail has "arrived" when IMAP APPEND returns (what a delivery into the mailbox is; one IMAP
connection appends them back to back), and is "acknowledged" when the relay has received the mail
answering it (In-Reply-To). With --kill-holder-after N, the process holding the mailbox lease is
killed (SIGKILL) once N acknowledgements have been sent: another process takes the mailbox over.
Uses the Dovecot and SMTP helpers of the test suite (tests/servers/).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import sys
import tempfile
import threading
import time
from email.utils import make_msgid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chatbot.db import create_engine, session_factory
from chatbot.demo import load_demo_data
from chatbot.leases import current_holder
from chatbot.migrate import upgrade
from tests.scale.cluster import REDIS_URL, Cluster, create_database, drop_database, redis_available
from tests.servers.dovecot import DovecotServer, install_dovecot
from tests.servers.smtp import SmtpServer

TEXTS = [  # what customers write to support@, in five languages
    ("Server down", "Hello, my server is completely down since this morning, nothing responds."),
    ("Serveur en panne", "Bonjour, mon VPS ne répond plus depuis 8h, pouvez-vous regarder ?"),
    ("Faktura", "Dzień dobry, proszę o korektę faktury za ostatni miesiąc."),
    ("Horario", "Hola, ¿cuál es el horario del equipo de facturación?"),
    ("Frage", "Guten Tag, wie lange dauert die Antwort auf ein Ticket?"),
]


def request(n: int) -> tuple[str, bytes]:
    subject, body = TEXTS[n % len(TEXTS)]
    message_id = make_msgid(domain="bench.example")
    raw = (f"From: Customer {n} <customer{n}@bench.example>\r\nTo: support@introserv.com\r\n"
           f"Subject: {subject} ({n})\r\nMessage-ID: {message_id}\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()
    return message_id, raw


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))] if ordered else math.nan


def append_all(dovecot: DovecotServer, mails: list[tuple[str, bytes]], arrived: dict[str, float],
               failed: list[BaseException]) -> None:
    """One IMAP connection appends every mail; each one's arrival is when its APPEND returned."""
    try:
        client = dovecot.connect()
        try:
            for message_id, raw in mails:
                typ, data = client.append("INBOX", None, None, raw)
                assert typ == "OK", data
                arrived[message_id] = time.monotonic()
        finally:
            client.logout()
    except BaseException as exc:  # noqa: BLE001 — handed to the main thread, which stops the run
        failed.append(exc)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    binary = install_dovecot()
    if not binary:
        raise SystemExit("dovecot is not installed (apt-get install dovecot-imapd)")
    work = Path(tempfile.mkdtemp(prefix="email-load-"))
    work.chmod(0o755)  # Dovecot's own users must reach its files below
    dovecot = DovecotServer(work / "dovecot", binary)
    dovecot.start()
    smtp = SmtpServer()
    smtp.start()
    if args.db == "postgresql":
        url = await create_database("chatbot_email_bench")
    else:
        url = f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}"
        await upgrade(url)
    engine = create_engine(url)
    await load_demo_data(session_factory(engine))
    redis = REDIS_URL if args.processes > 1 and not await redis_available() else ""
    cluster = Cluster(
        url, work, args.processes, redis_url=redis,
        CHATBOT_IMAP_HOST=dovecot.host, CHATBOT_IMAP_PORT=str(dovecot.port), CHATBOT_IMAP_USER=dovecot.user,
        CHATBOT_IMAP_PASSWORD=dovecot.password, CHATBOT_IMAP_TLS="false",
        CHATBOT_SMTP_HOST=smtp.host, CHATBOT_SMTP_PORT=str(smtp.port), CHATBOT_SMTP_TLS="none",
        # 1,000 different customers, each writing once: no per-address auto-reply limit is reached
        CHATBOT_EMAIL_AUTO_REPLIES_PER_HOUR="100000", CHATBOT_EMAIL_AUTO_REPLIES_PER_DAY="100000",
        CHATBOT_EMAIL_MAILBOX_LEASE_SECONDS=str(args.lease_seconds),
    )
    report: dict[str, Any] = {"command": " ".join([Path(sys.executable).name, *sys.argv]),
                              "mails": args.mails, "processes": args.processes, "db": args.db,
                              "loadavg_at_start": os.getloadavg()}
    try:
        cluster.start()
        await asyncio.sleep(2.0)  # the lease holder logs in to IMAP and enters IDLE
        mails = [request(n) for n in range(args.mails)]
        arrived: dict[str, float] = {}
        cpu0 = [s.cpu_seconds() for s in cluster.servers]
        start = time.monotonic()
        failed: list[BaseException] = []
        appender = threading.Thread(target=append_all, args=(dovecot, mails, arrived, failed), daemon=True)
        appender.start()
        killed: dict[str, Any] = {}
        deadline = start + args.timeout
        answered: set[str] = set()
        seen = 0
        last_progress = time.monotonic()
        while time.monotonic() < deadline:
            if failed:
                raise RuntimeError(f"IMAP APPEND failed: {failed[0]!r}")
            # Only the new ones: re-reading every received mail's headers 20 times a second took
            # most of a core, on the two cores the servers under test share.
            received_so_far = smtp.messages
            answered.update(str(m.message["In-Reply-To"]) for m in received_so_far[seen:])
            if len(received_so_far) > seen:
                last_progress = time.monotonic()
            elif len(arrived) >= args.mails and time.monotonic() - last_progress > args.give_up_after:
                break  # e.g. an acknowledgement a killed process was handing over: left to an operator
            seen = len(received_so_far)
            if len(answered & set(arrived.copy())) >= args.mails:
                break
            if args.kill_holder_after and not killed and len(answered) >= args.kill_holder_after:
                holder = await current_holder(session_factory(engine), "mailbox:INBOX")
                pid = int(holder.holder.split(":")[1]) if holder else 0
                victim = next((s for s in cluster.servers if s.alive() and s.pid == pid), None)
                if victim is not None:
                    os.kill(victim.pid, signal.SIGKILL)
                    killed = {"process": victim.name, "at_acknowledged": len(answered),
                              "at": time.monotonic() - start}
            await asyncio.sleep(0.05)
        appender.join(timeout=60)
        elapsed = time.monotonic() - start
        received = smtp.messages
        first: dict[str, float] = {}
        count: dict[str, int] = {}
        for m in received:
            ref = str(m.message["In-Reply-To"])
            count[ref] = count.get(ref, 0) + 1
            first[ref] = min(first.get(ref, math.inf), m.at)
        latencies = [first[mid] - arrived[mid] for mid in arrived if mid in first]
        last_ack = max((first[mid] for mid in arrived if mid in first), default=start)
        report.update({
            "appended": len(arrived), "append_seconds": round(max(arrived.values(), default=start) - start, 2),
            "acknowledged": len(latencies), "not_acknowledged": len(arrived) - len(latencies),
            "acknowledged_twice": sum(1 for mid in arrived if count.get(mid, 0) > 1),
            "mails_per_second": round(len(latencies) / max(1e-9, last_ack - start), 1),
            "latency_ms": {f"p{p}": round(percentile(latencies, p) * 1000) for p in (50, 95, 99)}
            | {"max": round(max(latencies, default=math.nan) * 1000)},
            "server_cpu_ms_per_mail": round(1000 * sum(
                s.cpu_seconds() - c for s, c in zip(cluster.servers, cpu0) if s.alive()) / max(1, len(latencies)), 1),
            "seconds": round(elapsed, 1), "killed": killed or None,
            # in arrival order: (arrival, acknowledgement) seconds after the first APPEND
            "timeline": [(round(arrived[mid] - start, 2), round(first[mid] - start, 2) if mid in first else None)
                         for mid, _ in mails if mid in arrived] if args.timeline else None,
        })
    finally:
        cluster.stop()
        await engine.dispose()
        smtp.stop()
        dovecot.stop_quietly()
        if args.db == "postgresql":
            await drop_database(url)
    report["loadavg_at_end"] = os.getloadavg()
    return report


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mails", type=int, default=1000)
    p.add_argument("--processes", type=int, default=1)
    p.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    p.add_argument("--lease-seconds", type=int, default=5, help="CHATBOT_EMAIL_MAILBOX_LEASE_SECONDS")
    p.add_argument("--kill-holder-after", type=int, default=0, metavar="N",
                   help="SIGKILL the mailbox lease holder after N acknowledgements (needs --processes >= 2)")
    p.add_argument("--timeout", type=float, default=900.0, help="give up after this many seconds")
    p.add_argument("--give-up-after", type=float, default=90.0, metavar="S",
                   help="stop when no acknowledgement came for this many seconds after the last APPEND")
    p.add_argument("--json", type=Path)
    p.add_argument("--timeline", action="store_true", help="every mail's arrival and acknowledgement in the JSON")
    arguments = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the servers are stopped on the way out
    result = asyncio.run(main(arguments))
    print(json.dumps({k: v for k, v in result.items() if k != "timeline"}, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2))
    sys.exit(0 if result.get("not_acknowledged") == 0 and result.get("acknowledged_twice") == 0 else 1)
