"""Where a chat turn's CPU goes: the real pipeline of `build_app`, in-process (no Socket.IO), on a
fresh database, with the CPU time of the event-loop thread measured around `accept`, each step and
each turn observer. Thread CPU time, unlike wall time, hardly moves when other processes share the
machine, so this is the number to compare before and after a change to the hot path.

    .venv/bin/python bench/turn_cost.py [--db postgresql|sqlite] [--turns 1000] [--no-uvloop]
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load_worker import corpus
from chatbot.app import PIPELINE, build_app
from chatbot.cli import _event_loop
from chatbot.db import utcnow
from chatbot.messages import InboundMessage, OutboundMessage
from chatbot.migrate import upgrade
from chatbot.settings import Settings
from tests.scale.cluster import create_database, drop_database

CONVERSATIONS = 50


def texts() -> list[list[str]]:
    """The load benchmark's messages (bench/load_worker.py): greetings, thanks and FAQ questions,
    by language; each conversation keeps to one language."""
    return corpus(REPO / "tests" / "data" / "dev.jsonl")


def timed(cpu: Counter[str], name: str, step: Callable[[Any], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    async def run(turn: Any) -> None:
        start = time.thread_time()
        try:
            await step(turn)
        finally:
            cpu[name] += time.thread_time() - start
    return run


async def measure(database_url: str, turns: int) -> dict[str, Any]:
    app = build_app(Settings(database_url=database_url, secret_key="bench"))
    pipeline = app[PIPELINE]
    cpu: Counter[str] = Counter()
    pipeline.steps = [timed(cpu, f"step {getattr(s, '__qualname__', type(s).__name__).split('.<locals>')[0]}", s)
                      for s in pipeline.steps]
    for observer in pipeline.observers:
        observer.finishing = timed(cpu, f"observer {type(observer).__name__}.finishing",  # type: ignore[method-assign]
                                   observer.finishing)

    async def emit(out: OutboundMessage) -> None:
        return None

    by_lang = texts()
    conversations = [uuid.uuid4().hex for _ in range(CONVERSATIONS)]

    def text(c: int, i: int) -> str:
        said = by_lang[c % len(by_lang)]
        return said[i % len(said)]

    for c, cid in enumerate(conversations):  # first messages (with their acknowledgement) as warm-up
        await pipeline.handle(InboundMessage(channel="chat", conversation_id=cid, text=text(c, 0),
                                             received_at=utcnow()), emit)
    cpu.clear()
    total = accept = 0.0
    wall = time.perf_counter()
    for i in range(turns):
        inbound = InboundMessage(channel="chat", conversation_id=conversations[i % CONVERSATIONS],
                                 text=text(i % CONVERSATIONS, i * 7), received_at=utcnow())
        t0 = time.thread_time()
        accepted = await pipeline.accept(inbound)
        t1 = time.thread_time()
        await pipeline.process(inbound, accepted, emit)
        t2 = time.thread_time()
        accept += t1 - t0
        total += t2 - t0
    wall = time.perf_counter() - wall
    await pipeline.sessions.kw["bind"].dispose()
    return {"turns": turns, "cpu_ms_per_turn": 1000 * total / turns, "accept_ms": 1000 * accept / turns,
            "wall_ms_per_turn": 1000 * wall / turns,
            "parts_ms": {k: 1000 * v / turns for k, v in cpu.most_common()}}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="turn-cost-") as tmp:
        if args.db == "postgresql":
            url = await create_database("turn_cost")
        else:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'turns.sqlite3'}"
            await upgrade(url)
        try:
            return await measure(url, args.turns)
        finally:
            if args.db == "postgresql":
                await drop_database(url)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    p.add_argument("--turns", type=int, default=1000)
    p.add_argument("--no-uvloop", action="store_true", help="the standard asyncio loop")
    arguments = p.parse_args()
    loop = asyncio.new_event_loop() if arguments.no_uvloop else _event_loop()
    result = loop.run_until_complete(main(arguments))
    loop.close()
    print(f"{result['cpu_ms_per_turn']:.2f} ms CPU per turn (accept {result['accept_ms']:.2f} ms), "
          f"{result['wall_ms_per_turn']:.2f} ms wall, {arguments.db}, "
          f"{'asyncio' if arguments.no_uvloop else 'uvloop'}")
    for name, ms in result["parts_ms"].items():
        if ms >= 0.005:
            print(f"  {ms:6.2f} ms  {name}")
