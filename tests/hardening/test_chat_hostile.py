"""Hostile clients on /chat: random payload shapes, forged reserved events, injection attempts.

Whatever a client sends, the server answers with an acknowledgement or a known error, stores a
message only when it acknowledged one (nothing half-stored), and the connection keeps working.
Hypothesis runs in a worker thread and drives the real client on the test's event loop."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socketio import packet
from sqlalchemy import inspect, select

from chatbot.identity import sign_customer
from chatbot.models import Conversation, Customer
from tests.hardening.conftest import UNLIMITED, ForwardedVisitor

KNOWN_ERRORS = {"invalid_payload", "empty_text", "text_too_long", "invalid_client_id", "unknown_event",
                "rate_limited", "internal"}
# NUL and other control characters are drawn on purpose: PostgreSQL refuses NUL in text.
tricky_text = st.one_of(st.text(max_size=50), st.sampled_from(["\x00", "a\x00b", "\u2028", "\ud7ff\ue000", " \t\n"]))
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), tricky_text)
json_any = st.recursive(json_leaf, lambda c: st.one_of(st.lists(c, max_size=4),
                                                        st.dictionaries(st.text(max_size=10), c, max_size=4)),
                        max_leaves=12)
message_like = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=120), tricky_text, json_any, st.just("x" * 4001))},
    optional={"client_id": st.one_of(st.text(max_size=70), tricky_text, json_any), "conversation_id": st.text(max_size=40),
              "author": st.sampled_from(["bot", "agent", "system"]), "extra": json_any})
payloads = st.one_of(st.none(), json_any, st.binary(max_size=40), message_like, message_like, message_like)
events = st.one_of(st.sampled_from(["message", "message", "message", "history", "typing", "read"]),
                   st.text(max_size=20))


def on_loop(loop: asyncio.AbstractEventLoop) -> Callable[[Any], Any]:
    """Run a coroutine on the test's loop from Hypothesis's thread, with a deadline (hang detector)."""
    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)
    return run


async def test_random_payloads_never_half_store_and_never_break_the_connection(make_app, visitors) -> None:
    running = await make_app(**UNLIMITED)
    v: ForwardedVisitor = visitors(running.url)
    await v.connect(locale="en")
    run = on_loop(asyncio.get_running_loop())
    stored: dict[int, str] = {}

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(event=events, payload=payloads)
    def fuzz(event: str, payload: Any) -> None:
        ack = run(v.client.call(event, payload, namespace="/chat", timeout=10))
        assert isinstance(ack, dict), ack
        if "error" in ack:
            assert ack["error"]["code"] in KNOWN_ERRORS and ack["error"]["message"], ack
            assert ack["error"]["code"] != "internal", f"{event!r} {payload!r} crashed a handler"
        elif event == "message":
            assert isinstance(payload, dict) and isinstance(payload["text"], str)
            sent = payload["text"].replace("\x00", "").strip()
            if ack["duplicate"]:  # the same client_id again is a retry: the first message stands
                assert ack["id"] in stored
            else:
                assert ack["id"] not in stored
                stored[ack["id"]] = sent

    await asyncio.to_thread(fuzz)
    history = await v.call("history", {})
    customer = {m["id"]: m["text"] for m in history["messages"] if m["author"] == "customer"}
    assert customer == stored, "exactly the acknowledged messages are stored, each once, verbatim"
    assert v.client.connected and "id" in await v.call("message", {"text": "still there?"})


async def test_forged_connect_and_disconnect_events_change_nothing(make_app, visitors) -> None:
    running = await make_app(chat_messages_per_minute=0.01, chat_message_burst=3)
    v = visitors(running.url)
    await v.connect(locale="en")
    conversation = v.session["conversation_id"]
    c = v.client
    for name, data in (("disconnect", ["transport close"]), ("connect", [{"REMOTE_ADDR": "1.2.3.4"}, {}])):
        await c._send_packet(c.packet_class(packet.EVENT, namespace="/chat", data=[name, *data], id=7))
    assert (await v.call("history", {}))["conversation_id"] == conversation
    assert [n for n, _ in v.events].count("session") == 1, "a forged connect did not start a second conversation"
    assert [await v.call("message", {"text": f"hi {i}"}) for i in range(3)][-1]["error"]["code"] == "rate_limited", \
        "a forged disconnect did not reset the connection's allowance"


INJECTIONS = ["'; DROP TABLE messages; --", "\" OR \"1\"=\"1", "1); DELETE FROM conversations; --",
              "%' OR 1=1 --", "\\'; SELECT pg_sleep(10); --", "Robert'); DROP TABLE customers;--",
              "<script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>",
              "line\r\nBcc: victim@example.com\r\nSubject: spam", "{{7*7}} ${7*7} %s%n", "\x00\x01\x1b[31m"]


async def test_injection_attempts_are_stored_as_text_and_nothing_else(make_app, visitors, sessions) -> None:
    running = await make_app(**UNLIMITED)
    for attempt in INJECTIONS:
        v = visitors(running.url)
        await v.connect(locale=attempt, customer_id=attempt, customer_hash=attempt, token=attempt + ".x")
        printable = "".join(ch for ch in attempt if ch.isprintable())[:64]
        ack = await v.call("message", {"text": f"help {attempt}", "client_id": printable})
        if attempt != printable:
            refused = await v.call("message", {"text": "x", "client_id": attempt})
            assert refused["error"]["code"] == "invalid_client_id", "control characters make no id"
        assert "id" in ack, (attempt, ack)
        history = await v.call("history", {"conversation_id": "' OR 1=1 --"})
        sent = f"help {attempt}".replace("\x00", "").strip()
        assert [m["text"] for m in history["messages"] if m["author"] == "customer"] == [sent]
        await v.wait_for(lambda v=v: len(v.messages()) >= 1)
        assert all(m["author"] != "customer" for m in v.messages())
    async with sessions() as s:
        tables = await s.run_sync(lambda sync: set(inspect(sync.connection()).get_table_names()))
        assert {"messages", "conversations", "customers"} <= tables
        assert len((await s.scalars(select(Customer))).all()) >= 1, "the demo customers are still there"
        verified = (await s.scalars(select(Conversation).where(Conversation.verified.is_(True)))).all()
        assert verified == [], "no injected id or hash verified anybody"


async def test_a_signed_identity_still_works_beside_the_attempts(make_app, visitors) -> None:
    running = await make_app(**UNLIMITED)
    v = visitors(running.url)
    await v.connect(locale="en", customer_id="C1001", customer_hash=sign_customer("C1001", "client-area-shared-secret"))
    assert "id" in await v.call("message", {"text": "hello"})
