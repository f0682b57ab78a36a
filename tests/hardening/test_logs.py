"""Structured logs: one JSON object per line, the conversation it is about, and never a secret."""
from __future__ import annotations

import io
import json
import logging
import uuid

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from chatbot.logs import add_fields, bind, configure

SECRET = "s3cret-identity-key-0123456789"


@pytest.fixture
def logged() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.propagate = False
    configure("DEBUG", secrets=(SECRET,), stream=stream, logger=logger)
    return logger, stream


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_lines_carry_the_conversation_and_ticket_of_their_turn(logged) -> None:
    log, stream = logged
    with bind(conversation_id="c-1", channel="chat"):
        log.info("turn started")
        add_fields(ticket="T-000042")
        log.warning("ticket opened")
    log.info("outside any turn")
    first, second, third = lines(stream)
    assert first["conversation_id"] == "c-1" and first["channel"] == "chat" and "ticket" not in first
    assert second["ticket"] == "T-000042" and second["level"] == "WARNING"
    assert "conversation_id" not in third and "ticket" not in third


def test_secrets_never_reach_the_log(logged) -> None:
    log, stream = logged
    log.info("IMAP login as support@introserv.com with password=hunter2-imap failed")
    log.info("connecting to %s", "postgresql://chatbot:db-pa55word@10.0.0.5/chatbot")
    log.info("settings", extra={"smtp_password": "smtp-pa55", "identity_secret": "x" * 20, "port": 587})
    log.info("header Authorization: Bearer abcdefghijklmnop123 from client")
    log.info("the configured key %s leaked into a message", SECRET)
    log.info('payload {"customer_hash": "deadbeefcafe", "token": "abc.def"}')
    try:
        raise RuntimeError(f"login refused for secret {SECRET}")
    except RuntimeError:
        log.exception("mail check failed")
    text = stream.getvalue()
    for leaked in ("hunter2-imap", "db-pa55word", "smtp-pa55", "x" * 20, "abcdefghijklmnop123", SECRET,
                   "deadbeefcafe", "abc.def"):
        assert leaked not in text, leaked
    entries = lines(stream)
    assert entries[2]["port"] == 587 and entries[2]["smtp_password"] == "***"
    assert "chatbot:***@10.0.0.5" in entries[1]["message"], "the rest of the line stays useful"
    assert entries[-1]["exception"].startswith("Traceback")


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_no_customer_text_can_forge_a_log_line(text: str) -> None:
    stream = io.StringIO()
    logger = logging.getLogger("test.logs.forge")
    logger.propagate = False
    configure("INFO", stream=stream, logger=logger)
    forged = text + '\n{"level": "ERROR", "message": "admin logged in"}\r\n'
    with bind(conversation_id="c-9"):
        logger.info("customer wrote: %s", forged)
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["conversation_id"] == "c-9" and entry["level"] == "INFO"
    assert entry["message"].startswith("customer wrote: ")



async def test_a_turn_that_opens_a_ticket_logs_both_ids(make_app, visitors) -> None:
    from chatbot.identity import sign_customer
    from tests.conftest import IDENTITY_SECRET

    stream = io.StringIO()
    logger = logging.getLogger("chatbot.operations")
    saved = logger.handlers[:], logger.propagate, logger.level
    configure("INFO", stream=stream, logger=logger)
    try:
        running = await make_app()
        v = visitors(running.url)
        await v.connect(locale="en", customer_id="C1001",
                        customer_hash=sign_customer("C1001", IDENTITY_SECRET))
        await v.call("message", {"text": "my server has been completely down since 10:00"})
        await v.wait_for(lambda: len(v.tickets()) == 1)
    finally:
        logger.handlers[:], logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
    [entry] = [e for e in lines(stream) if e["message"] == "ticket opened"]
    assert entry["ticket"] == v.tickets()[0]["number"]
    assert entry["conversation_id"] == v.session["conversation_id"] and entry["channel"] == "chat"
