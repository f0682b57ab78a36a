"""A Socket.IO client that records what it receives: the base of the test visitor and console."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import socketio


class RecordingClient:
    """Records every listed event of one namespace and lets a test wait for what it expects."""

    def __init__(self, base_url: str, namespace: str, events: Iterable[str]) -> None:
        self.base_url, self.namespace = base_url, namespace
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self._new = asyncio.Event()
        for name in events:
            self.client.on(name, self._recorder(name), namespace=namespace)

    def received(self, name: str, data: Any) -> None:
        """Called for every event before it is recorded (subclasses keep state from it)."""

    def _recorder(self, name: str) -> Callable[[Any], Awaitable[None]]:
        async def record(data: Any = None) -> None:
            self.received(name, data)
            self.events.append((name, data))
            self._new.set()
        return record

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"timed out; received: {self.events}")
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), remaining)
            except TimeoutError:
                pass

    async def settle(self, seconds: float = 0.3) -> None:
        """Wait until no new event has arrived for a moment (the turn has finished)."""
        while True:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), seconds)
            except TimeoutError:
                return

    async def close(self) -> None:
        await self.client.disconnect()
