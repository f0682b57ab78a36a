"""Abuse limits: token buckets per connection and per client address.

A visitor typing normally never meets a limit (a burst of several messages, then a steady rate);
a script flooding the chat is refused with a clear error while everyone else goes on unaffected.
Limits live in each process's memory: behind several processes an address gets the limit once per
process, which still bounds a flood by the number of processes. The clock is injectable so tests
say "no time passes" instead of sleeping.
"""
from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chatbot.settings import Settings

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

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self._buckets)


class ChatLimits:
    """The chat's limits: messages per connection and per address, new connections per address."""

    def __init__(self, per_connection: Rate, per_address: Rate, connections: Rate,
                 trusted_proxies: Networks = (), clock: Clock = time.monotonic) -> None:
        self.trusted_proxies = trusted_proxies
        self.messages_by_connection = TokenBuckets(per_connection, clock)
        self.messages_by_address = TokenBuckets(per_address, clock)
        self.connections_by_address = TokenBuckets(connections, clock)
        # "typing"/"read" signals: the widget sends one every few seconds at most; each one fans out
        # to the agent consoles, so a script sending thousands must not reach them.
        self.signals_by_connection = TokenBuckets(Rate(60, 20) if not per_connection.unlimited else Rate(0, 1), clock)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = time.monotonic) -> ChatLimits:
        return cls(Rate(settings.chat_messages_per_minute, settings.chat_message_burst),
                   Rate(settings.chat_address_messages_per_minute, settings.chat_address_message_burst),
                   Rate(settings.chat_connections_per_minute, settings.chat_connection_burst),
                   parse_networks(settings.trusted_proxies), clock)

    def address_of(self, environ: dict[str, Any]) -> str:
        """The client address of a Socket.IO connection (python-engineio's environ has no real
        REMOTE_ADDR under aiohttp: the request object knows the peer)."""
        request = environ.get("aiohttp.request")
        peer = getattr(request, "remote", None) or environ.get("REMOTE_ADDR")
        headers = {"X-Forwarded-For": environ.get("HTTP_X_FORWARDED_FOR", "")}
        return client_address(peer, headers, self.trusted_proxies)

    def connection_allowed(self, address: str) -> bool:
        return self.connections_by_address.allow(address)

    def message_allowed(self, connection: str, address: str) -> bool:
        """Both buckets must have a token; neither is charged for a refused message, so a flood
        from one connection does not drain the address's allowance for the next one."""
        if not (self.messages_by_connection.available(connection)
                and self.messages_by_address.available(address)):
            return False
        self.messages_by_connection.take(connection)
        self.messages_by_address.take(address)
        return True

    def signal_allowed(self, connection: str) -> bool:
        return self.signals_by_connection.allow(connection)

    def disconnected(self, connection: str) -> None:
        self.messages_by_connection.forget(connection)
        self.signals_by_connection.forget(connection)


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
