"""Abuse limits: token buckets per connection and per client address.

A visitor typing normally never meets a limit (a burst of several messages, then a steady rate);
a script flooding the chat is refused with a clear error while everyone else goes on unaffected.

A connection lives in one process, so its buckets live in that process's memory. An address reaches
every process behind the load balancer, so when the service has a Redis (`redis_url`, the one the
Socket.IO manager uses) the per-address buckets live there, one atomic script call per check, and
N processes give an address one allowance, not N. Without Redis, or while Redis does not answer,
each process uses its own buckets (a flood is then bounded by the number of processes) — a limit
must never cost a customer their chat. The clock is injectable so tests of the local buckets say
"no time passes" instead of sleeping; the Redis buckets use Redis's clock, the same for every process.
"""
from __future__ import annotations

import ipaddress
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from chatbot.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


@dataclass(frozen=True)
class Rate:
    """`per_minute` tokens flow back each minute, up to `burst` saved; 0 per minute means unlimited."""

    per_minute: float
    burst: int

    @property
    def unlimited(self) -> bool:
        return self.per_minute <= 0


class TokenBuckets:
    """One bucket per key. Memory is bounded: past `max_keys` the least recently used bucket is
    dropped, which only hands that key a fresh burst — never a way around the per-connection limit,
    whose keys are few."""

    def __init__(self, rate: Rate, clock: Clock = time.monotonic, max_keys: int = 100_000) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def _level(self, key: str) -> float:
        now = self._clock()
        tokens, at = self._buckets.get(key, (float(self.rate.burst), now))
        refilled = tokens + max(0.0, now - at) * self.rate.per_minute / 60.0
        return min(float(self.rate.burst), refilled)

    def available(self, key: str) -> bool:
        return self.rate.unlimited or self._level(key) >= 1.0

    def take(self, key: str) -> None:
        if self.rate.unlimited:
            return
        self._buckets[key] = (self._level(key) - 1.0, self._clock())
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)

    def allow(self, key: str) -> bool:
        """Take a token when one is there; False means the caller must refuse the action."""
        if not self.available(key):
            return False
        self.take(key)
        return True

    def give_back(self, key: str) -> None:
        """Return a token just taken for an action that was refused after all."""
        if not self.rate.unlimited and key in self._buckets:
            self._buckets[key] = (min(float(self.rate.burst), self._level(key) + 1.0), self._clock())

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self._buckets)


# KEYS[1]: the bucket; ARGV: tokens per millisecond, burst. Returns 1 (a token taken) or 0.
# Time is Redis's own, so processes with skewed clocks agree; a full bucket is simply no key (kept a
# day at most). Writing after TIME needs effects replication: the default since Redis 5.
TAKE_TOKEN = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + tonumber(now_parts[2]) / 1000
local per_ms, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil or at == nil then
  tokens, at = burst, now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
if tokens < 1 then
  return 0
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.min(86400000, math.ceil((burst - tokens) / per_ms) + 1000))
return 1
"""


class RedisBuckets:
    """Token buckets shared by every process of the service, kept in Redis under
    `<namespace>:limit:<name>:<key>` (the namespace is the deployment's Redis channel, so staging and
    production on one Redis do not share allowances).

    When Redis does not answer, `take` returns None and the caller uses its own buckets; Redis is not
    asked again for `retry_after` seconds (a dead Redis must not add a timeout to every message), and
    the warning is logged at most once per `warn_every` seconds."""

    def __init__(self, client: Redis, namespace: str = "chatbot", retry_after: float = 2.0,
                 warn_every: float = 60.0) -> None:
        self._client = client
        self._script = client.register_script(TAKE_TOKEN)
        self.prefix = f"{namespace}:limit:"
        self.retry_after, self.warn_every = retry_after, warn_every
        self._down_until = 0.0
        self._warned_at: float | None = None
        self.failures = 0  # checks that fell back to this process's buckets

    @classmethod
    def from_url(cls, url: str, namespace: str = "chatbot", **options: float) -> RedisBuckets:
        """A client that gives up fast: a short timeout and no retries, since a local bucket is a
        good enough answer and the customer is waiting."""
        from redis.asyncio import from_url
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        client = from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))
        return cls(client, namespace, **options)

    async def take(self, name: str, key: str, rate: Rate) -> bool | None:
        """True: a token was taken; False: the bucket is empty; None: Redis did not answer."""
        if time.monotonic() < self._down_until:
            self.failures += 1
            return None
        try:
            taken = await self._script(keys=[f"{self.prefix}{name}:{key}"],
                                       args=[repr(rate.per_minute / 60_000.0), rate.burst])
        except Exception as exc:  # noqa: BLE001 — whatever went wrong, the local bucket answers
            self._unreachable(exc)
            return None
        return bool(taken)

    def _unreachable(self, exc: Exception) -> None:
        now = time.monotonic()
        self.failures += 1
        self._down_until = now + self.retry_after
        if self._warned_at is None or now - self._warned_at >= self.warn_every:
            self._warned_at = now
            log.warning("abuse limits: Redis did not answer (%s: %s); each process applies its own "
                        "per-address limits until it does", type(exc).__name__, exc)

    async def close(self) -> None:
        await self._client.aclose()


class AddressBuckets:
    """Buckets keyed by client address: in Redis when there is one, else (and whenever Redis does not
    answer) in this process's memory."""

    def __init__(self, name: str, rate: Rate, clock: Clock, shared: RedisBuckets | None) -> None:
        self.name, self.rate, self.shared = name, rate, shared
        self.local = TokenBuckets(rate, clock)

    async def allow(self, key: str) -> bool:
        if self.rate.unlimited:
            return True
        if self.shared is not None:
            taken = await self.shared.take(self.name, key, self.rate)
            if taken is not None:
                return taken
        return self.local.allow(key)


class ChatLimits:
    """The chat's limits: messages per connection and per address, new connections per address.
    `shared` (from the Redis URL) makes the per-address limits one for the whole service."""

    def __init__(self, per_connection: Rate, per_address: Rate, connections: Rate,
                 trusted_proxies: Networks = (), clock: Clock = time.monotonic,
                 shared: RedisBuckets | None = None) -> None:
        self.trusted_proxies = trusted_proxies
        self.shared = shared
        self.messages_by_connection = TokenBuckets(per_connection, clock)
        self.messages_by_address = AddressBuckets("messages", per_address, clock, shared)
        self.connections_by_address = AddressBuckets("connections", connections, clock, shared)
        # "typing"/"read" signals: the widget sends one every few seconds at most; each one fans out
        # to the agent consoles, so a script sending thousands must not reach them.
        self.signals_by_connection = TokenBuckets(Rate(60, 20) if not per_connection.unlimited else Rate(0, 1), clock)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = time.monotonic) -> ChatLimits:
        shared = (RedisBuckets.from_url(settings.redis_url, settings.redis_channel)
                  if settings.redis_url else None)
        return cls(Rate(settings.chat_messages_per_minute, settings.chat_message_burst),
                   Rate(settings.chat_address_messages_per_minute, settings.chat_address_message_burst),
                   Rate(settings.chat_connections_per_minute, settings.chat_connection_burst),
                   parse_networks(settings.trusted_proxies), clock, shared)

    def address_of(self, environ: dict[str, Any]) -> str:
        """The client address of a Socket.IO connection (python-engineio's environ has no real
        REMOTE_ADDR under aiohttp: the request object knows the peer)."""
        request = environ.get("aiohttp.request")
        peer = getattr(request, "remote", None) or environ.get("REMOTE_ADDR")
        headers = {"X-Forwarded-For": environ.get("HTTP_X_FORWARDED_FOR", "")}
        return client_address(peer, headers, self.trusted_proxies)

    async def connection_allowed(self, address: str) -> bool:
        return await self.connections_by_address.allow(address)

    async def message_allowed(self, connection: str, address: str) -> bool:
        """Both buckets must have a token; neither is charged for a refused message, so a flood
        from one connection does not drain the address's allowance for the next one. The
        connection's token is taken first (no await between its check and its charge) and given
        back when the address refuses."""
        if not self.messages_by_connection.allow(connection):
            return False
        if await self.messages_by_address.allow(address):
            return True
        self.messages_by_connection.give_back(connection)
        return False

    def signal_allowed(self, connection: str) -> bool:
        return self.signals_by_connection.allow(connection)

    def disconnected(self, connection: str) -> None:
        self.messages_by_connection.forget(connection)
        self.signals_by_connection.forget(connection)

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()


def parse_networks(value: str) -> Networks:
    """Comma-separated addresses or networks, e.g. "127.0.0.1, 10.0.0.0/8"; raises ValueError."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())


def client_address(peer: str | None, headers: Mapping[str, str], trusted: Networks) -> str:
    """The client's address: the TCP peer, or — only when the peer is a trusted reverse proxy — the
    last X-Forwarded-For hop that is not itself a trusted proxy. Anyone can write that header, so
    trusting it from an untrusted peer would let a flood pick a fresh address for each request."""
    address = peer or "unknown"
    if not trusted or not in_networks(address, trusted):
        return address
    hops = [h.strip() for h in headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not in_networks(hop, trusted):
            return hop[:64]
    return address


def in_networks(address: str, networks: Networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)
