"""The website chat end to end: a real python-socketio client against the running app."""
from __future__ import annotations


from chatbot.identity import sign_customer
from tests.conftest import IDENTITY_SECRET


async def test_french_outage_is_acknowledged_ticketed_and_details_collected(visitor) -> None:
    v = visitor()
    # Camille (demo customer C1001) is logged into the client area: the widget carries her signed id.
    await v.connect(locale="fr", customer_id="C1001", customer_hash=sign_customer("C1001", IDENTITY_SECRET))
    assert v.session["conversation_id"] and v.session["token"]

    ack = await v.say("Bonjour, mon serveur ne répond plus du tout depuis 9h ce matin, plus de ping")
    assert set(ack) >= {"id", "received_at"} and "error" not in ack

    await v.wait_for(lambda: len(v.messages("question")) >= 1)
    first = v.messages()
    assert first[0]["kind"] == "ack", "the acknowledgement comes before any answer"
    assert first[0]["lang"] == "fr" and "10 minutes" in first[0]["text"]
    ticket_msgs = v.messages("ticket")
    assert len(ticket_msgs) == 1 and "T-" in ticket_msgs[0]["text"]
    [ticket] = v.tickets()
    assert ticket["department"] == "technical" and ticket["team"] == "support" and ticket["priority"] == "high"
    assert ticket["number"] in ticket_msgs[0]["text"] and ticket["eta"]
    question = v.messages("question")[0]
    assert question["lang"] == "fr" and "IP" in question["text"]  # the start time was given; the IP was not

    await v.say("l'IP est 51.210.14.7")
    await v.wait_for(lambda: len(v.messages("question")) >= 2)
    assert "service" in v.messages("question")[1]["text"]
    await v.say("c'est mon Cloud VPS S")
    await v.wait_for(lambda: any("tout ce dont" in m["text"] for m in v.messages()))
    assert len(v.tickets()) == 1, "one ticket for the whole conversation"
    assert len(v.messages("ack")) == 1, "the acknowledgement is sent once per conversation"


async def test_english_faq_is_answered_and_history_survives_a_reload(visitor) -> None:
    v = visitor()
    await v.connect(locale="en")
    await v.say("what email address can I write to for support?")
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    assert [m["kind"] for m in v.messages()][:2] == ["ack", "answer"]
    answer = v.messages("answer")[0]
    assert answer["lang"] == "en" and "support@introserv.com" in answer["text"]
    assert not v.tickets(), "a simple question opens no ticket"
    await v.close()

    # Page reload: the widget reconnects with its resume token and gets the same conversation back.
    again = visitor()
    await again.connect(token=v.session["token"])
    assert again.session["conversation_id"] == v.session["conversation_id"] and again.session["resumed"]
    history = await again.client.call("history", {}, namespace="/chat", timeout=10)
    texts = [m["text"] for m in history["messages"]]
    assert texts[0] == "what email address can I write to for support?"
    assert answer["text"] in texts


async def test_polish_greeting_gets_polish_answer(visitor) -> None:
    v = visitor()
    await v.connect()
    await v.say("dzień dobry")
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    assert v.messages("ack")[0]["lang"] == "pl" and v.messages("answer")[0]["lang"] == "pl"
    assert "pomóc" in v.messages("answer")[0]["text"]


async def test_bad_input_gets_a_reason_and_the_connection_keeps_working(visitor) -> None:
    v = visitor()
    await v.connect(locale="de")
    call = v.client.call
    cases = {
        "empty_text": {"text": "   "},
        "text_too_long": {"text": "x" * 4001},
        "invalid_payload": {"body": "hallo"},
    }
    for code, payload in cases.items():
        res = await call("message", payload, namespace="/chat", timeout=10)
        assert res["error"]["code"] == code and res["error"]["message"]
    assert (await call("message", "just a string", namespace="/chat", timeout=10))["error"]["code"] == "invalid_payload"
    assert (await call("message", {"text": 42}, namespace="/chat", timeout=10))["error"]["code"] == "invalid_payload"
    assert (await call("message", namespace="/chat", timeout=10))["error"]["code"] == "invalid_payload"
    unknown = await call("delete_everything", {"x": 1}, namespace="/chat", timeout=10)
    assert unknown["error"]["code"] == "unknown_event"
    # German error texts for a German widget
    assert "leer" in (await call("message", {"text": ""}, namespace="/chat", timeout=10))["error"]["message"]

    history = await call("history", {}, namespace="/chat", timeout=10)
    assert history["messages"] == [], "nothing half-stored"
    ok = await v.say("Hallo, wie kann ich ein Ticket eröffnen?")
    assert "id" in ok
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)


async def test_a_foreign_or_forged_token_never_opens_another_conversation(visitor, server) -> None:
    owner = visitor()
    await owner.connect(locale="en")
    await owner.say("hello")
    await owner.wait_for(lambda: len(owner.messages("answer")) >= 1)
    conversation_id = owner.session["conversation_id"]

    for token in (f"{conversation_id}.forged", f"{conversation_id}", "../../etc", 12345):
        intruder = visitor()
        await intruder.connect(token=token)
        assert intruder.session["conversation_id"] != conversation_id
        assert any(n == "error" and d["code"] == "invalid_token" for n, d in intruder.events)
        history = await intruder.client.call("history", {}, namespace="/chat", timeout=10)
        assert history["messages"] == []


async def test_client_id_makes_a_resend_idempotent(visitor) -> None:
    v = visitor()
    await v.connect(locale="en")
    first = await v.client.call("message", {"text": "hi there", "client_id": "m-1"}, namespace="/chat", timeout=10)
    second = await v.client.call("message", {"text": "hi there", "client_id": "m-1"}, namespace="/chat", timeout=10)
    assert first["id"] == second["id"] and second["duplicate"] is True
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    await v.settle()
    assert len(v.messages("answer")) == 1


async def test_unsupported_language_is_answered_in_english(visitor) -> None:
    v = visitor()
    await v.connect()
    await v.say("Buongiorno, il mio server non funziona più da stamattina, potete aiutarmi per favore?")
    await v.wait_for(lambda: len(v.messages("answer")) >= 1)
    answer = v.messages("answer")[0]
    assert answer["lang"] == "en" and "French" in answer["text"] and "Polish" in answer["text"]
