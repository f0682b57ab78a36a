"""One load-generating process for bench/chat_load.py: a share of the visitors, each a real
python-socketio AsyncClient on the WebSocket transport, driven by commands on stdin.

Commands (one line each), each answered by one JSON line on stdout:

    connect                     connect every visitor; {"connected", "errors"}
    sustain RATE SECONDS        open loop: RATE messages/s spread over idle visitors
    saturate CONCURRENCY SECONDS closed loop: CONCURRENCY visitors send as fast as replies come
    quit                        disconnect everyone and exit

Latencies are measured from the moment a message is handed to the client library: the
acknowledgement (the Socket.IO callback) and the reply (the first `message` event that is not the
bot's visible "ack" kind). Every wait is bounded.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import random
import sys
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

import aiohttp
import socketio

TIMEOUT = 10.0  # longest wait for an acknowledgement or a reply before it counts as an error
log = logging.getLogger("load_worker")


def corpus(path: Path) -> list[list[str]]:
    """Chat messages that each get an answer from the bot: greetings, thanks and the frequently
    asked questions of the labelled development set, by language (a visitor keeps to one of the
    five, as people do: a conversation's language is then settled, not re-stored every turn)."""
    by_lang: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        intent = item["expect"]["intent"]
        if item["channel"] == "chat" and (intent in {"greeting", "thanks"} or intent.startswith("faq.")):
            by_lang.setdefault(item["expect"]["lang"], []).append(item["text"])
    if not by_lang:
        raise SystemExit(f"no chat texts in {path}")
    return [by_lang[lang] for lang in sorted(by_lang)]


class Visitor:
    def __init__(self, url: str, http: aiohttp.ClientSession, deflate: bool, texts: list[str]) -> None:
        self.url = url
        self.texts = texts  # what this visitor says, in its language
        extra = {"compress": 15} if deflate else {}  # what a browser offers
        self.client = socketio.AsyncClient(reconnection=False, http_session=http,
                                           websocket_extra_options=extra)
        self.session: asyncio.Future[dict[str, Any]] | None = None
        self.reply: asyncio.Future[float] | None = None
        self.client.on("session", self._on_session, namespace="/chat")
        self.client.on("message", self._on_message, namespace="/chat")

    async def _on_session(self, data: Any) -> None:
        if self.session is not None and not self.session.done():
            self.session.set_result(data)

    async def _on_message(self, data: Any) -> None:
        if isinstance(data, dict) and data.get("kind") == "ack":
            return  # the visible acknowledgement of a first message: the answer comes next
        if self.reply is not None and not self.reply.done():
            self.reply.set_result(time.perf_counter())

    async def connect(self) -> None:
        self.session = asyncio.get_running_loop().create_future()
        await self.client.connect(self.url, namespaces=["/chat"], transports=["websocket"],
                                  wait_timeout=TIMEOUT)
        await asyncio.wait_for(self.session, TIMEOUT)

    async def send(self, text: str) -> tuple[float, float]:
        """One message: (ack latency, reply latency) in seconds; raises on error or timeout."""
        self.reply = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        ack = await self.client.call("message", {"text": text, "client_id": uuid.uuid4().hex},
                                     namespace="/chat", timeout=TIMEOUT)
        acked = time.perf_counter()
        if not isinstance(ack, dict) or "error" in ack or "id" not in ack:
            raise RuntimeError(f"bad acknowledgement: {ack!r}"[:200])
        replied = await asyncio.wait_for(self.reply, TIMEOUT)
        return acked - start, replied - start


class Worker:
    def __init__(self, urls: list[str], count: int, offset: int, deflate: bool, texts: list[list[str]],
                 seed: int) -> None:
        self.urls, self.count, self.offset, self.deflate = urls, count, offset, deflate
        self.texts = texts
        self.rng = random.Random(seed)
        self.http: aiohttp.ClientSession | None = None
        self.visitors: list[Visitor] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    async def connect(self) -> dict[str, Any]:
        # No per-host connection cap: every visitor holds one WebSocket for the whole run.
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        visitors = [Visitor(self.urls[(self.offset + i) % len(self.urls)], self.http, self.deflate,
                            self.texts[(self.offset + i) % len(self.texts)]) for i in range(self.count)]
        errors: list[str] = []
        batch = 50  # connecting everyone at once only measures the accept queue
        for i in range(0, len(visitors), batch):
            results = await asyncio.gather(*(v.connect() for v in visitors[i:i + batch]), return_exceptions=True)
            for v, r in zip(visitors[i:i + batch], results):
                if isinstance(r, BaseException):
                    errors.append(repr(r)[:200])
                else:
                    self.visitors.append(v)
        return {"connected": len(self.visitors), "errors": len(errors), "error_samples": errors[:5]}

    async def sustain(self, rate: float, seconds: float) -> dict[str, Any]:
        idle = deque(self.visitors)
        acks: list[float] = []
        replies: list[float] = []
        errors: list[str] = []
        late = 0.0
        total = int(rate * seconds)

        async def one(v: Visitor) -> None:
            try:
                ack, reply = await v.send(self.rng.choice(v.texts))
                acks.append(ack)
                replies.append(reply)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            finally:
                idle.append(v)

        start = time.perf_counter()
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                late = max(late, -delay)
            if not idle:
                errors.append("no idle visitor: every visitor is still waiting for a reply")
                continue
            self._spawn(one(idle.popleft()))
        sent_for = time.perf_counter() - start
        await self._drain()
        return {"sent": total, "sent_seconds": sent_for, "acks": acks, "replies": replies,
                "errors": len(errors), "error_samples": errors[:5], "max_schedule_lag": late}

    async def saturate(self, concurrency: int, seconds: float) -> dict[str, Any]:
        done = 0
        acks: list[float] = []
        replies: list[float] = []
        errors: list[str] = []
        deadline = time.perf_counter() + seconds

        async def loop(v: Visitor) -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                try:
                    ack, reply = await v.send(self.rng.choice(v.texts))
                    acks.append(ack)
                    replies.append(reply)
                    done += 1
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])

        start = time.perf_counter()
        chosen = self.visitors[:concurrency]
        await asyncio.gather(*(loop(v) for v in chosen))
        elapsed = time.perf_counter() - start
        return {"turns": done, "seconds": elapsed, "acks": acks, "replies": replies,
                "errors": len(errors), "error_samples": errors[:5]}

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=3 * TIMEOUT)

    async def quit(self) -> dict[str, Any]:
        await asyncio.gather(*(asyncio.wait_for(v.client.disconnect(), TIMEOUT) for v in self.visitors),
                             return_exceptions=True)
        if self.http is not None:
            await self.http.close()
        return {"bye": True}


async def serve(worker: Worker) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    for _ in itertools.count():
        line = (await reader.readline()).decode().split()
        if not line:
            line = ["quit"]
        command, args = line[0], [float(a) for a in line[1:]]
        if command == "connect":
            result = await worker.connect()
        elif command == "sustain":
            result = await worker.sustain(args[0], args[1])
        elif command == "saturate":
            result = await worker.saturate(int(args[0]), args[1])
        else:
            result = await worker.quit()
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        if command not in {"connect", "sustain", "saturate"}:
            return


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url", action="append", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--deflate", action="store_true")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(serve(Worker(args.url, args.count, args.offset, args.deflate, corpus(args.corpus), args.seed)))


if __name__ == "__main__":
    main()
