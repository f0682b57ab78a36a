"""`chatbot serve` (or any aiohttp server command) as a real process on a free port of 127.0.0.1:
started and waited for, killed (SIGKILL) or stopped, its memory and CPU read from /proc and its
JSON log read back. ``ServerProcess`` is synchronous, for the multi-process fixtures and the
benchmarks (tests/scale/cluster.py, bench/); ``ChatbotServe`` is the same process for async tests.

Every wait is bounded; every process started here is stopped here (by its own pid)."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.servers._common import free_port


class ServerProcess:
    """One server process; ``command`` defaults to `chatbot serve` on a free port."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str, command: list[str] | None = None) -> None:
        self.env, self.name = env, name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        self.command = command or [sys.executable, "-m", "chatbot", "serve", "--host", "127.0.0.1",
                                   "--port", str(self.port)]
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        log = self.log_path.open("ab")
        # cwd is a scratch directory: no ./chatbot.toml of a developer's checkout is read.
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.workdir, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no cleanup handler runs, sockets and database sessions just drop."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            assert self.proc is not None
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def rss_kb(self) -> int:
        """Resident memory of the process now, from /proc (Linux)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far."""
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # the line a SIGKILL cut in half
        return lines


class ChatbotServe(ServerProcess):
    """`chatbot serve` for async tests: the waits run in a thread, off the test's event loop."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        super().__init__(env, workdir, "server")
        self.log_path = workdir / f"server-{self.port}.log"

    async def serve(self) -> None:
        """Start, and return once it answers /healthz."""
        self.start()
        await asyncio.to_thread(self.wait_ready, 30)

    async def killed(self) -> None:
        await asyncio.to_thread(self.kill)

    async def stopped(self) -> None:
        await asyncio.to_thread(self.stop)
