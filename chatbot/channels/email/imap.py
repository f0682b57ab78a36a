"""The IMAP watcher: every mail in the support mailbox reaches the handler, once it is safe, however
often the connection drops.

A mail counts as done only when the handler returned True (phase 2: after the database commit);
then it gets the `$Processed` keyword on the server. The stored position (mailbox, UIDVALIDITY,
last UID) only moves past mails that are done, so a crash or a failing handler means "handed again
later", never "skipped". The handler must therefore be idempotent (by Message-ID or content hash).
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

import aioimaplib  # type: ignore[import-untyped]

from chatbot.channels.email.imap_client import (
    ConnectionLost,
    ImapConfig,
    ImapConnection,
    ImapError,
    Stopping,
)

log = logging.getLogger(__name__)

class Handler(Protocol):
    """Takes one mail: True once it is safely kept (then it is flagged done on the server).
    `raw` is None when the mail is too big to download; `headers` then holds its header section,
    so the sender can still be told."""

    async def __call__(self, uid: int, raw: bytes | None, size: int, headers: bytes | None = None) -> bool: ...
_NEW_MAIL = (b"EXISTS", b"RECENT")


@dataclass(frozen=True)
class MailboxPosition:
    mailbox: str
    uidvalidity: int
    last_uid: int  # every mail up to this UID is done


class PositionStore(Protocol):
    async def get(self, mailbox: str) -> MailboxPosition | None: ...

    async def set(self, position: MailboxPosition) -> None: ...


class MemoryPositionStore:
    """For tests and for running without a database; the real one lives in the database."""

    def __init__(self) -> None:
        self.positions: dict[str, MailboxPosition] = {}

    async def get(self, mailbox: str) -> MailboxPosition | None:
        return self.positions.get(mailbox)

    async def set(self, position: MailboxPosition) -> None:
        self.positions[position.mailbox] = position


@dataclass(frozen=True)
class WatchOptions:
    max_message_bytes: int = 25 * 1024 * 1024
    processed_keyword: str = "$Processed"  # \Seen is used when the server refuses custom keywords
    idle_refresh: float = 300.0      # re-issue IDLE (RFC 2177: < 29 min); also bounds half-open sockets
    poll_interval: float = 10.0      # when the server has no IDLE
    use_idle: bool = True
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    retry_initial: float = 5.0       # a mail whose handler failed is tried again after this, doubling
    retry_max: float = 600.0


class ImapWatcher:
    def __init__(self, config: ImapConfig, store: PositionStore, handler: Handler,
                 options: WatchOptions | None = None) -> None:
        self.config, self.store, self.handler = config, store, handler
        self.options = options or WatchOptions()
        self.state = "stopped"          # stopped | connecting | catching-up | idle | polling | backoff
        self.idling = asyncio.Event()   # set while waiting in IDLE: tests and health checks read it
        self.uidvalidity: int | None = None
        self.connections = 0            # successful logins since start (reconnects = connections - 1)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._retry: dict[int, tuple[float, int]] = {}  # uid → (next attempt, failures so far)
        self._healthy = False

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._stop.clear()
            self._task = asyncio.create_task(self.run(), name=f"imap-watcher:{self.config.mailbox}")
        return self._task

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.config.timeout)
            except TimeoutError:
                self._task.cancel()
            self._task = None

    async def run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            connection = ImapConnection(self.config, self._stop)
            self.state = "connecting"
            self._healthy = False
            try:
                await self._session(connection)
            except Stopping:
                pass
            except (TimeoutError, ImapError, aioimaplib.AioImapException, OSError) as exc:
                log.warning("IMAP %s@%s:%s: %s", self.config.mailbox, self.config.host, self.config.port,
                            exc or type(exc).__name__)
            except Exception:
                log.exception("IMAP watcher session failed")
            finally:
                self.idling.clear()
                await connection.close()
            if self._stop.is_set():
                break
            # A session that got as far as a full catch-up was a working server that went away:
            # reconnect quickly. Repeated failures to get there back off exponentially.
            failures = 1 if self._healthy else failures + 1
            delay = min(self.options.backoff_max, self.options.backoff_initial * 2 ** (failures - 1))
            self.state = "backoff"
            await self._sleep(delay * random.uniform(0.8, 1.2))  # jitter: many workers, one server
        self.state = "stopped"

    async def _session(self, connection: ImapConnection) -> None:
        mailbox = await connection.open()
        self.connections += 1
        self.uidvalidity = mailbox.uidvalidity
        keyword = self.options.processed_keyword if mailbox.keywords_allowed else "\\Seen"
        position = await self.store.get(self.config.mailbox)
        if position is None or position.uidvalidity != mailbox.uidvalidity:
            if position is not None:
                # The server renumbered the mailbox: old UIDs mean nothing now. Hand every mail not
                # flagged done again; the handler's Message-ID idempotency drops the ones it has.
                log.warning("UIDVALIDITY of %s changed (%s → %s): rescanning the mailbox",
                            self.config.mailbox, position.uidvalidity, mailbox.uidvalidity)
                self._retry.clear()
            position = MailboxPosition(self.config.mailbox, mailbox.uidvalidity, 0)
            await self.store.set(position)
        idle = self.options.use_idle and connection.has_idle()
        while not self._stop.is_set():
            self.state = "catching-up"
            position = await self._catch_up(connection, position, keyword)
            self._healthy = True
            if self._stop.is_set():
                return
            if idle:
                idle = await self._idle(connection)
            else:
                self.state = "polling"
                await self._wait(connection, self._deadline(self.options.poll_interval))
                await connection.noop()

    async def _catch_up(self, connection: ImapConnection, position: MailboxPosition,
                        keyword: str) -> MailboxPosition:
        """Hand every mail above the position to the handler, pass after pass until a pass finds
        nothing new: mail appended during a pass is announced (EXISTS) in the responses to that
        pass's own commands, not again once IDLE starts, so stopping after one pass would leave it
        waiting for the next IDLE refresh (minutes, under a burst)."""
        seen = position.last_uid
        blocked = False  # the position may only pass mails that are done
        while not self._stop.is_set():
            uids = await connection.uids_above(seen)
            if not uids:
                break
            listing = await connection.sizes_and_flags(uids)
            for uid in uids:
                if self._stop.is_set():
                    break
                size, flags = listing.get(uid, (0, {keyword}))  # missing: expunged meanwhile
                due, _ = self._retry.get(uid, (0.0, 0))
                if keyword in flags:
                    done = True  # flagged before a crash, or by an earlier session
                elif due > time.monotonic():
                    done = False  # failed recently: its turn comes at `due`
                else:
                    done = await self._deliver(connection, uid, size, keyword)
                if not done:
                    blocked = True
                elif not blocked:
                    position = MailboxPosition(position.mailbox, position.uidvalidity, uid)
                    await self.store.set(position)
            seen = max(seen, uids[-1])
        return position

    async def _deliver(self, connection: ImapConnection, uid: int, size: int, keyword: str) -> bool:
        raw = headers = None
        if size <= self.options.max_message_bytes:
            raw = await connection.body(uid)
            if raw is None:
                return True  # expunged meanwhile
        else:
            log.warning("mail UID %s is %s bytes, above the %s-byte limit: not downloaded", uid, size,
                        self.options.max_message_bytes)
            headers = await connection.body(uid, "HEADER")
        try:
            ok = await self.handler(uid, raw, size, headers=headers)
        except Exception:
            log.exception("handler failed for mail UID %s; it stays unflagged and will be retried", uid)
            ok = False
        if not ok:
            _, failures = self._retry.get(uid, (0.0, 0))
            delay = min(self.options.retry_max, self.options.retry_initial * 2 ** failures)
            self._retry[uid] = (time.monotonic() + delay, failures + 1)
            return False
        self._retry.pop(uid, None)
        await connection.flag(uid, keyword)  # only now: the handler has the mail safe
        return True

    def _deadline(self, limit: float) -> float:
        """When to look again: `limit` from now, sooner if a failed mail is due for another try."""
        soonest = min((due for due, _ in self._retry.values()), default=float("inf"))
        return min(time.monotonic() + limit, soonest)

    async def _idle(self, connection: ImapConnection) -> bool:
        """Wait in IDLE until new mail, a retry, a refresh or stop. False when IDLE does not work."""
        client = connection.client
        assert client is not None
        try:
            idle_task = await connection.start_idle(self.options.idle_refresh)
        except aioimaplib.Abort as exc:
            log.warning("IDLE refused (%s): polling every %ss instead", exc, self.options.poll_interval)
            return False
        self.state = "idle"
        self.idling.set()
        deadline = self._deadline(self.options.idle_refresh + 1)
        try:
            while not self._stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                push = await self._wait(connection, deadline, client.wait_server_push(timeout=remaining))
                if push is None or push == aioimaplib.STOP_WAIT_SERVER_PUSH:
                    break  # stop, retry due, or time to refresh IDLE
                if any(isinstance(line, bytes) and line.endswith(_NEW_MAIL) for line in push):
                    break
        finally:
            self.idling.clear()
        connection.end_idle()
        await connection.guard(idle_task, interruptible=False)
        while not client.protocol.idle_queue.empty():
            client.protocol.idle_queue.get_nowait()  # what it said is what the catch-up will find
        return True

    async def _wait(self, connection: ImapConnection, deadline: float,
                    push: Awaitable[list[bytes]] | None = None) -> list[bytes] | None:
        """What the server pushed, or None at the deadline or on stop; ConnectionLost if it dies."""
        never: asyncio.Future[list[bytes]] = asyncio.get_running_loop().create_future()
        try:
            return await connection.guard(push if push is not None else never,
                                          timeout=max(0.0, deadline - time.monotonic()))
        except Stopping:
            return None  # the caller sees the stop flag and leaves IDLE politely
        except TimeoutError:
            return None  # wait_server_push's own timeout: nothing new
        except ConnectionLost:
            if connection.lost.is_set():
                raise
            return None  # our own deadline passed: not an error
        finally:
            never.cancel()

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except TimeoutError:
            pass
