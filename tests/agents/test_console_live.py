"""The live handoff end to end: a real visitor (python-socketio on /chat), real consoles on /agent,
the real app and database."""
from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from chatbot.models import Message


async def hand_off_polish_visitor(visitor: Any) -> Any:
    v = visitor()
    await v.connect(locale="pl")
    await v.say("Dzień dobry, chcę porozmawiać z konsultantem")
    await v.wait_for(lambda: bool(v.messages("handoff")))
    return v


async def test_a_visitor_asking_for_a_person_is_queued_taken_and_answered(visitor: Any, console: Any,
                                                                            sessions: Any) -> None:
    anna = await console()
    v = await hand_off_polish_visitor(visitor)
    handoff = v.messages("handoff")[0]
    assert handoff["lang"] == "pl" and "dołączy" in handoff["text"] and "10 minut" in handoff["text"]
    await anna.wait_for(lambda: bool(anna.of("queue.changed")))

    queue = (await anna.call("queue"))["conversations"]
    [entry] = [e for e in queue if e["section"] == "waiting"]
    assert entry["conversation_id"] == v.session["conversation_id"]
    assert entry["lang"] == "pl" and entry["verified"] is False and entry["reason"] == "asked"

    taken = await anna.call("take", {"conversation_id": entry["conversation_id"]})
    assert taken["ok"] and taken["conversation"]["section"] == "mine"
    await v.wait_for(lambda: any(m["author"] == "system" for m in v.messages()))
    joined = [m for m in v.messages() if m["author"] == "system"][0]
    assert "Anna Nowak" in joined["text"] and joined["lang"] == "pl"

    opened = await anna.call("open", {"conversation_id": entry["conversation_id"]})
    assert [m["author"] for m in opened["messages"]][:2] == ["customer", "bot"]
    assert any("Dzień dobry" in c["text"] for c in opened["canned"]), "canned answers in Polish"

    sent = await anna.call("send", {"conversation_id": entry["conversation_id"], "text": "Dzień dobry, w czym mogę pomóc?"})
    assert sent["message"]["author"] == "agent"
    await v.wait_for(lambda: bool(v.messages("text")))
    reply = v.messages("text")[0]
    assert reply["author"] == "agent" and reply["text"] == "Dzień dobry, w czym mogę pomóc?"

    # While the agent holds it, the bot stays silent; the agent sees the visitor live.
    before = len(v.messages())
    await v.say("mój serwer nie odpowiada od rana")
    await anna.wait_for(lambda: any(e["message"]["author"] == "customer" and "od rana" in e["message"]["text"]
                                    for e in anna.of("conversation.message")))
    await v.settle()
    assert len(v.messages()) == before, "no bot reply while a person holds the conversation"
    async with sessions() as s:
        authors = (await s.scalars(select(Message.author).where(
            Message.conversation_id == entry["conversation_id"]).order_by(Message.id))).all()
    assert authors.count("agent") == 1 and authors[-1] == "customer"


async def test_two_agents_taking_at_once_exactly_one_wins_and_the_other_is_told_who(
        visitor: Any, console: Any) -> None:
    anna = await console()
    bruno = await console(name="Bruno Lefèvre", email="bruno@introserv.com")
    v = await hand_off_polish_visitor(visitor)
    cid = v.session["conversation_id"]
    results = await asyncio.gather(anna.call("take", {"conversation_id": cid}),
                                   bruno.call("take", {"conversation_id": cid}))
    winners = [r for r in results if r.get("ok")]
    losers = [r for r in results if "error" in r]
    assert len(winners) == 1 and len(losers) == 1, results
    winner_name = "Anna Nowak" if results[0].get("ok") else "Bruno Lefèvre"
    assert losers[0]["error"] == {"code": "already_taken", "params": {"name": winner_name}}
    joined = [m for m in v.messages() if m["author"] == "system"]
    await v.settle()
    assert len([m for m in v.messages() if m["author"] == "system"]) == 1, "the visitor sees one person join"
    assert winner_name in joined[0]["text"]
