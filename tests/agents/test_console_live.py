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
    joined = next(m for m in v.messages() if m["author"] == "system")
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


async def test_hand_back_convert_and_close_are_told_to_the_visitor_in_their_language(
        visitor: Any, console: Any, sessions: Any) -> None:
    from chatbot.models import Ticket

    anna = await console()
    v = await hand_off_polish_visitor(visitor)
    cid = v.session["conversation_id"]
    assert (await anna.call("take", {"conversation_id": cid}))["ok"]
    assert (await anna.call("hand_back", {"conversation_id": cid}))["ok"]
    await v.wait_for(lambda: any("asystentowi" in m["text"] for m in v.messages("notice")))
    await v.say("dziękuję")  # the bot speaks again
    await v.wait_for(lambda: any(m["author"] == "bot" and "Nie ma za co" in m["text"] for m in v.messages()))

    assert (await anna.call("take", {"conversation_id": cid}))["ok"], "an agent may take a chat from the bot"
    converted = await anna.call("convert", {"conversation_id": cid, "team": "billing", "note": "Zwrot za fakturę"})
    assert converted["ok"] and converted["ticket"]["team"] == "billing"
    await v.wait_for(lambda: bool(v.tickets()))
    ticket_msg = v.messages("ticket")[-1]
    assert converted["ticket"]["number"] in ticket_msg["text"] and "zespół ds. rozliczeń" in ticket_msg["text"]
    async with sessions() as s:
        ticket = await s.scalar(select(Ticket).where(Ticket.conversation_id == cid))
    assert ticket.team == "billing" and ticket.department == "billing" and ticket.summary == "Zwrot za fakturę"

    assert (await anna.call("take", {"conversation_id": cid}))["ok"]
    assert (await anna.call("close", {"conversation_id": cid}))["ok"]
    await v.wait_for(lambda: bool(v.messages("closed")))
    assert "zamyka rozmowę" in v.messages("closed")[0]["text"]
    queue = (await anna.call("queue"))["conversations"]
    assert [e["section"] for e in queue if e["conversation_id"] == cid] == ["bot"], "back among the bot's chats"


async def test_only_the_holder_writes_and_typing_and_reading_reach_the_other_side(visitor: Any, console: Any) -> None:
    anna = await console()
    bruno = await console(name="Bruno Lefèvre", email="bruno@introserv.com")
    v = await hand_off_polish_visitor(visitor)
    cid = v.session["conversation_id"]
    typing: list[Any] = []
    reads: list[Any] = []
    v.client.on("typing", lambda d: typing.append(d), namespace="/chat")
    v.client.on("read", lambda d: reads.append(d), namespace="/chat")
    assert (await anna.call("send", {"conversation_id": cid, "text": "hej"}))["error"]["code"] == "not_taken"
    await anna.call("take", {"conversation_id": cid})
    refused = await bruno.call("send", {"conversation_id": cid, "text": "hej"})
    assert refused["error"] == {"code": "held_by_other", "params": {"name": "Anna Nowak"}}
    assert (await bruno.call("take", {"conversation_id": cid}))["error"]["code"] == "already_taken"

    await anna.call("open", {"conversation_id": cid})
    await anna.call("typing", {"conversation_id": cid, "typing": True})
    await v.wait_for(lambda: bool(typing))
    assert typing[0] == {"author": "agent", "name": "Anna Nowak", "typing": True}
    await v.client.call("typing", {"typing": True}, namespace="/chat")
    await anna.wait_for(lambda: bool(anna.of("conversation.typing")))
    assert anna.of("conversation.typing")[0] == {"conversation_id": cid, "typing": True}

    sent = await anna.call("send", {"conversation_id": cid, "text": "Czy serwer już działa?"})
    await v.client.call("read", {"up_to": sent["message"]["id"]}, namespace="/chat")
    await anna.wait_for(lambda: bool(anna.of("conversation.read")))
    assert anna.of("conversation.read")[0]["up_to"] == sent["message"]["id"]
    await anna.call("read", {"conversation_id": cid, "up_to": sent["message"]["id"] - 1})
    await v.wait_for(lambda: bool(reads))
    assert reads[0] == {"author": "agent", "up_to": sent["message"]["id"] - 1}


async def test_the_queue_puts_high_priority_first_then_the_earliest_due(console: Any, sessions: Any) -> None:
    from datetime import timedelta

    from chatbot.agents.models import Handoff
    from chatbot.db import utcnow
    from chatbot.models import Conversation, Ticket
    from chatbot.sla_clocks import SlaClock

    now = utcnow()
    async with sessions() as s, s.begin():
        for cid, priority, minutes_ago in (("old-regular", "regular", 8), ("new-high", "high", 1),
                                           ("new-regular", "regular", 2), ("old-high", "high", 5)):
            s.add(Conversation(id=cid, channel="chat", status="waiting", lang="en", state={}))
            await s.flush()
            asked = now - timedelta(minutes=minutes_ago)
            s.add(Handoff(conversation_id=cid, reason="asked", priority=priority, requested_at=asked,
                          due_at=asked + timedelta(minutes=10)))
        # The SLA engine's first-response clock of a ticket counts when it is due before the handoff's.
        s.add(Conversation(id="ticketed", channel="chat", status="waiting", lang="fr", state={}))
        await s.flush()
        ticket = Ticket(conversation_id="ticketed", channel="chat", intent="tech.config", department="technical",
                        team="sysadmins", priority="regular", received_at=now - timedelta(minutes=12))
        s.add(ticket)
        await s.flush()
        s.add(Handoff(conversation_id="ticketed", reason="asked", priority="regular", requested_at=now,
                      due_at=now + timedelta(minutes=10)))
        s.add(SlaClock(ticket_id=ticket.id, conversation_id="ticketed", kind="first_response", channel="chat",
                       team="sysadmins", priority="regular", status="running", started_at=ticket.received_at,
                       due_at=ticket.received_at + timedelta(minutes=10)))
    anna = await console()
    waiting = [e for e in (await anna.call("queue"))["conversations"] if e["section"] == "waiting"]
    assert [e["conversation_id"] for e in waiting] == ["old-high", "new-high", "ticketed", "old-regular",
                                                       "new-regular"]
    assert [e["overdue"] for e in waiting] == [False, False, True, False, False]


async def test_the_console_needs_a_live_session(server: str, console: Any, sessions: Any) -> None:
    import socketio

    from chatbot.agents.models import AgentSession

    stranger = socketio.AsyncClient(reconnection=False)
    refused: list[Any] = []
    stranger.on("disconnect", lambda *a: refused.append(True), namespace="/agent")
    try:
        await stranger.connect(server, namespaces=["/agent"], auth={"token": "forged"}, transports=["websocket"])
        for _ in range(100):  # the server accepts the handshake, then closes the namespace at once
            if refused:
                break
            await asyncio.sleep(0.05)
        assert refused and "/agent" not in stranger.namespaces, "a forged token gets no console"
    except socketio.exceptions.ConnectionError:
        pass  # refused outright: as good
    finally:
        await stranger.disconnect()

    anna = await console()
    assert "conversations" in await anna.call("queue")
    async with sessions() as s, s.begin():  # the session ends (expiry, logout elsewhere)
        for row in (await s.scalars(select(AgentSession))).all():
            await s.delete(row)
    answer = await anna.call("queue")
    assert answer["error"]["code"] == "unauthorized"
    await anna.wait_for(lambda: bool(anna.of("session_expired")))


async def test_an_event_named_connect_or_disconnect_cannot_replay_the_handlers(console: Any) -> None:
    anna = await console()
    for name in ("connect", "disconnect"):
        answer = await anna.call(name, {"HTTP_ORIGIN": "https://evil.example"})
        assert answer["error"]["code"] == "unknown_event"
    assert "conversations" in await anna.call("queue"), "the console still works"


async def test_a_busy_site_sends_a_console_few_queue_notices_the_last_after_the_last_change(
        visitor: Any, console: Any, monkeypatch: Any) -> None:
    # A console re-reads its whole queue on each notice; one per customer message would be hundreds
    # a second on a busy site. A long window here keeps the timing unambiguous on a slow machine.
    monkeypatch.setattr("chatbot.channels.agent.QUEUE_NOTICE_EVERY", 3.0)
    anna = await console()
    visitors = [visitor() for _ in range(3)]
    for v in visitors:
        await v.connect(locale="en")
    for text in ("hello", "what are your support hours?"):
        for v in visitors:
            assert "id" in await v.say(text)
    # Six customer messages: the first is announced at once...
    await anna.wait_for(lambda: len(anna.of("queue.changed")) >= 1)
    await asyncio.sleep(0.5)
    assert len(anna.of("queue.changed")) == 1, "the rest wait for the window to end"
    # ...the other five in one notice when the window ends, so the console's last re-read sees them.
    await anna.wait_for(lambda: len(anna.of("queue.changed")) == 2, timeout=10)
    await asyncio.sleep(3.5)
    assert len(anna.of("queue.changed")) == 2, "nothing changed since: no further notice"
    queue = (await anna.call("queue"))["conversations"]
    assert {v.session["conversation_id"] for v in visitors} <= {e["conversation_id"] for e in queue}
