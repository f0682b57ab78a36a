"""The IMAP commands the watcher needs, over aioimaplib, with its rough edges handled.

aioimaplib never resolves a pending command when the socket dies (its IDLE waits forever), so every
command here is raced against the connection-lost event that `conn_lost_cb` sets, and against a
deadline; both raise ConnectionLost and the watcher rebuilds the client.
"""
from __future__ import annotations

import asyncio
import logging
import re
import socket
import ssl
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import aioimaplib  # type: ignore[import-untyped]

T = TypeVar("T")
TlsMode = Literal["none", "starttls", "tls"]
_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")
_PERMANENTFLAGS = re.compile(rb"\[PERMANENTFLAGS \(([^)]*)\)\]")
_FETCH_UID = re.compile(rb"UID (\d+)")
_FETCH_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_FETCH_FLAGS = re.compile(rb"FLAGS \(([^)]*)\)")


class ImapError(Exception):
    """The server refused something we need (login, SELECT, STORE...). The text is safe to log."""


class ConnectionLost(ImapError):
    """The socket died or the server stopped answering; the client must be rebuilt."""


class Stopping(ImapError):
    """The watcher is stopping; the command was abandoned."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    username: str
    password: str = field(repr=False)  # repr is what ends up in logs and tracebacks
    mailbox: str = "INBOX"
    tls: TlsMode = "tls"
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)
    timeout: float = 30.0


class _Redact(logging.Filter):
    """aioimaplib scrubs the password from its debug log, but only in its unquoted form: a password
    holding a quote or a backslash would be logged. This filter hides both forms."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        quoted = secret.replace("\\", "\\\\").replace('"', '\\"')
        self.forms = [f for f in {secret, quoted} if f]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(f in text for f in self.forms):
            for form in self.forms:
                text = text.replace(form, "***")
            record.msg, record.args = text, ()
        return True


@dataclass
class Mailbox:
    uidvalidity: int
    keywords_allowed: bool  # PERMANENTFLAGS contains \* : custom keywords such as $Processed stick


class ImapConnection:
    """One logged-in, selected IMAP session. Build a new one after any ConnectionLost."""

    def __init__(self, config: ImapConfig, stopping: asyncio.Event | None = None) -> None:
        self.config = config
        self.lost = asyncio.Event()
        # Stop aborts any IMAP command at once (nothing is flagged half-way: a mail whose flag was
        # not stored is simply handed again next time); the handler itself is never interrupted.
        self.stopping = stopping or asyncio.Event()
        self.client: aioimaplib.IMAP4 | None = None
        self._redact = _Redact(config.password)
        self._done_sent = True  # no IDLE running yet

    def _on_lost(self, exc: Exception | None) -> None:
        self.lost.set()  # bound to this connection's own event, so a late callback hits nothing else

    async def guard(self, awaitable: Awaitable[T], timeout: float | None = -1.0,
                    interruptible: bool = True) -> T:
        """`awaitable`'s result, unless the connection dies first, the deadline passes or (when
        interruptible) the watcher stops."""
        limit = self.config.timeout * 2 if timeout == -1.0 else timeout
        task = asyncio.ensure_future(awaitable)
        lost = asyncio.ensure_future(self.lost.wait())
        stopping = asyncio.ensure_future(self.stopping.wait() if interruptible else asyncio.Event().wait())
        try:
            done, _ = await asyncio.wait({task, lost, stopping}, timeout=limit,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            stopping.cancel()
        if task in done:
            return task.result()
        task.cancel()
        if interruptible and self.stopping.is_set():
            raise Stopping("stopping")
        raise ConnectionLost("connection lost" if self.lost.is_set() else "the server stopped answering")

    async def open(self) -> Mailbox:
        cfg = self.config
        logging.getLogger("aioimaplib.aioimaplib").addFilter(self._redact)
        context = cfg.tls_context or ssl.create_default_context()
        self.client = aioimaplib.IMAP4(
            host=cfg.host, port=cfg.port, timeout=cfg.timeout, conn_lost_cb=self._on_lost,
            ssl_context=context if cfg.tls == "tls" else None)
        try:
            await self.guard(self.client.wait_hello_from_server())
        except (OSError, ssl.SSLError) as exc:
            raise ConnectionLost(f"cannot connect to {cfg.host}:{cfg.port}: {exc}") from exc
        self._keepalive()
        if cfg.tls == "starttls":
            await self._starttls(context)
        response = await self.guard(self.client.login(cfg.username, cfg.password))
        if response.result != "OK":
            raise ImapError(f"login refused for {cfg.username}: {_text(response.lines)}")
        response = await self.guard(self.client.select(cfg.mailbox))
        if response.result != "OK":
            raise ImapError(f"cannot select {cfg.mailbox}: {_text(response.lines)}")
        joined = b" ".join(line for line in response.lines if isinstance(line, bytes))
        validity = _UIDVALIDITY.search(joined)
        if validity is None:
            raise ImapError(f"{cfg.mailbox} has no UIDVALIDITY; cannot track a position")
        flags = _PERMANENTFLAGS.search(joined)
        return Mailbox(int(validity.group(1)), flags is not None and b"\\*" in flags.group(1))

    def _keepalive(self) -> None:
        # A half-open connection (NAT timeout, dead peer) sends no FIN: TCP keepalive notices it
        # within minutes even while we sit in IDLE.
        transport = self.client.protocol.transport if self.client else None
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is None:
            return
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for name, value in (("TCP_KEEPIDLE", 60), ("TCP_KEEPINTVL", 15), ("TCP_KEEPCNT", 4)):
            if hasattr(socket, name):
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)

    async def _starttls(self, context: ssl.SSLContext) -> None:
        assert self.client is not None
        protocol = self.client.protocol
        if "STARTTLS" not in protocol.capabilities:
            raise ImapError(f"{self.config.host} does not offer STARTTLS; refusing to log in in clear")
        command = aioimaplib.Command("STARTTLS", protocol.new_tag(), loop=protocol.loop)
        response = await self.guard(protocol.execute(command))
        if response.result != "OK":
            raise ImapError(f"STARTTLS refused: {_text(response.lines)}")
        loop = asyncio.get_running_loop()
        protocol.transport = await self.guard(loop.start_tls(
            protocol.transport, protocol, context, server_hostname=self.config.host))
        await self.guard(protocol.capability())  # capabilities before TLS must not be trusted

    def end_idle(self) -> None:
        """Send DONE once per IDLE: a second DONE is a protocol error the server answers with BAD."""
        if self.client is not None and not self._done_sent:
            self._done_sent = True
            self.client.idle_done()

    async def start_idle(self, refresh: float) -> asyncio.Future[object]:
        assert self.client is not None
        self._done_sent = False
        return await self.guard(self.client.idle_start(timeout=refresh))

    def has_idle(self) -> bool:
        return self.client is not None and self.client.has_capability("IDLE")

    async def uids_above(self, above: int) -> list[int]:
        """Every UID above `above`, ascending."""
        assert self.client is not None
        response = await self.guard(self.client.uid_search(f"UID {above + 1}:*", charset=None))
        if response.result != "OK":
            raise ImapError(f"SEARCH failed: {_text(response.lines)}")
        uids: set[int] = set()
        # aioimaplib strips "* SEARCH" from the untagged lines; the last line is the tagged status.
        for line in response.lines[:-1]:
            words = bytes(line).split()
            if words[:1] == [b"SEARCH"]:
                words = words[1:]
            if words and all(w.isdigit() for w in words):
                uids.update(int(w) for w in words)
        return sorted(u for u in uids if u > above)  # "n:*" always matches the last mail, even below n

    async def sizes_and_flags(self, uids: list[int]) -> dict[int, tuple[int, set[str]]]:
        """uid → (RFC822.SIZE, flags), fetched in chunks (aioimaplib re-scans a whole response per
        received line, so one huge FETCH would be quadratic)."""
        assert self.client is not None
        found: dict[int, tuple[int, set[str]]] = {}
        for start in range(0, len(uids), 200):
            chunk = ",".join(str(u) for u in uids[start:start + 200])
            response = await self.guard(self.client.uid("fetch", chunk, "(UID FLAGS RFC822.SIZE)"))
            if response.result != "OK":
                raise ImapError(f"FETCH sizes failed: {_text(response.lines)}")
            for line in response.lines:
                if not isinstance(line, bytes):
                    continue
                uid, size, flags = _FETCH_UID.search(line), _FETCH_SIZE.search(line), _FETCH_FLAGS.search(line)
                if uid and size:
                    names = set(flags.group(1).decode("ascii", "replace").split()) if flags else set()
                    found[int(uid.group(1))] = (int(size.group(1)), names)
        return found

    async def body(self, uid: int, section: str = "") -> bytes | None:
        """The raw message (or one section of it, e.g. HEADER), without setting \\Seen (BODY.PEEK);
        None when it vanished meanwhile."""
        assert self.client is not None
        # No overall deadline: a big mail on a slow link may take long; aioimaplib's own timer
        # fires only when no data arrives for `timeout` seconds.
        response = await self.guard(self.client.uid("fetch", str(uid), f"BODY.PEEK[{section}]"), timeout=None)
        if response.result != "OK":
            raise ImapError(f"FETCH {uid} failed: {_text(response.lines)}")
        for line in response.lines:
            if isinstance(line, bytearray):
                return bytes(line)
        return None

    async def flag(self, uid: int, keyword: str) -> None:
        assert self.client is not None
        response = await self.guard(self.client.uid("store", str(uid), "+FLAGS.SILENT", f"({keyword})"))
        if response.result != "OK":
            raise ImapError(f"STORE {keyword} on {uid} failed: {_text(response.lines)}")

    async def noop(self) -> None:
        assert self.client is not None
        await self.guard(self.client.noop())

    async def close(self) -> None:
        logging.getLogger("aioimaplib.aioimaplib").removeFilter(self._redact)
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if not self.lost.is_set() and client.get_state() in {"AUTH", "SELECTED"}:
                if client.has_pending_idle():
                    self.end_idle()  # LOGOUT would queue behind an IDLE that never ends
                await self.guard(client.logout(), timeout=2.0, interruptible=False)
        except (TimeoutError, ImapError, aioimaplib.AioImapException, OSError):
            pass  # closing anyway
        finally:
            transport = client.protocol.transport
            if transport is not None:
                transport.close()


def _text(lines: list[bytes | bytearray]) -> str:
    return " ".join(bytes(line).decode("utf-8", "replace") for line in lines)[:300]
