"""Throughput and latency of Analyzer.analyze on one core.

    .venv/bin/python bench/analyze_bench.py [--rounds N]

Chat-sized messages are the chat lines of the development set, the first held-out set and the shared
sample (FILES, named one by one: a set kept for a final measurement is never read here); emails are
reported separately. Targets (issue 3): >= 300 chat messages/s and p99 < 20 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import datetime
from pathlib import Path

from chatbot.desk import load_desk
from chatbot.understanding import Analyzer

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "tests" / "data" / "dev.jsonl", ROOT / "tests" / "data" / "holdout.jsonl",
         ROOT.parent / "shared" / "eval" / "sample.jsonl"]


def _records() -> list[dict]:
    records = []
    for path in FILES:
        if path.exists():
            records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def _run(analyzer: Analyzer, records: list[dict], rounds: int) -> tuple[list[float], list[float]]:
    """Per message: wall-clock latency, and CPU time of this thread (what the message costs,
    unaffected by other processes competing for the core)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for r in records:
            now = datetime.fromisoformat(r["now"])
            t0, c0 = time.perf_counter(), time.thread_time()
            analyzer.analyze(r["text"], channel=r["channel"], now=now, subject=r.get("subject"))
            cpu.append(time.thread_time() - c0)
            wall.append(time.perf_counter() - t0)
    return wall, cpu


def _report(name: str, kind: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    print(f"{name:6} {kind:4} {len(latencies):6d} msgs  {len(latencies) / sum(latencies):6.0f} msg/s  "
          f"mean {statistics.fmean(latencies) * 1000:5.2f} ms  p50 {p(0.50):5.2f} ms  "
          f"p99 {p(0.99):5.2f} ms  max {ordered[-1] * 1000:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    t0 = time.perf_counter()
    analyzer = Analyzer(load_desk())
    print(f"start-up (desk, langdetect profiles, lexicons, n-gram model): {(time.perf_counter() - t0) * 1000:.0f} ms")
    records = _records()
    chat = [r for r in records if r["channel"] == "chat"]
    email = [r for r in records if r["channel"] == "email"]
    _run(analyzer, records, 1)  # warm caches (compiled patterns, lexicon index)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average before the run: {load:.2f} (wall-clock figures suffer when other work shares the core)")
    for name, group in (("chat", chat), ("email", email)):
        wall, cpu = _run(analyzer, group, args.rounds)
        _report(name, "wall", wall)
        _report(name, "cpu", cpu)


if __name__ == "__main__":
    main()
