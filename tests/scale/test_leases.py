"""Leases: one process at a time runs a job such as reading the mailbox, and another takes over
when the holder stops renewing (on SQLite and PostgreSQL alike)."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.db import create_engine, session_factory
from chatbot.leases import LeaseKeeper, current_holder, release, try_acquire


@pytest.fixture
async def two_processes(database_url: str) -> AsyncIterator[list[async_sessionmaker[AsyncSession]]]:
    """Two session factories with their own engines, as two processes would have."""
    engines = [create_engine(database_url) for _ in range(2)]
    yield [session_factory(e) for e in engines]
    for e in engines:
        await e.dispose()


async def wait_until(predicate: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


async def test_only_one_process_holds_a_lease_until_it_expires(
        two_processes: list[async_sessionmaker[AsyncSession]]) -> None:
    a, b = two_processes
    results = await asyncio.gather(try_acquire(a, "mailbox:INBOX", "A", ttl=30),
                                   try_acquire(b, "mailbox:INBOX", "B", ttl=30))
    assert sorted(r is not None for r in results) == [False, True]  # a race has exactly one winner
    winner, loser, loser_name = (a, b, "B") if results[0] is not None else (b, a, "A")
    winner_name = "A" if loser_name == "B" else "B"
    assert await try_acquire(winner, "mailbox:INBOX", winner_name, ttl=30) == 1  # renewal keeps the epoch
    assert await try_acquire(loser, "mailbox:INBOX", loser_name, ttl=30) is None
    assert await try_acquire(loser, "other-job", loser_name, ttl=30) == 1  # leases are per name

    # The holder dies: it stops renewing; a very short lease lets the test see the expiry.
    assert await try_acquire(winner, "mailbox:INBOX", winner_name, ttl=0.2) == 1
    epoch = None
    for _ in range(100):
        epoch = await try_acquire(loser, "mailbox:INBOX", loser_name, ttl=30)
        if epoch is not None:
            break
        await asyncio.sleep(0.05)
    assert epoch == 2, "the other process takes over with a new fencing token"
    assert await try_acquire(winner, "mailbox:INBOX", winner_name, ttl=30) is None  # the old holder lost it
    holder = await current_holder(a, "mailbox:INBOX")
    assert holder is not None and holder.holder == loser_name


async def test_a_released_lease_is_taken_at_once(two_processes: list[async_sessionmaker[AsyncSession]]) -> None:
    a, b = two_processes
    assert await try_acquire(a, "sla-clocks", "A", ttl=600) == 1
    await release(a, "sla-clocks", "A")
    assert await try_acquire(b, "sla-clocks", "B", ttl=600) == 2


async def test_a_keeper_runs_the_job_in_one_process_and_hands_it_over(
        two_processes: list[async_sessionmaker[AsyncSession]]) -> None:
    running: list[str] = []
    overlaps: list[list[str]] = []

    def job(name: str) -> Any:
        async def run() -> None:
            running.append(name)
            if len(running) > 1:
                overlaps.append(list(running))
            try:
                await asyncio.Event().wait()  # a watcher runs until it is cancelled
            finally:
                running.remove(name)
        return run

    keepers = [LeaseKeeper(s, "mailbox:INBOX", job(n), ttl=1.5, retry_every=0.1, holder=n)
               for s, n in zip(two_processes, "AB")]
    for k in keepers:
        k.start()
    try:
        await wait_until(lambda: len(running) == 1)
        first = running[0]
        holder = next(k for k in keepers if k.holder == first)
        other = next(k for k in keepers if k.holder != first)
        assert holder.held and not other.held
        await holder.stop()  # a clean shutdown releases the lease
        await wait_until(lambda: running == [other.holder])
        assert other.held
    finally:
        for k in keepers:
            await k.stop()
    assert running == [] and overlaps == []


async def test_a_keeper_restarts_a_job_that_failed(two_processes: list[async_sessionmaker[AsyncSession]]) -> None:
    starts = 0

    async def flaky() -> None:
        nonlocal starts
        starts += 1
        if starts == 1:
            raise RuntimeError("IMAP connection reset")
        await asyncio.Event().wait()

    keeper = LeaseKeeper(two_processes[0], "mailbox:INBOX", flaky, ttl=0.6, retry_every=0.1, holder="A")
    keeper.start()
    try:
        await wait_until(lambda: starts >= 2)
    finally:
        await keeper.stop()
    assert not keeper.held
