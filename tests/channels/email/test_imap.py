"""The support mailbox on a real Dovecot: every mail reaches the handler, once it is safe, whatever
happens to the connection."""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Callable

import pytest

from chatbot.channels.email.imap import (
    ImapWatcher,
    MailboxPosition,
    MemoryPositionStore,
    WatchOptions,
)
from chatbot.channels.email.imap_client import ImapConfig
from tests.servers._common import client_context
from tests.servers.dovecot import DovecotServer

FAST = WatchOptions(poll_interval=3600, backoff_initial=0.1, backoff_max=0.5, retry_initial=0.3)


def mail(n: int, size: int = 0) -> bytes:
    body = f"Hello, this is mail {n}.\r\n" + ("x" * 76 + "\r\n") * (size // 78)
    return (f"From: Anna <anna@customer.example>\r\nTo: support@introserv.com\r\nSubject: mail {n}\r\n"
            f"Message-ID: <{n}@customer.example>\r\n\r\n{body}").encode()


class Recorder:
    """The handler: records what it was given; `fail` decides per call whether to refuse it."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, bytes | None, int, float]] = []
        self.headers: dict[int, bytes | None] = {}
        self.fail: Callable[[int, int], bool] = lambda uid, attempt: False

    async def __call__(self, uid: int, raw: bytes | None, size: int, headers: bytes | None = None) -> bool:
        attempt = sum(1 for c in self.calls if c[0] == uid)
        self.calls.append((uid, raw, size, time.monotonic()))
        self.headers[uid] = headers
        if self.fail(uid, attempt):
            raise RuntimeError(f"database unavailable for mail {uid}")
        return True

    def uids(self) -> list[int]:
        return [c[0] for c in self.calls]

    async def wait_for(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"handler got {len(self.calls)} mail(s), expected {count}")
            await asyncio.sleep(0.01)


async def eventually(check: Callable[[], object], timeout: float = 3.0) -> None:
    """The handler returns before the flag and the position are written: wait for them."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def flags(server: DovecotServer, uid: int) -> set[str]:
    return await asyncio.to_thread(server.flags, uid)


def config(server: DovecotServer) -> ImapConfig:
    return ImapConfig(server.host, server.port, server.user, server.password, tls="none", timeout=5)


@pytest.fixture
async def watch() -> AsyncIterator[Callable[..., ImapWatcher]]:
    watchers: list[ImapWatcher] = []

    def start(server: DovecotServer, handler: Recorder, store: MemoryPositionStore | None = None,
              options: WatchOptions = FAST) -> ImapWatcher:
        watcher = ImapWatcher(config(server), store or MemoryPositionStore(), handler, options)
        watcher.start()
        watchers.append(watcher)
        return watcher

    yield start
    for watcher in watchers:
        await watcher.stop()


async def append(server: DovecotServer, raw: bytes) -> int:
    return await asyncio.to_thread(server.append, raw)


async def test_new_mail_reaches_the_handler_within_seconds_through_idle(dovecot: DovecotServer,
                                                                        watch) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    watcher = watch(dovecot, handler)  # polling every hour: only IDLE can be this fast
    await asyncio.wait_for(watcher.idling.wait(), 5)
    start = time.monotonic()
    uid = await append(dovecot, mail(1))
    await handler.wait_for(1, timeout=3)
    took = handler.calls[0][3] - start
    assert took < 2.5, f"IDLE delivery took {took:.2f}s"
    assert handler.calls[0][:3] == (uid, mail(1), len(mail(1)))
    await asyncio.wait_for(watcher.idling.wait(), 5)  # back in IDLE: the flag is written
    assert "$Processed" in await flags(dovecot, uid)
    assert "\\Seen" not in await flags(dovecot, uid)  # staff still see it as new


async def test_mail_waiting_before_start_is_caught_up_and_the_position_kept(dovecot: DovecotServer,
                                                                             watch) -> None:  # type: ignore[no-untyped-def]
    uids = [await append(dovecot, mail(n)) for n in range(3)]
    handler, store = Recorder(), MemoryPositionStore()
    watcher = watch(dovecot, handler, store)
    await handler.wait_for(3)
    assert handler.uids() == uids
    await asyncio.wait_for(watcher.idling.wait(), 5)
    assert store.positions["INBOX"] == MailboxPosition("INBOX", watcher.uidvalidity or 0, uids[-1])
    await watcher.stop()
    # A second start hands nothing again: the flags and the position both say "done".
    again = Recorder()
    await asyncio.wait_for(watch(dovecot, again, store).idling.wait(), 5)
    assert again.calls == []


async def test_mail_arriving_during_a_catch_up_is_not_left_for_the_next_idle_refresh(
        dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    """Dovecot announces mail appended during the catch-up in the answers to its own commands, not
    again in IDLE: the watcher must look again before idling (or the mail waits minutes)."""
    await append(dovecot, mail(0))

    class Appending(Recorder):
        async def __call__(self, uid: int, raw: bytes | None, size: int, headers: bytes | None = None) -> bool:
            if not self.calls:  # a burst: another mail lands while the first is being handled
                await append(dovecot, mail(1))
            return await Recorder.__call__(self, uid, raw, size, headers)

    handler = Appending()
    watch(dovecot, handler, options=WatchOptions(poll_interval=3600, idle_refresh=300))
    await handler.wait_for(2, timeout=5)
    assert len(handler.uids()) == 2


async def test_dovecot_restart_is_survived_and_mail_delivered_meanwhile_caught_up(
        dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    watcher = watch(dovecot, handler)
    await asyncio.wait_for(watcher.idling.wait(), 5)
    await asyncio.to_thread(dovecot.stop)
    await asyncio.to_thread(dovecot.deliver_to_maildir, mail(1))  # arrives while IMAP is down
    await asyncio.sleep(0.5)
    assert watcher.state == "backoff" and handler.calls == []
    await asyncio.to_thread(dovecot.start)
    await handler.wait_for(1, timeout=10)
    assert handler.calls[0][1] == mail(1)
    assert watcher.connections == 2
    await asyncio.wait_for(watcher.idling.wait(), 5)
    await append(dovecot, mail(2))  # and IDLE works again on the new connection
    await handler.wait_for(2, timeout=3)
    assert [c[1] for c in handler.calls] == [mail(1), mail(2)]


async def test_oversized_mail_is_reported_by_size_and_never_downloaded(dovecot: DovecotServer,
                                                                       watch) -> None:  # type: ignore[no-untyped-def]
    big = mail(1, size=60_000)
    uid = await append(dovecot, big)
    handler = Recorder()
    watcher = watch(dovecot, handler, options=WatchOptions(max_message_bytes=10_000, poll_interval=3600))
    await handler.wait_for(1)
    assert handler.calls[0][:3] == (uid, None, len(big))
    # Its header section is enough to tell the sender the limit.
    assert big.startswith(handler.headers[uid] or b"-") and b"From: Anna" in (handler.headers[uid] or b"")
    await asyncio.wait_for(watcher.idling.wait(), 5)
    assert "$Processed" in await flags(dovecot, uid)
    await watcher.stop()
    # Dovecot's own accounting of what it sent to each session (append, flags check, the watcher):
    # none got anywhere near the mail's size.
    def sent() -> list[int]:
        return [int(n) for n in re.findall(r"Logged out in=\d+ out=(\d+)", dovecot.log_text())]
    await eventually(lambda: len(sent()) >= 3)
    assert max(sent()) < 10_000, sent()


async def test_a_failing_handler_leaves_the_mail_unflagged_without_blocking_the_next(
        dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    first, second = await append(dovecot, mail(1)), await append(dovecot, mail(2))
    handler, store = Recorder(), MemoryPositionStore()
    handler.fail = lambda uid, attempt: uid == first  # the database refuses mail 1, for now
    options = WatchOptions(poll_interval=3600, retry_initial=3600)  # no retry within this session
    watcher = watch(dovecot, handler, store, options)
    await handler.wait_for(2)
    assert handler.uids() == [first, second]
    await asyncio.wait_for(watcher.idling.wait(), 5)
    assert "$Processed" not in await flags(dovecot, first)
    assert "$Processed" in await flags(dovecot, second)
    assert store.positions["INBOX"].last_uid == 0  # the position never passes an unfinished mail
    await watcher.stop()
    # After a restart (the database is back) mail 1 is handed again, mail 2 is not.
    retried = Recorder()
    await asyncio.wait_for(watch(dovecot, retried, store, options).idling.wait(), 5)
    assert retried.uids() == [first]
    assert "$Processed" in await flags(dovecot, first)
    assert store.positions["INBOX"].last_uid == second


async def test_a_failed_mail_is_retried_in_the_same_session(dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    uid = await append(dovecot, mail(1))
    handler = Recorder()
    handler.fail = lambda uid, attempt: attempt < 2  # fails twice, then the database is back
    watcher = watch(dovecot, handler)  # retry after 0.3 s, then 0.6 s
    await handler.wait_for(3, timeout=5)
    assert handler.uids() == [uid, uid, uid]
    await asyncio.wait_for(watcher.idling.wait(), 5)
    assert "$Processed" in await flags(dovecot, uid)


async def test_uidvalidity_change_rescans_the_mailbox(dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    uids = [await append(dovecot, mail(n)) for n in range(2)]
    validity = await asyncio.to_thread(dovecot.uidvalidity)
    store = MemoryPositionStore()
    # A position from before the mailbox was rebuilt: its UIDs mean nothing any more.
    await store.set(MailboxPosition("INBOX", validity - 1, 999))
    handler = Recorder()
    watch(dovecot, handler, store)
    await handler.wait_for(2)
    assert handler.uids() == uids
    await eventually(lambda: store.positions["INBOX"] == MailboxPosition("INBOX", validity, uids[-1]))


async def test_without_idle_the_watcher_polls(make_dovecot, watch) -> None:  # type: ignore[no-untyped-def]
    server = make_dovecot(capabilities="IMAP4rev1 LITERAL+ UIDPLUS")
    handler = Recorder()
    watcher = watch(server, handler, options=WatchOptions(poll_interval=0.3))
    await handler.wait_for(0)
    deadline = time.monotonic() + 5
    while watcher.state != "polling" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert watcher.state == "polling" and not watcher.idling.is_set()
    await append(server, mail(1))
    await handler.wait_for(1, timeout=2)


async def test_credentials_never_reach_the_logs(make_dovecot, watch,  # type: ignore[no-untyped-def]
                                                caplog: pytest.LogCaptureFixture) -> None:
    # A quote and a backslash: aioimaplib's own scrubbing misses the quoted form of such a password.
    server = make_dovecot(password='pa"ss\\w0rd-imap')
    caplog.set_level(logging.DEBUG)
    handler = Recorder()
    watcher = watch(server, handler)
    await asyncio.wait_for(watcher.idling.wait(), 5)
    await watcher.stop()
    assert "LOGIN" in caplog.text  # the login was logged at DEBUG ...
    assert 'pa"ss' not in caplog.text and 'pa\\"ss' not in caplog.text  # ... without the password
    assert "pa\"ss" not in repr(config(server))


async def test_refused_login_backs_off_then_recovers_by_itself(make_dovecot, watch) -> None:  # type: ignore[no-untyped-def]
    server = make_dovecot()
    uid = await append(server, mail(1))
    # Our side got the rotated password before the mail server did.
    server.password = "rotated-pw"
    handler = Recorder()
    watcher = watch(server, handler)
    await asyncio.sleep(1.0)
    assert watcher.state in {"backoff", "connecting"} and handler.calls == [] and watcher.connections == 0
    await asyncio.to_thread(server.set_password, "rotated-pw")  # the admin catches up
    await handler.wait_for(1, timeout=20)  # Dovecot delays logins after failures: be patient
    assert handler.uids() == [uid]


async def test_stop_during_connection_trouble_is_prompt(make_dovecot, watch) -> None:  # type: ignore[no-untyped-def]
    server = make_dovecot()
    server.password = "wrong"
    watcher = watch(server, Recorder())
    await asyncio.sleep(0.5)  # failing logins, each delayed by Dovecot's auth penalty
    start = time.monotonic()
    await watcher.stop()
    assert time.monotonic() - start < 0.5 and watcher.state == "stopped"


async def test_stop_while_idling_is_prompt_and_logs_out(dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    watcher = watch(dovecot, Recorder())
    await asyncio.wait_for(watcher.idling.wait(), 5)
    start = time.monotonic()
    await watcher.stop()
    assert time.monotonic() - start < 1.0 and watcher.state == "stopped"
    await eventually(lambda: "Logged out" in dovecot.log_text())


@pytest.mark.parametrize("mode", ["tls", "starttls"])
async def test_tls_and_starttls(make_dovecot, watch, mode: str) -> None:  # type: ignore[no-untyped-def]
    server = make_dovecot(tls=True)
    uid = await append(server, mail(1))
    port = server.tls_port if mode == "tls" else server.port
    handler = Recorder()
    watcher = ImapWatcher(ImapConfig(server.host, port, server.user, server.password, tls=mode, timeout=5,
                                     tls_context=client_context(server.cert)), MemoryPositionStore(), handler, FAST)
    watcher.start()
    try:
        await handler.wait_for(1)
        assert handler.calls[0][:2] == (uid, mail(1))
        await eventually(lambda: "TLS" in server.log_text() and "Login: user=<" in server.log_text())
        logins = [line for line in server.log_text().splitlines() if "Login: user=<support" in line]
        assert logins and all("TLS" in line for line in logins[-1:])  # the login itself went encrypted
    finally:
        await watcher.stop()


async def test_no_login_in_clear_when_starttls_is_missing(dovecot: DovecotServer, watch) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    watcher = ImapWatcher(ImapConfig(dovecot.host, dovecot.port, dovecot.user, dovecot.password,
                                     tls="starttls", timeout=5), MemoryPositionStore(), handler, FAST)
    watcher.start()
    try:
        await asyncio.sleep(1.0)
        assert watcher.connections == 0 and handler.calls == []
        assert "Login: user=<support" not in dovecot.log_text()  # the password never left in clear
    finally:
        await watcher.stop()
