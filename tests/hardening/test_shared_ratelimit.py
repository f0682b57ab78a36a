"""Per-address abuse limits shared through Redis: N processes behind a load balancer give an address
one allowance, not N; a Redis that goes away costs nobody their chat (each process falls back to its
own limits). Real Redis servers throughout: the deployment's one, a private one that is stopped and
restarted, and a port where nothing listens."""
from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from chatbot.ratelimit import ChatLimits, Rate, RedisBuckets
from tests.conftest import ChatVisitor
from tests.scale.cluster import REDIS_URL, Cluster, redis_available
from tests.scale.conftest import scale_database  # noqa: F401  (PostgreSQL + Redis for the processes)
from tests.servers._common import free_port, unavailable

ADDRESS = "198.51.100.40"
NO_REFILL = 0.01  # per minute: one token per 100 minutes, nothing comes back during a test


@pytest.fixture
async def redis_url() -> str:
    problem = await redis_available(REDIS_URL)
    if problem:
        unavailable(problem)
    return REDIS_URL


@pytest.fixture
async def namespace(redis_url: str) -> AsyncIterator[str]:
    """A namespace of this test's own on the shared Redis, emptied afterwards."""
    name = f"chatbot-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = aioredis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match=f"{name}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def process(url: str, namespace: str, *, per_connection: Rate = Rate(0, 1),
            per_address: Rate = Rate(NO_REFILL, 5), connections: Rate = Rate(NO_REFILL, 4),
            retry_after: float = 2.0) -> ChatLimits:
    """The limits one `chatbot serve` process builds: its own Redis client, its own memory."""
    return ChatLimits(per_connection, per_address, connections,
                      shared=RedisBuckets.from_url(url, namespace, retry_after=retry_after))


async def test_two_processes_allow_together_what_one_allows_alone(redis_url: str, namespace: str) -> None:
    a, b = process(redis_url, namespace), process(redis_url, namespace)
    try:
        sent = [await (a if i % 2 else b).message_allowed(f"sid-{i}", ADDRESS) for i in range(6)]
        assert sent == [True] * 5 + [False], "burst 5 per address, whichever process checks"
        assert not await a.message_allowed("sid-a", ADDRESS) and not await b.message_allowed("sid-b", ADDRESS)
        assert await a.message_allowed("sid-c", "198.51.100.41"), "another address has its own allowance"

        opened = [await (b if i % 2 else a).connection_allowed(ADDRESS) for i in range(5)]
        assert opened == [True] * 4 + [False], "burst 4 new connections per address, across processes"

        client = aioredis.from_url(redis_url)
        try:
            key = f"{namespace}:limit:messages:{ADDRESS}"
            assert await client.exists(key), key
            assert await client.pttl(key) > 0, "a bucket in use expires by itself"
        finally:
            await client.aclose()
    finally:
        await a.close()
        await b.close()


async def test_a_refusal_charges_neither_bucket(redis_url: str, namespace: str) -> None:
    """Per-connection buckets stay in the process (a connection lives in one); a message refused by
    one bucket costs nothing in the other."""
    a = process(redis_url, namespace, per_connection=Rate(NO_REFILL, 3))
    b = process(redis_url, namespace, per_connection=Rate(NO_REFILL, 3))
    try:
        assert [await a.message_allowed("sid-1", ADDRESS) for _ in range(3)] == [True] * 3
        refused = [await a.message_allowed("sid-1", ADDRESS) for _ in range(20)]
        assert not any(refused), "the connection has spent its burst"
        # The 20 refused cost the address nothing: 2 of its 5 remain, for a connection on another process.
        assert [await b.message_allowed("sid-2", ADDRESS) for _ in range(3)] == [True, True, False]
        # The address refused sid-3's message: sid-3 keeps all 3 of its tokens for another address...
        assert not await b.message_allowed("sid-3", ADDRESS)
        assert [await b.message_allowed("sid-3", "198.51.100.42") for _ in range(4)] == [True] * 3 + [False]
    finally:
        await a.close()
        await b.close()


async def test_shared_buckets_refill_with_time_up_to_the_burst(redis_url: str, namespace: str) -> None:
    rate = Rate(per_minute=120, burst=3)  # a token every half second
    a, b = process(redis_url, namespace, per_address=rate), process(redis_url, namespace, per_address=rate)
    try:
        drained = [await (a, b)[i % 2].message_allowed(f"sid-{i}", ADDRESS) for i in range(4)]
        assert drained == [True] * 3 + [False]
        for _ in range(100):  # bounded wait for a token to flow back (no assertion on how fast)
            await asyncio.sleep(0.1)
            if await b.message_allowed("sid-late", ADDRESS):
                break
        else:
            pytest.fail("no token came back within 10 s at 120 per minute")
        await asyncio.sleep(2.0)  # long enough to refill far more than the burst
        refilled = [await (a, b)[i % 2].message_allowed(f"sid-x{i}", ADDRESS) for i in range(4)]
        assert refilled == [True] * 3 + [False], "a long pause never saves more than the burst"

        assert await a.message_allowed("sid-y", "198.51.100.44")
        client = aioredis.from_url(redis_url)
        try:
            key = f"{namespace}:limit:messages:198.51.100.44"
            for _ in range(100):  # once the bucket is full again its key is gone: Redis holds no idle address
                if not await client.exists(key):
                    break
                await asyncio.sleep(0.1)
            else:
                pytest.fail("a refilled bucket's key did not expire")
        finally:
            await client.aclose()
    finally:
        await a.close()
        await b.close()


async def test_an_unreachable_redis_falls_back_to_local_limits(caplog: pytest.LogCaptureFixture) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    limits = process(dead, "chatbot-test-dead", retry_after=0.0)
    try:
        with caplog.at_level(logging.WARNING, logger="chatbot.ratelimit"):
            sent = [await limits.message_allowed(f"sid-{i}", ADDRESS) for i in range(7)]
            opened = [await limits.connection_allowed(ADDRESS) for _ in range(5)]
        assert sent == [True] * 5 + [False, False], "this process's own per-address limit still holds"
        assert opened == [True] * 4 + [False]
        assert limits.shared is not None and limits.shared.failures == 12, "every check fell back"
        warnings = [r for r in caplog.records if "Redis did not answer" in r.getMessage()]
        assert len(warnings) == 1, "one warning per interval, not one per message"
    finally:
        await limits.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], list[str]]]:
    """A Redis server of this test's own, which the test may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    port = free_port()
    command = [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield f"redis://127.0.0.1:{port}/0", server, command
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=10)


async def _until_redis_answers(url: str) -> None:
    for _ in range(100):
        if await redis_available(url) is None:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"Redis at {url} did not start")


async def test_redis_going_away_mid_run_then_coming_back(private_redis) -> None:
    url, server, command = private_redis
    await _until_redis_answers(url)
    a = process(url, "chatbot-test", retry_after=0.2)
    b = process(url, "chatbot-test", retry_after=0.2)
    try:
        assert [await (a, b)[i % 2].message_allowed(f"sid-{i}", ADDRESS) for i in range(3)] == [True] * 3

        server.terminate()  # Redis goes away: customers keep chatting under each process's own limits
        server.wait(timeout=10)
        assert [await a.message_allowed(f"sid-a{i}", ADDRESS) for i in range(6)] == [True] * 5 + [False]
        assert await b.message_allowed("sid-b", ADDRESS), "b has its own local allowance while Redis is away"

        restarted = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await _until_redis_answers(url)
            await asyncio.sleep(0.3)  # past retry_after: the processes ask Redis again
            # A fresh Redis has no buckets: one shared allowance again, from full.
            sent = [await (a, b)[i % 2].message_allowed(f"sid-r{i}", "198.51.100.43") for i in range(6)]
            assert sent == [True] * 5 + [False]
        finally:
            restarted.terminate()
            restarted.wait(timeout=10)
    finally:
        await a.close()
        await b.close()


# -- two real `chatbot serve` processes -----------------------------------------------------------

@pytest.fixture
def two_limited_processes(scale_database: str, tmp_path: Path) -> Iterator[Cluster]:  # noqa: F811
    # Every test visitor comes from 127.0.0.1: one address, 5 messages, one token back per minute.
    cluster = Cluster(scale_database, tmp_path, 2, redis_url=REDIS_URL,
                      CHATBOT_CHAT_ADDRESS_MESSAGES_PER_MINUTE="1", CHATBOT_CHAT_ADDRESS_MESSAGE_BURST="5")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


async def test_an_address_over_its_burst_is_refused_whichever_process_it_reaches(
        two_limited_processes: Cluster) -> None:
    first, second = (ChatVisitor(url) for url in two_limited_processes.urls)
    try:
        await first.connect(locale="en")
        await second.connect(locale="en")
        acks = [await (first, second)[i % 2].say(f"hello {i}") for i in range(6)]
        assert ["id" in ack for ack in acks] == [True] * 5 + [False], acks
        assert acks[-1]["error"]["code"] == "rate_limited"
        assert first.client.connected and second.client.connected, "told, not cut off"
    finally:
        await first.close()
        await second.close()
