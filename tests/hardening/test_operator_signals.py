"""What the on-call engineer sees: liveness, readiness per dependency, and Prometheus metrics that
move when customers write, tickets open and the outbox fills."""
from __future__ import annotations

from datetime import timedelta

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from chatbot.db import utcnow
from chatbot.identity import sign_customer
from chatbot.outbox import enqueue
from tests.conftest import IDENTITY_SECRET
from tests.servers._common import free_port
from tests.servers.smtp import SmtpServer


async def get_json(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(url) as r:
        return r.status, await r.json()


async def scrape(url: str, headers: dict[str, str] | None = None) -> dict[tuple[str, tuple], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics", headers=headers or {}) as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/plain")
        text = await r.text()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_alive_and_ready_with_the_database(server: str) -> None:
    assert await get_json(f"{server}/healthz") == (200, {"status": "ok"})
    status, body = await get_json(f"{server}/readyz")
    assert status == 200 and body["status"] == "ready"
    assert set(body["checks"]) == {"database"}, "mail servers are checked only when configured"
    assert body["checks"]["database"]["status"] == "ok"


async def test_not_ready_while_the_database_is_unreachable(make_app) -> None:
    dead = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    running = await make_app(database_url=dead)
    assert (await get_json(f"{running.url}/healthz"))[0] == 200, "alive: restarting would not help"
    status, body = await get_json(f"{running.url}/readyz")
    assert status == 503 and body["status"] == "not ready"
    assert body["checks"]["database"]["status"] == "fail" and body["checks"]["database"]["error"]


async def test_readiness_follows_the_mail_servers_down_and_back(make_app, dovecot) -> None:
    smtp = SmtpServer()
    smtp.start()
    try:
        running = await make_app(imap_host=dovecot.host, imap_port=dovecot.port, imap_tls=False,
                                 imap_user=dovecot.user, imap_password=dovecot.password,
                                 smtp_host=smtp.host, smtp_port=smtp.port, smtp_tls="none")
        status, body = await get_json(f"{running.url}/readyz")
        assert status == 200, body
        assert {k: v["status"] for k, v in body["checks"].items()} == {"database": "ok", "imap": "ok", "smtp": "ok"}

        smtp.stop()
        dovecot.stop()
        status, body = await get_json(f"{running.url}/readyz")
        assert status == 503
        assert {k: v["status"] for k, v in body["checks"].items()} == {"database": "ok", "imap": "fail", "smtp": "fail"}
        assert dovecot.password not in str(body)

        smtp.start()
        dovecot.start()
        status, body = await get_json(f"{running.url}/readyz")
        assert status == 200, body
    finally:
        smtp.stop()


async def test_metrics_follow_a_conversation_that_opens_a_ticket(server: str, visitor, sessions) -> None:
    v = visitor()
    # A customer logged into the client area (tickets are opened for identified customers).
    await v.connect(locale="en", customer_id="C1001", customer_hash=sign_customer("C1001", IDENTITY_SECRET))
    await v.say("my server has been completely down since 10:00")
    await v.wait_for(lambda: len(v.tickets()) == 1 and len(v.messages("question")) >= 1)
    async with sessions() as s:
        enqueue(s, kind="reply", to="camille@example.com", subject="Re: down", body="…").created_at = \
            utcnow() - timedelta(minutes=5)
        await s.commit()

    m = await scrape(server)
    chat = (("channel", "chat"),)
    assert m[("chatbot_messages_in_total", chat)] == 1
    assert m[("chatbot_ack_seconds_count", chat)] == 1
    assert m[("chatbot_reply_seconds_count", chat)] == 1, "the first answer of the turn, once"
    assert m[("chatbot_ack_seconds_bucket", (("channel", "chat"), ("le", "60.0")))] == 1, "acknowledged within a minute"
    assert m[("chatbot_messages_out_total", (("author", "bot"), ("channel", "chat")))] == len(v.messages())
    ticket = v.tickets()[0]
    assert m[("chatbot_tickets_opened_total", (("channel", "chat"), ("priority", ticket["priority"]),
                                                ("team", ticket["team"])))] == 1
    assert m[("chatbot_tickets_open", (("priority", ticket["priority"]), ("team", ticket["team"])))] == 1
    assert m[("chatbot_connected_visitors", ())] == 1
    assert m[("chatbot_outbox_pending", ())] == 1 and m[("chatbot_outbox_oldest_age_seconds", ())] >= 290
    # One customer message: stored by one group commit of one (a quiet server waits for no batch).
    assert m[("chatbot_db_batch_size_count", (("kind", "accepts"),))] == 1
    assert m[("chatbot_db_batch_size_sum", (("kind", "accepts"),))] == 1

    await v.close()
    await v.settle(0.2)
    assert (await scrape(server))[("chatbot_connected_visitors", ())] == 0


async def test_unprocessable_mails_are_counted(server: str, sessions) -> None:
    from chatbot.mail_store import store_raw

    assert (await scrape(server))[("chatbot_unprocessable_mails", ())] == 0
    for uid, status in ((1, "unprocessable"), (2, "unprocessable"), (3, "received")):
        await store_raw(sessions, key=f"k{uid}", message_id=None, content_hash=None, raw=b"x", size=1,
                        mailbox="INBOX", uidvalidity=1, uid=uid, status=status)
    assert (await scrape(server))[("chatbot_unprocessable_mails", ())] == 2


async def test_hooks_for_the_sla_clock_and_agents(make_app) -> None:
    running = await make_app()
    metrics = running.ops.metrics
    metrics.sla_warning("billing", "regular")
    metrics.sla_breach("billing", "regular")
    metrics.sla_breach("billing", "regular")
    metrics.agent_connected()
    m = await scrape(running.url)
    labels = (("priority", "regular"), ("team", "billing"))
    assert m[("chatbot_sla_warnings_total", labels)] == 1 and m[("chatbot_sla_breaches_total", labels)] == 2
    assert m[("chatbot_connected_agents", ())] == 1


async def test_metrics_are_not_served_to_the_internet(make_app) -> None:
    running = await make_app(trusted_proxies="127.0.0.1")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{running.url}/metrics", headers={"X-Forwarded-For": "203.0.113.5"}) as r:
            assert r.status == 404
        async with http.get(f"{running.url}/metrics", headers={"X-Forwarded-For": "10.1.2.3"}) as r:
            assert r.status == 200, "the Prometheus server on the private network"


async def test_the_database_pool_is_visible(make_app) -> None:
    from chatbot.app import PIPELINE

    running = await make_app(database_pool_size=7)  # PostgreSQL's; SQLite keeps SQLAlchemy's default
    engine = running.app[PIPELINE].sessions.kw["bind"]
    held = [await engine.connect() for _ in range(3)]  # three turns in flight
    try:
        for conn in held:
            await conn.exec_driver_sql("SELECT 1")
        m = await scrape(running.url)
        assert m[("chatbot_db_pool_size", ())] == (7 if engine.dialect.name == "postgresql" else 5)
        assert m[("chatbot_db_connections", (("state", "in_use"),))] >= 3
    finally:
        for conn in held:
            await conn.close()
    m = await scrape(running.url)
    assert m[("chatbot_db_connections", (("state", "idle"),))] >= 3, "returned, and kept open for the next"
