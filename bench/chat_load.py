"""Chat load benchmark: the real server driven by real python-socketio clients, and in the same run a
bare python-socketio echo server as the baseline, so that results are ratios that hold on a noisy
machine. Everything listens on 127.0.0.1; every phase is bounded in count and time.

    .venv/bin/python bench/chat_load.py                       # 1 process on PostgreSQL, the targets
    .venv/bin/python bench/chat_load.py --processes 2         # 2 processes, Redis between them
    .venv/bin/python bench/chat_load.py --db sqlite           # the embedded default

Phases: both servers start, and each keeps its own visitors connected until the end of the run.

1. connect  — `--visitors` WebSocket visitors (offering permessage-deflate like a browser), to the
   echo, then to the chatbot; server memory before and after gives KB per idle connection;
2. sustain  — (chatbot only, after a short warm-up) `--rate` messages/s for `--duration` s, open
   loop: acknowledgement and reply latency p50/p95/p99, errors;
3. saturate — `--rounds` rounds per server, interleaved (echo, chatbot; chatbot, echo; echo,
   chatbot; …): `--concurrency` visitors each send their next message as soon as the previous one
   is answered, for `--saturate` s. All rounds' turns per second are the pipeline's ceiling; divided
   by the echo server's, it is the ratio the issue sets a target for (>= 25 %). Interleaved, a
   change of the shared machine's speed during the run reaches both servers alike; the ratio of
   each pair of rounds is reported too, so its spread shows.

Results go to stdout as a table and, with --json FILE, as JSON. PostgreSQL at CHATBOT_TEST_PG
(default postgres@127.0.0.1:5432) and Redis at CHATBOT_TEST_REDIS; a fresh database is created and
dropped for each run. Chat abuse limits are off for the run: every visitor comes from 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.scale.cluster import REDIS_URL, Cluster, create_database, drop_database, redis_available
from tests.servers.chatbot import ServerProcess

CORPUS = REPO / "tests" / "data" / "dev.jsonl"
PHASE_TIMEOUT = 600.0  # no phase may hang the benchmark


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CpuTimes = dict[int, tuple[float, float]]  # pid: (own, ended children's) seconds


def database_cpu_seconds() -> CpuTimes:
    """CPU time of each PostgreSQL and Redis process (this machine's own servers): what a turn
    costs outside the chatbot's process, on the same two cores. Per process: its own time, and that
    of its children that ended (PostgreSQL's backends: a pooled connection closed during a phase
    takes its time with it, to the postmaster's account)."""
    times: dict[int, tuple[float, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if text[text.index("(") + 1:text.rindex(")")] in ("postgres", "redis-server"):
            fields = [int(f) for f in text.rsplit(")", 1)[1].split()[11:15]]
            times[int(stat.parent.name)] = ((fields[0] + fields[1]) / tick, (fields[2] + fields[3]) / tick)
    return times


def database_cpu_between(before: CpuTimes, after: CpuTimes) -> float:
    """Seconds of database CPU between two readings: what the processes alive at the end spent, plus
    what their children that ended spent (their whole lives, less what the first reading had seen of
    them already)."""
    spent = sum(own - before.get(pid, (0.0, 0.0))[0] + children - before.get(pid, (0.0, 0.0))[1]
                for pid, (own, children) in after.items())
    return spent - sum(own for pid, (own, _) in before.items() if pid not in after)


def machine_ticks() -> tuple[int, int, int]:
    """(busy, steal, all) clock ticks of the whole machine so far, from /proc/stat."""
    user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in
                                                             Path("/proc/stat").read_text().split()[1:9])
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + steal + idle + iowait


class MachineUse:
    """How busy the whole machine was over a phase: the server, the database, the load generators and
    whatever else runs here (a shared VM also loses time to its host: steal)."""

    def __init__(self) -> None:
        self.db0, self.ticks0 = database_cpu_seconds(), machine_ticks()

    def report(self, events: int) -> dict[str, float]:
        db = database_cpu_between(self.db0, database_cpu_seconds())
        busy, steal, total = (b - a for a, b in zip(self.ticks0, machine_ticks()))
        return {"database_cpu_ms_per_event": round(1000 * db / max(1, events), 2),
                "machine_busy_percent": round(100 * busy / max(1, total), 1),
                "steal_percent": round(100 * steal / max(1, total), 1)}


class Workers:
    """The load-generating processes (bench/load_worker.py), each with a share of the visitors."""

    def __init__(self, urls: list[str], visitors: int, count: int, deflate: bool) -> None:
        share = [visitors // count + (1 if i < visitors % count else 0) for i in range(count)]
        offsets = [sum(share[:i]) for i in range(count)]
        self.procs: list[subprocess.Popen[bytes]] = []
        for n, offset in zip(share, offsets):
            cmd = [sys.executable, str(REPO / "bench" / "load_worker.py"), "--count", str(n),
                   "--offset", str(offset), "--corpus", str(CORPUS), "--seed", str(offset + 1)]
            cmd += [a for url in urls for a in ("--url", url)]
            if deflate:
                cmd.append("--deflate")
            self.procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE))

    async def command(self, line: str, split: list[str] | None = None) -> list[dict[str, Any]]:
        """Send a command to every worker (or, with ``split``, one line each) and gather answers."""
        lines = split or [line] * len(self.procs)

        def one(proc: subprocess.Popen[bytes], text: str) -> dict[str, Any]:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write((text + "\n").encode())
            proc.stdin.flush()
            answer = proc.stdout.readline()
            if not answer:
                raise RuntimeError(f"load worker {proc.pid} died")
            return dict(json.loads(answer))

        return list(await asyncio.wait_for(
            asyncio.gather(*(asyncio.to_thread(one, p, t) for p, t in zip(self.procs, lines))), PHASE_TIMEOUT))

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.procs)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead worker is killed below anyway
            await self.command("quit")
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


def merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"acks": [], "replies": [], "errors": 0, "error_samples": []}
    for r in results:
        out["acks"] += r.get("acks", [])
        out["replies"] += r.get("replies", [])
        out["errors"] += r.get("errors", 0)
        out["error_samples"] += r.get("error_samples", [])
    return out


def latency(values: list[float]) -> dict[str, float]:
    return {f"p{p}": round(percentile(values, p) * 1000, 1) for p in (50, 95, 99)} | {
        "max": round(max(values) * 1000, 1) if values else math.nan}


def profile(server: ServerProcess, args: argparse.Namespace, name: str, round_no: int) -> subprocess.Popen[bytes]:
    """py-spy (installed into the venv by hand, not a dependency) samples the server during a
    saturation round; collapsed stacks, one file per process and round, for `bench/profile_top.py`."""
    out = args.profile / f"{name.split()[0]}-{server.name}-round{round_no}.txt"
    args.profile.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server.pid),
                             "--duration", str(int(args.saturate)), "--format", "raw", "--output", str(out),
                             "--rate", "200", "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Target:
    """One server set under test (the echo, or the chatbot's processes) with its own visitors, kept
    connected from its connect phase to its last saturation round."""

    def __init__(self, name: str, servers: list[ServerProcess], args: argparse.Namespace) -> None:
        self.name, self.servers, self.args = name, servers, args
        self.result: dict[str, Any] = {"target": name, "processes": len(servers)}
        self.rounds: list[dict[str, Any]] = []
        self.workers: Workers | None = None

    def cpu(self) -> float:
        return sum(s.cpu_seconds() for s in self.servers)

    async def connect(self) -> None:
        args, result = self.args, self.result
        await asyncio.sleep(1.0)  # let start-up allocations settle before the memory baseline
        rss_before = sum(s.rss_kb() for s in self.servers)
        self.workers = Workers([s.url for s in self.servers], args.visitors, args.workers, args.deflate)
        connected = await self.workers.command("connect")
        result["connected"] = sum(c["connected"] for c in connected)
        result["connect_errors"] = sum(c["errors"] for c in connected)
        await asyncio.sleep(3.0)
        rss_after = sum(s.rss_kb() for s in self.servers)
        result["rss_before_mb"] = round(rss_before / 1024, 1)
        result["rss_idle_mb"] = round(rss_after / 1024, 1)
        result["kb_per_idle_connection"] = round((rss_after - rss_before) / max(1, result["connected"]), 1)
        print(f"[{self.name}] {result['connected']} visitors connected, "
              f"{result['kb_per_idle_connection']} KB per idle connection", flush=True)

    async def sustain(self) -> None:
        args = self.args
        assert self.workers is not None
        per = args.rate / args.workers
        if args.warmup > 0:
            await self.workers.command(f"sustain {per} {args.warmup}")
        cpu0 = self.cpu()
        machine = MachineUse()
        wall0 = time.perf_counter()
        merged = merge(await self.workers.command(f"sustain {per} {args.duration}"))
        wall = time.perf_counter() - wall0
        cpu = self.cpu() - cpu0
        sent = int(per * args.duration) * args.workers
        s = self.result["sustain"] = {
            "rate": args.rate, "seconds": args.duration, "sent": sent,
            "answered": len(merged["replies"]), "errors": merged["errors"],
            "error_samples": merged["error_samples"][:5],
            "ack_ms": latency(merged["acks"]), "reply_ms": latency(merged["replies"]),
            "server_cpu_percent": round(100 * cpu / wall, 1),
            "server_cpu_ms_per_message": round(1000 * cpu / max(1, sent), 2),
            **machine.report(sent),
        }
        print(f"[{self.name}] sustain {args.rate}/s x {args.duration}s: ack p99 {s['ack_ms']['p99']} ms, "
              f"reply p99 {s['reply_ms']['p99']} ms, errors {s['errors']}", flush=True)

    async def saturate_round(self) -> None:
        """One saturation round: ``--concurrency`` closed-loop visitors for ``--saturate`` seconds."""
        args = self.args
        assert self.workers is not None
        per_worker = max(1, args.concurrency // args.workers)
        cpu0, wcpu0 = self.cpu(), self.workers.cpu()
        machine = MachineUse()
        profilers = ([profile(s, args, self.name, len(self.rounds) + 1) for s in self.servers]
                     if args.profile else [])
        raw = await self.workers.command(f"saturate {per_worker} {args.saturate}")
        for prof in profilers:
            prof.wait(timeout=60)
        merged = merge(raw)
        turns = sum(r["turns"] for r in raw)
        seconds = max(r["seconds"] for r in raw)
        one = {"concurrency": per_worker * args.workers, "seconds": seconds, "turns": turns,
               "server_cpu_seconds": self.cpu() - cpu0, "load_generator_cpu_seconds": self.workers.cpu() - wcpu0,
               "errors": merged["errors"], "error_samples": merged["error_samples"][:5],
               "acks": merged["acks"], "replies": merged["replies"], **machine.report(turns)}
        self.rounds.append(one)
        print(f"[{self.name}] saturate round {len(self.rounds)}: {turns / seconds:.1f} turns/s, server CPU "
              f"{1000 * one['server_cpu_seconds'] / max(1, turns):.2f} ms/turn, errors {one['errors']}", flush=True)

    def summarise(self) -> dict[str, Any]:
        """The saturation rounds together (their sums: every round lasts the same), then each alone."""
        rounds, result = self.rounds, self.result
        turns, seconds = sum(r["turns"] for r in rounds), sum(r["seconds"] for r in rounds)
        cpu = sum(r["server_cpu_seconds"] for r in rounds)
        weights = [r["turns"] for r in rounds]
        result["saturate"] = {
            "concurrency": rounds[0]["concurrency"], "rounds": len(rounds), "seconds": round(seconds, 1),
            "turns": turns, "turns_per_second": round(turns / seconds, 1),
            "errors": sum(r["errors"] for r in rounds),
            "error_samples": [e for r in rounds for e in r["error_samples"]][:5],
            "ack_ms": latency([a for r in rounds for a in r["acks"]]),
            "reply_ms": latency([a for r in rounds for a in r["replies"]]),
            "server_cpu_percent": round(100 * cpu / seconds, 1),
            "server_cpu_ms_per_turn": round(1000 * cpu / max(1, turns), 2),
            "load_generator_cpu_percent": round(
                100 * sum(r["load_generator_cpu_seconds"] for r in rounds) / seconds, 1),
            # the machine's figures, weighted by each round's turns (a round's own are per turn)
            **{key: round(sum(r[key] * w for r, w in zip(rounds, weights)) / max(1, sum(weights)), digits)
               for key, digits in (("database_cpu_ms_per_event", 2), ("machine_busy_percent", 1),
                                   ("steal_percent", 1))},
            "per_round": [{"turns_per_second": round(r["turns"] / r["seconds"], 1),
                           "server_cpu_ms_per_turn": round(1000 * r["server_cpu_seconds"] / max(1, r["turns"]), 2),
                           "errors": r["errors"]} for r in rounds],
        }
        result["rss_end_mb"] = round(sum(x.rss_kb() for x in self.servers) / 1024, 1)
        return result

    async def close(self) -> None:
        if self.workers is not None:
            await self.workers.close()


async def saturate(targets: list[Target], rounds: int) -> None:
    """The saturation rounds of every target, interleaved, so that a change of the machine's speed
    during the run (a shared VM's neighbours) reaches them alike: with two targets A and B the order
    is A B, B A, A B, … (each pair's first alternates, so neither is always measured first)."""
    for i in range(rounds):
        for target in (targets if i % 2 == 0 else targets[::-1]):
            await target.saturate_round()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_at_start": os.getloadavg()},
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
    }
    async with contextlib.AsyncExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="chat-load-")))
        targets: list[Target] = []
        if not args.skip_echo:
            echo = ServerProcess(dict(os.environ), work, "echo")
            echo.command = [sys.executable, str(REPO / "bench" / "echo_server.py"), "--port", str(echo.port),
                            *(["--deflate"] if args.echo_deflate else [])]
            echo.start()
            stack.callback(echo.stop)
            echo.wait_ready()
            target = Target("echo", [echo], args)
            stack.push_async_callback(target.close)
            await target.connect()
            if args.echo_sustain:
                await target.sustain()
            targets.append(target)
        if not args.echo_only:
            cluster = await start_chatbot(args, work, stack)
            target = Target(f"chatbot x{args.processes} ({args.db})", cluster.servers, args)
            stack.push_async_callback(target.close)
            await target.connect()
            await target.sustain()
            targets.append(target)
        await saturate(targets, args.rounds)
        for target in targets:
            report[target.name.split()[0]] = target.summarise()
        if not args.echo_only:
            for s in cluster.servers:
                if not s.alive():
                    report["chatbot"]["crashed"] = s.log_tail()
    if "echo" in report and "chatbot" in report:
        echo_rounds, bot_rounds = report["echo"]["saturate"], report["chatbot"]["saturate"]
        report["ratio_to_echo"] = round(bot_rounds["turns_per_second"] / echo_rounds["turns_per_second"], 3)
        report["ratio_to_echo_per_round"] = [
            round(b["turns_per_second"] / e["turns_per_second"], 3)
            for b, e in zip(bot_rounds["per_round"], echo_rounds["per_round"])]
    report["loadavg_at_end"] = os.getloadavg()
    return report


async def start_chatbot(args: argparse.Namespace, work: Path, stack: contextlib.AsyncExitStack) -> Cluster:
    """The chatbot's processes on a fresh database, stopped (and the database dropped) with ``stack``."""
    if args.db == "postgresql":
        database_url = await create_database("chatbot_bench")
        stack.push_async_callback(drop_database, database_url)
    else:
        from chatbot.migrate import upgrade

        database_url = f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}"
        await upgrade(database_url)
    redis = ""
    if args.processes > 1:
        problem = await redis_available()
        if problem:
            raise SystemExit(f"several processes need Redis: {problem}")
        redis = REDIS_URL
    limits_off = {"CHATBOT_CHAT_MESSAGES_PER_MINUTE": "0", "CHATBOT_CHAT_ADDRESS_MESSAGES_PER_MINUTE": "0",
                  "CHATBOT_CHAT_CONNECTIONS_PER_MINUTE": "0"}
    cluster = Cluster(database_url, work, args.processes, redis_url=redis, **limits_off)
    if args.server_env:
        for s in cluster.servers:
            s.env.update(dict(kv.split("=", 1) for kv in args.server_env))
    stack.callback(cluster.stop)
    cluster.start()
    return cluster


def table(report: dict[str, Any]) -> str:
    rows = ["| | " + " | ".join(k for k in ("echo", "chatbot") if k in report) + " |",
            "|---|" + "---|" * sum(k in report for k in ("echo", "chatbot"))]

    def row(label: str, get: Any) -> None:
        cells = []
        for k in ("echo", "chatbot"):
            if k in report:
                try:
                    cells.append(str(get(report[k])))
                except KeyError:
                    cells.append("—")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row("processes", lambda r: r["processes"])
    row("visitors connected (errors)", lambda r: f"{r['connected']} ({r['connect_errors']})")
    row("KB per idle connection", lambda r: r["kb_per_idle_connection"])
    row("RSS idle, MB", lambda r: r["rss_idle_mb"])
    row("sustained msg/s × s", lambda r: f"{r['sustain']['rate']} × {r['sustain']['seconds']}")
    row("ack p50/p95/p99 ms", lambda r: "/".join(str(r["sustain"]["ack_ms"][p]) for p in ("p50", "p95", "p99")))
    row("reply p50/p95/p99 ms",
        lambda r: "/".join(str(r["sustain"]["reply_ms"][p]) for p in ("p50", "p95", "p99")))
    row("sustained errors", lambda r: r["sustain"]["errors"])
    row("server CPU % sustained", lambda r: r["sustain"]["server_cpu_percent"])
    row("saturation turns/s", lambda r: r["saturate"]["turns_per_second"])
    row("saturation reply p99 ms", lambda r: r["saturate"]["reply_ms"]["p99"])
    row("server CPU ms per turn", lambda r: r["saturate"]["server_cpu_ms_per_turn"])
    row("load generator CPU %", lambda r: r["saturate"]["load_generator_cpu_percent"])
    row("database CPU ms per message sustained / per turn saturated",
        lambda r: (f"{r['sustain']['database_cpu_ms_per_event']} / "
                   f"{r['saturate']['database_cpu_ms_per_event']}")
        if "sustain" in r else r["saturate"]["database_cpu_ms_per_event"])
    row("machine busy % (steal %) sustained", lambda r: f"{r['sustain']['machine_busy_percent']} "
        f"({r['sustain']['steal_percent']})" if "sustain" in r else "—")
    row("machine busy % (steal %) saturated",
        lambda r: f"{r['saturate']['machine_busy_percent']} ({r['saturate']['steal_percent']})")
    row("saturation errors", lambda r: r["saturate"]["errors"])
    row("saturation turns/s per round", lambda r: ", ".join(str(x["turns_per_second"])
                                                            for x in r["saturate"]["per_round"]))
    if "ratio_to_echo" in report:
        rows.append(f"\nratio of saturation throughput to the bare echo: **{report['ratio_to_echo']:.1%}** "
                    "(round by round: " + ", ".join(f"{x:.1%}" for x in report["ratio_to_echo_per_round"]) + ")")
    return "\n".join(rows)


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--processes", type=int, default=1)
    p.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    p.add_argument("--visitors", type=int, default=1000)
    p.add_argument("--rate", type=float, default=200.0, help="messages per second, sustained phase")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of the sustained phase")
    p.add_argument("--warmup", type=float, default=5.0, help="seconds at --rate before measuring")
    p.add_argument("--saturate", type=float, default=10.0, help="seconds of each saturation round")
    p.add_argument("--rounds", type=int, default=3,
                   help="saturation rounds of each server, the echo's and the chatbot's interleaved")
    p.add_argument("--concurrency", type=int, default=100, help="closed-loop visitors when saturating")
    p.add_argument("--workers", type=int, default=2, help="load-generating processes")
    p.add_argument("--no-deflate", dest="deflate", action="store_false",
                   help="clients do not offer permessage-deflate (browsers do)")
    p.add_argument("--skip-echo", action="store_true")
    p.add_argument("--echo-only", action="store_true", help="measure the echo server alone")
    p.add_argument("--echo-sustain", action="store_true", help="run the sustained phase on the echo too")
    p.add_argument("--echo-deflate", action="store_true", help="echo keeps engineio's default compression")
    p.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for the chatbot processes")
    p.add_argument("--json", type=Path, help="also write the full results here")
    p.add_argument("--profile", type=Path, metavar="DIR", help="py-spy the servers while saturating")
    args = p.parse_args()
    if args.processes < 1 or args.workers < 1 or args.rounds < 1 or args.visitors < args.concurrency:
        p.error("need processes >= 1, workers >= 1, rounds >= 1 and visitors >= concurrency")
    return args


if __name__ == "__main__":
    arguments = parse()
    final = asyncio.run(main(arguments))
    print(table(final))
    if arguments.json:
        arguments.json.write_text(json.dumps(final, indent=2, default=str))  # the arguments hold paths
