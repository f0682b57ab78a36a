"""`chatbot serve` as a real process on a free port, for the tests that kill it (SIGKILL) and
restart it: started and waited for, killed, stopped, and its JSON log read back."""
from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.servers._common import free_port, wait_port


class ChatbotServe:
    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.workdir = env, workdir
        self.log = workdir / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        chatbot = Path(sys.executable).with_name("chatbot")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 — starting is instant; the wait is threaded
                [str(chatbot), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env, cwd=self.workdir, stdout=log, stderr=log)
        if not await asyncio.to_thread(wait_port, self.port, True, 30):
            raise AssertionError(f"chatbot serve did not start: {self.log.read_text()[-3000:]}")

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await asyncio.to_thread(self.proc.wait, 30)

    async def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            await asyncio.to_thread(self.proc.wait, 30)

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # the line a SIGKILL cut in half
        return lines
