"""A `chatbot serve` process killed (SIGKILL) in the middle of a turn: the acknowledged message is
still stored after the restart, and its unfinished turn is resumed by the new process on its own.

On PostgreSQL the kill lands truly mid-turn: the test holds the conversation's turn lock, so the
turn is stored and acknowledged but stuck before its first reply when the process dies. SQLite
serialises writers, so there the state a kill leaves (message stored, no reply) is written while
the server is down, exactly as the store writes it."""
from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from chatbot.conversations import ConversationStore
from chatbot.db import utcnow
from chatbot.turn_locks import _turn_key
from chatbot.messages import InboundMessage
from chatbot.settings import Settings
from tests.servers.chatbot import ChatbotServe

SECRET = "kill-test-secret-key-0123456789"
QUESTION = "what email address can I write to for support?"


def server_env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "CHATBOT_DATABASE_URL": settings.database_url, "CHATBOT_SECRET_KEY": SECRET,
            "CHATBOT_IDENTITY_SECRET": settings.identity_secret, "CHATBOT_TURN_RETRY_AFTER": "1",
            "CHATBOT_LOG_LEVEL": "INFO"}


@pytest.fixture
async def serve(settings: Settings, sessions: Any, tmp_path: Path) -> AsyncIterator[Callable[[], ChatbotServe]]:
    made: list[ChatbotServe] = []

    def make() -> ChatbotServe:
        made.append(ChatbotServe(server_env(settings), tmp_path))
        return made[-1]

    yield make
    for server in made:
        await server.stopped()


async def answered(v: Any) -> list[dict[str, Any]]:
    """The conversation once the resumed turn has answered (live, or in the history if it ran first)."""
    for _ in range(200):
        messages = (await v.call("history", {}))["messages"]
        if any(m["kind"] == "answer" and "support@introserv.com" in m["text"] for m in messages):
            return messages
        await v.settle(0.1)
    raise AssertionError(f"the unfinished turn was never resumed: {messages}")


async def test_a_process_killed_mid_turn_resumes_the_turn_after_restart(serve, visitors, settings, sessions) -> None:
    first = serve()
    await first.serve()
    v = visitors(first.url)
    await v.connect(locale="en")
    conversation, token = v.session["conversation_id"], v.session["token"]
    assert "id" in await v.call("message", {"text": "hello"})
    await v.wait_for(lambda: len(v.messages("answer")) == 1)

    if settings.is_sqlite:
        await first.killed()
        await ConversationStore(sessions).accept(InboundMessage(
            channel="chat", conversation_id=conversation, text=QUESTION, received_at=utcnow()))
    else:
        admin = await asyncpg.connect(settings.database_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await admin.execute("SELECT pg_advisory_lock($1)", _turn_key(conversation))
            ack = await v.call("message", {"text": QUESTION})
            assert "id" in ack, "acknowledged: stored before the bot thinks"
            for _ in range(500):  # the turn is now waiting for its lock, with nothing said yet
                if await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                        " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"):
                    break
                await asyncio.sleep(0.02)
            await first.killed()
        finally:
            await admin.close()
    assert first.proc is not None and first.proc.returncode == -signal.SIGKILL

    second = serve()
    await second.serve()
    again = visitors(second.url)
    await again.connect(token=token)
    assert again.session["resumed"] and again.session["conversation_id"] == conversation
    messages = await answered(again)
    customer = [m["text"] for m in messages if m["author"] == "customer"]
    assert customer == ["hello", QUESTION], "both messages survived the kill, each once"
    assert [m["kind"] for m in messages].count("ack") == 1, "acknowledged once per conversation"

    resumed = [line for line in second.log_lines() if line["message"] == "resuming an unfinished turn"]
    assert resumed and resumed[0]["conversation_id"] == conversation, "the log says which conversation"
    assert SECRET not in second.log_path.read_text(), "the secret key never reaches the log"
