"""Several `chatbot serve` processes as one service: one PostgreSQL database, one Redis, visitors
spread over the processes as a load balancer with sticky sessions would spread them.

What a visitor notices: a reply reaches every tab of the conversation whichever process it is
connected to; when a process is killed (kill -9, no goodbye) the widget reconnects with its resume
token to another process, resends what was not acknowledged, and the conversation's history has
every message exactly once with an answer to each."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio

from tests.conftest import ChatVisitor
from tests.scale.cluster import REDIS_URL, Cluster

TEXTS = [  # each gets an answer from the bot, in five languages
    "hello", "What are the opening hours of your billing team?", "How can I contact support by phone?",
    "bonjour", "Combien de temps pour une réponse à un ticket ?", "Jak mogę się z wami skontaktować?",
    "¿Cuánto tarda la respuesta a un ticket?", "Wie lange dauert die Antwort auf ein Ticket?",
    "thank you very much", "dziękuję bardzo",
]


def make_cluster(scale_database: str, tmp_path: Path, processes: int) -> Iterator[Cluster]:
    # Turns cut short by the kill are finished by a live process after 5 s instead of a minute.
    cluster = Cluster(scale_database, tmp_path, processes, redis_url=REDIS_URL, CHATBOT_TURN_RETRY_AFTER="5",
                      CHATBOT_LOG_LEVEL="INFO")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def two_processes(scale_database: str, tmp_path: Path) -> Iterator[Cluster]:
    yield from make_cluster(scale_database, tmp_path, 2)


@pytest.fixture
def three_processes(scale_database: str, tmp_path: Path) -> Iterator[Cluster]:
    yield from make_cluster(scale_database, tmp_path, 3)


@pytest.fixture
async def tabs() -> AsyncIterator[Callable[[str], ChatVisitor]]:
    made: list[ChatVisitor] = []

    def make(url: str) -> ChatVisitor:
        made.append(ChatVisitor(url))
        return made[-1]

    yield make
    for v in made:
        await v.close()


def answers(v: ChatVisitor) -> list[dict[str, Any]]:
    return [m for m in v.messages() if m["author"] == "bot" and m["kind"] != "ack"]


async def test_a_reply_reaches_the_visitors_tabs_on_every_process(
        two_processes: Cluster, tabs: Callable[[str], ChatVisitor]) -> None:
    a, b = two_processes.urls
    on_a = tabs(a)
    await on_a.connect(locale="en")
    await on_a.say("hello")
    await on_a.wait_for(lambda: len(answers(on_a)) == 1)

    on_b = tabs(b)  # the same visitor in a second tab, which the load balancer sent to process B
    await on_b.connect(token=on_a.session["token"])
    assert on_b.session["resumed"] and on_b.session["conversation_id"] == on_a.session["conversation_id"]

    await on_a.say("How can I contact support by phone?")  # the turn runs on A ...
    await on_b.wait_for(lambda: len(answers(on_b)) == 1)  # ... and its answer reaches B through Redis
    await on_a.wait_for(lambda: len(answers(on_a)) == 2)
    assert answers(on_b)[0]["text"] == answers(on_a)[1]["text"]

    await on_b.say("Wie lange dauert die Antwort auf ein Ticket?")  # and the other way round
    await on_a.wait_for(lambda: len(answers(on_a)) == 3)
    assert answers(on_a)[2]["lang"] == "de"
    history = await on_b.client.call("history", {}, namespace="/chat", timeout=10)
    assert [m["author"] for m in history["messages"]] == [
        "customer", "bot", "bot", "customer", "bot", "customer", "bot"]


async def test_an_agent_on_one_process_follows_and_answers_a_visitor_on_another(
        two_processes: Cluster, scale_database: str, tabs: Callable[[str], ChatVisitor]) -> None:
    from chatbot.agents.auth import AgentAuth
    from chatbot.db import create_engine, session_factory
    from tests.agents.conftest import FAST, PASSWORD, Console, login

    a, b = two_processes.urls
    engine = create_engine(scale_database)
    try:
        await AgentAuth(session_factory(engine), hasher=FAST).add_agent(
            name="Anna Nowak", email="anna@introserv.com", teams=("support",), role="agent", password=PASSWORD)
    finally:
        await engine.dispose()
    visitor = tabs(a)  # the visitor's widget is served by process A...
    await visitor.connect(locale="en")
    await visitor.say("I want to talk to a person")
    await visitor.wait_for(lambda: any(m["kind"] == "handoff" for m in visitor.messages()))
    status, _, token = await login(b, "anna@introserv.com")  # ...the agent's console by process B
    assert status == 200 and token
    console = Console(b)
    try:
        await console.connect(token)
        cid = visitor.session["conversation_id"]
        opened = await console.call("open", {"conversation_id": cid})
        assert [m["text"] for m in opened["messages"] if m["author"] == "customer"] == ["I want to talk to a person"]
        await console.call("take", {"conversation_id": cid})
        await visitor.say("my server 203.0.113.7 is down")  # written on A, shown live on B
        await console.wait_for(lambda: any(e["message"]["text"] == "my server 203.0.113.7 is down"
                                           for e in console.of("conversation.message")))
        sent = await console.call("send", {"conversation_id": cid, "text": "Looking at it now."})
        assert "message" in sent
        await visitor.wait_for(lambda: any(m["text"] == "Looking at it now." for m in visitor.messages()))
    finally:
        await console.close()


class Widget:
    """The chat widget of one visitor, as chatbot/static/widget.js behaves: it keeps its resume
    token, reconnects to whichever process the load balancer picks when its connection drops,
    fetches the history on every (re)connection (an answer said while it was away is shown then),
    shows each message once by id, and resends an unacknowledged message with the same client_id
    (so the server stores it once)."""

    def __init__(self, cluster: Cluster, first: int) -> None:
        self.cluster, self.index = cluster, first
        self.client: socketio.AsyncClient | None = None
        self.token: str | None = None
        self.conversation_id: str | None = None
        self.replies: dict[int, dict[str, Any]] = {}  # bot answers shown, by message id
        self.sent: list[str] = []
        self.served_by: set[str] = set()
        self.reconnects = 0

    def _pick(self) -> str:
        alive = [s for s in self.cluster.servers if s.alive()]
        return alive[self.index % len(alive)].url

    async def connect(self) -> None:
        for _ in range(20):
            url = self._pick()
            client = socketio.AsyncClient(reconnection=False)
            session: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

            async def on_session(data: Any, session: asyncio.Future[dict[str, Any]] = session) -> None:
                if not session.done():
                    session.set_result(data)

            async def on_message(data: Any) -> None:
                self._show(data)

            client.on("session", on_session, namespace="/chat")
            client.on("message", on_message, namespace="/chat")
            try:
                await client.connect(url, namespaces=["/chat"], transports=["websocket"], wait_timeout=5,
                                     auth={"token": self.token} if self.token else None)
                data = await asyncio.wait_for(session, 5)
            except (TimeoutError, socketio.exceptions.ConnectionError):
                await client.disconnect()
                await asyncio.sleep(0.2)
                continue
            self.client, self.token = client, data["token"]
            assert self.conversation_id in (None, data["conversation_id"]), "the token resumes the conversation"
            self.conversation_id = data["conversation_id"]
            self.served_by.add(url)
            for m in await self.history():
                self._show(m)
            return
        raise AssertionError("could not reconnect to any process")

    def _show(self, m: dict[str, Any]) -> None:
        if m.get("author") == "bot" and m.get("kind") != "ack":
            self.replies[m["id"]] = m

    async def _ensure_connected(self) -> None:
        if self.client is None or not self.client.connected:
            if self.client is not None:
                await self.client.disconnect()
            self.reconnects += 1
            await self.connect()

    async def send(self, text: str) -> None:
        client_id = uuid.uuid4().hex
        for _ in range(20):
            await self._ensure_connected()
            assert self.client is not None
            try:
                ack = await self.client.call("message", {"text": text, "client_id": client_id},
                                             namespace="/chat", timeout=5)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                    socketio.exceptions.DisconnectedError):
                await asyncio.sleep(0.2)
                continue
            assert "error" not in ack, ack
            self.sent.append(text)
            return
        raise AssertionError(f"message never acknowledged: {text}")

    async def wait_reply(self, count: int, seconds: float = 30.0) -> None:
        for _ in range(int(seconds / 0.1)):
            if len(self.replies) >= count:
                return
            await self._ensure_connected()  # a recovered turn's answer reaches the new connection
            await asyncio.sleep(0.1)
        raise AssertionError(f"no answer after {seconds:.0f}s in {self.conversation_id}; "
                             f"history: {[(m['author'], m['kind']) for m in await self.history()]}")

    async def history(self) -> list[dict[str, Any]]:
        if self.client is None or not self.client.connected:
            await self._ensure_connected()
        assert self.client is not None
        result = await self.client.call("history", {}, namespace="/chat", timeout=10)
        return list(result["messages"])

    async def close(self) -> None:
        if self.client is not None:
            await self.client.disconnect()


async def test_killing_a_process_loses_and_duplicates_nothing(three_processes: Cluster) -> None:
    cluster = three_processes
    visitors, per_visitor = 18, 6
    widgets = [Widget(cluster, i) for i in range(visitors)]
    victim = cluster.servers[0]
    for w in widgets:
        await w.connect()
    on_victim = [w for w in widgets if victim.url in w.served_by]
    assert len(on_victim) == visitors // 3
    acked = 0
    killed = asyncio.Event()

    async def chat(w: Widget, n: int) -> None:
        nonlocal acked
        for k in range(per_visitor):
            await w.send(TEXTS[(n + k) % len(TEXTS)])
            acked += 1
            if acked == visitors * per_visitor // 3 and not killed.is_set():
                victim.kill()  # mid-traffic: other visitors' turns are in flight on it
                killed.set()
            await w.wait_reply(k + 1)

    try:
        await asyncio.wait_for(asyncio.gather(*(chat(w, n) for n, w in enumerate(widgets))), 240)
        assert killed.is_set() and not victim.alive()
        assert all(w.reconnects >= 1 for w in on_victim), "the victim's visitors moved to another process"
        for w in widgets:
            history = await w.history()
            customer = [m["text"] for m in history if m["author"] == "customer"]
            assert customer == w.sent, f"{w.conversation_id}: stored {customer}, sent {w.sent}"
            # every message is answered before the visitor's next one
            authors = "".join("c" if m["author"] == "customer" else "b" for m in history
                              if m["author"] == "customer" or m["kind"] != "ack")
            assert "cc" not in authors and authors.endswith("b"), f"{w.conversation_id}: {authors}"
            answers = [m["id"] for m in history if m["author"] == "bot" and m["kind"] != "ack"]
            if w not in on_victim:  # a turn cut short by the kill may say its answer again, nothing else
                assert len(answers) == per_visitor, f"{w.conversation_id}: {len(answers)} answers"
            else:
                assert per_visitor <= len(answers) <= per_visitor + 1
            assert len(w.replies) >= per_visitor  # and the visitor saw them live
    finally:
        for w in widgets:
            await w.close()
