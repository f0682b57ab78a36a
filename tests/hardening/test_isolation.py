"""A visitor can never read or write another visitor's conversation, whatever ids or tokens they send."""
from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.conftest import UNLIMITED, ForwardedVisitor
from tests.hardening.test_chat_hostile import on_loop


async def owner_with_history(url: str, visitors) -> ForwardedVisitor:
    owner = visitors(url, "198.51.100.1")
    await owner.connect(locale="en")
    assert "id" in await owner.call("message", {"text": "my secret is the blue server, what are your hours?"})
    await owner.wait_for(lambda: len(owner.messages("answer")) >= 1)
    return owner


async def assert_sealed(intruder: ForwardedVisitor, owner: ForwardedVisitor) -> None:
    """The intruder's conversation is its own, empty of the owner's words, and writes stay there."""
    theirs = owner.session["conversation_id"]
    assert intruder.session.get("conversation_id") not in (None, theirs)
    history = await intruder.call("history", {"conversation_id": theirs, "token": owner.session["token"]})
    assert history["conversation_id"] != theirs
    assert not any("blue server" in m["text"] for m in history["messages"])


async def test_tokens_and_ids_that_are_not_the_owners_open_nothing(make_app, visitors) -> None:
    running = await make_app(**UNLIMITED)
    owner = await owner_with_history(running.url, visitors)
    cid, token = owner.session["conversation_id"], owner.session["token"]
    sig = token.split(".", 1)[1]
    attempts = [cid, f"{cid}.", f".{sig}", f"{cid}.{sig.upper()}", f"{cid}.{sig[:-1]}", f"{cid}.{sig}0",
                f"{cid}.{sig}.{sig}", f" {token}", f"{token}\n", f"{cid.upper()}.{sig}", f"{cid}%2E{sig}",
                f"{cid}.{'0' * len(sig)}", token.replace(".", "\u2024"), [token], {"token": token}, True, 0,
                f"{cid}\x00.{sig}", "." * 199 + "x", "a" * 10_000, f"../{cid}.{sig}"]
    for bad in attempts:
        intruder = visitors(running.url, "198.51.100.2")
        await intruder.connect(token=bad)
        assert any(n == "error" and d["code"] == "invalid_token" for n, d in intruder.events), bad
        await assert_sealed(intruder, owner)


async def test_writes_naming_another_conversation_land_in_ones_own(make_app, visitors) -> None:
    running = await make_app(**UNLIMITED)
    owner = await owner_with_history(running.url, visitors)
    intruder = visitors(running.url, "198.51.100.3")
    await intruder.connect(locale="en")
    theirs = owner.session["conversation_id"]
    seen_by_owner = len(owner.events)
    ack = await intruder.call("message", {"text": "please close my account", "conversation_id": theirs,
                                          "room": theirs, "to": theirs, "token": owner.session["token"]})
    assert "id" in ack
    await intruder.wait_for(lambda: len(intruder.messages()) >= 1)
    await owner.settle(0.3)
    assert len(owner.events) == seen_by_owner, "the owner saw nothing of the intruder's turn"
    own = await owner.call("history", {})
    assert not any("close my account" in m["text"] for m in own["messages"])
    # and the owner's next turn is not broadcast to the intruder either
    before = len(intruder.events)
    await owner.call("message", {"text": "thanks!"})
    await owner.wait_for(lambda: any(m["kind"] == "answer" and "welcome" in m["text"].lower() for m in owner.messages()))
    await intruder.settle(0.3)
    assert len(intruder.events) == before


async def test_no_mutation_of_a_token_opens_its_conversation(make_app, visitors) -> None:
    running = await make_app(**UNLIMITED)
    owner = await owner_with_history(running.url, visitors)
    token = owner.session["token"]
    run = on_loop(asyncio.get_running_loop())

    @st.composite
    def mutated(draw: st.DrawFn) -> str:
        chars = list(token)
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(chars)))
            op = draw(st.sampled_from(["replace", "insert", "delete"]))
            c = draw(st.sampled_from("0123456789abcdefABCDEF.-_ "))
            if op == "insert" or not chars:
                chars.insert(i, c)
            elif op == "delete":
                del chars[min(i, len(chars) - 1)]
            else:
                chars[min(i, len(chars) - 1)] = c
        return "".join(chars)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(candidate=mutated())
    def probe(candidate: str) -> None:
        if candidate == token:
            return
        intruder = visitors(running.url, "198.51.100.4")
        run(intruder.connect(token=candidate))
        run(assert_sealed(intruder, owner))
        run(intruder.client.disconnect())

    await asyncio.to_thread(probe)
