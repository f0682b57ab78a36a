"""Abuse limits: a flooding connection or address is refused with a clear, translated error, its
refused messages are not stored, and every other visitor goes on unaffected."""
from __future__ import annotations

from chatbot.ratelimit import ChatLimits, Rate, TokenBuckets, client_address, parse_networks
from tests.hardening.conftest import TIGHT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_the_steady_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(Rate(per_minute=6, burst=3), clock)
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]
    assert buckets.allow("b"), "another key has its own bucket"
    clock.now += 10  # 6 per minute: one token back every 10 s
    assert buckets.allow("a") and not buckets.allow("a")
    clock.now += 3600
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False], "never more than the burst"


def test_unlimited_and_bounded_memory() -> None:
    assert all(TokenBuckets(Rate(0, 1)).allow("x") for _ in range(1000))
    buckets = TokenBuckets(Rate(1, 1), Clock(), max_keys=100)
    for i in range(1000):
        buckets.allow(f"addr-{i}")
    assert len(buckets) == 100


async def test_a_refused_message_does_not_drain_the_address_allowance() -> None:
    limits = ChatLimits(Rate(0.01, 2), Rate(0.01, 3), Rate(0, 1), clock=Clock())
    assert [await limits.message_allowed("sid-1", "198.51.100.7") for _ in range(2)] == [True, True]
    assert not any([await limits.message_allowed("sid-1", "198.51.100.7") for _ in range(50)])
    assert await limits.message_allowed("sid-2", "198.51.100.7"), "the refused 50 cost the address nothing"
    # ...nor the connection: refused by the spent address, sid-3 keeps both tokens for later.
    assert not await limits.message_allowed("sid-3", "198.51.100.7")
    assert [await limits.message_allowed("sid-3", "198.51.100.8") for _ in range(3)] == [True, True, False]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    trusted = parse_networks("10.0.0.0/8, ::1")
    forged = {"X-Forwarded-For": "203.0.113.9"}
    assert client_address("198.51.100.1", forged, trusted) == "198.51.100.1", "an untrusted peer cannot pick its address"
    assert client_address("10.1.2.3", forged, trusted) == "203.0.113.9"
    # The client may prepend anything; the proxy appends the address it saw: take the last untrusted hop.
    chain = {"X-Forwarded-For": "1.1.1.1, 203.0.113.9, 10.0.0.5"}
    assert client_address("10.1.2.3", chain, trusted) == "203.0.113.9"
    assert client_address("10.1.2.3", {}, trusted) == "10.1.2.3"


async def test_a_flooding_connection_is_refused_and_others_are_not(make_app, visitors) -> None:
    running = await make_app(**TIGHT)
    flooder = visitors(running.url, "203.0.113.10")
    await flooder.connect(locale="fr")
    neighbour = visitors(running.url, "203.0.113.11")
    await neighbour.connect(locale="en")

    acks = [await flooder.call("message", {"text": f"bonjour {i}"}) for i in range(6)]
    ok = [a for a in acks if "id" in a]
    refused = [a["error"] for a in acks if "error" in a]
    assert len(ok) == 3 and len(refused) == 3, acks
    assert {e["code"] for e in refused} == {"rate_limited"}
    assert "trop rapidement" in refused[0]["message"], "the refusal is in the visitor's language"
    assert flooder.client.connected, "a limited client is told, not cut off"

    assert "id" in await neighbour.call("message", {"text": "hello, what is your support email?"})
    await neighbour.wait_for(lambda: len(neighbour.messages("answer")) >= 1)

    # Nothing refused was stored: a second tab of the same conversation reads exactly the three.
    tab = visitors(running.url, "203.0.113.12")
    await tab.connect(token=flooder.session["token"])
    history = await tab.call("history", {})
    customer = [m["text"] for m in history["messages"] if m["author"] == "customer"]
    assert customer == ["bonjour 0", "bonjour 1", "bonjour 2"]


async def test_one_address_shares_one_allowance_across_connections(make_app, visitors) -> None:
    running = await make_app(**TIGHT)
    first, second = visitors(running.url, "203.0.113.20"), visitors(running.url, "203.0.113.20")
    other = visitors(running.url, "203.0.113.21")
    for v in (first, second, other):
        await v.connect(locale="en")
    sent = [await v.call("message", {"text": "hello"}) for v in (first, first, first, second, second, second)]
    assert ["id" in a for a in sent] == [True, True, True, True, True, False], "5 per address, 3 per connection"
    assert sent[-1]["error"]["code"] == "rate_limited"
    assert "id" in await other.call("message", {"text": "hello"})


async def test_too_many_new_connections_from_one_address(make_app, visitors) -> None:
    running = await make_app(**TIGHT)
    accepted = []
    for _ in range(4):
        v = visitors(running.url, "203.0.113.30")
        await v.connect(locale="de")
        accepted.append(v)
    assert all(v.session for v in accepted)
    refused = visitors(running.url, "203.0.113.30")
    await refused.connect(wait=False, locale="de")
    assert not refused.session
    [(_, error)] = [(n, d) for n, d in refused.events if n == "error"]
    assert error["code"] == "rate_limited" and "zu schnell" in error["message"]
    await refused.wait_for(lambda: any(n == "disconnect" for n, _ in refused.events))
    fresh = visitors(running.url, "203.0.113.31")
    await fresh.connect(locale="de")
    assert fresh.session["conversation_id"]
