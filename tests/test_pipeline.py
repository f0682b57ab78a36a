"""Transcripts: what a customer writes and what the bot answers, in each of the five languages,
through the real pipeline and a real database."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import select

from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.conversations import ConversationStore
from chatbot.desk import load_desk
from chatbot.identity import sign_customer
from chatbot.knowledge import Knowledge
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.models import Ticket, TicketEvent
from chatbot.pipeline import Pipeline
from chatbot.settings import Settings
from chatbot.understanding import Analyzer
from tests.conftest import IDENTITY_SECRET

NOW = datetime(2026, 11, 18, 13, 30, tzinfo=timezone.utc)  # a Wednesday afternoon


@pytest.fixture
def pipeline(settings: Settings, sessions: Any) -> Pipeline:
    desk = load_desk()
    steps = default_steps(settings, desk, Analyzer(desk), Knowledge(desk, BusinessHours(desk)))
    return Pipeline(sessions, ConversationStore(sessions), steps)


# Tickets are for identified customers (chatbot/account_guard.py): by default the transcripts are
# written by Camille (demo customer C1001), logged into the client area with its signed widget.
CAMILLE = Sender(customer_ref="C1001", signature=sign_customer("C1001", IDENTITY_SECRET))


class Conversation:
    def __init__(self, pipeline: Pipeline, channel: str = "chat", sender: Sender = CAMILLE,
                 questions_per_reply: int | None = 1) -> None:
        self.pipeline, self.channel, self.sender = pipeline, channel, sender
        self.questions_per_reply = questions_per_reply
        self.id = f"conv-{id(self)}"

    async def says(self, text: str) -> list[OutboundMessage]:
        out: list[OutboundMessage] = []

        async def emit(m: OutboundMessage) -> None:
            out.append(m)

        inbound = InboundMessage(channel=self.channel, conversation_id=self.id, text=text, received_at=NOW,
                                 sender=self.sender, questions_per_reply=self.questions_per_reply)
        await self.pipeline.handle(inbound, emit)
        return out


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "bonjour", "Bonjour"),
    ("pl", "cześć", "Dzień dobry"),
    ("es", "¡hola!", "Hola"),
    ("de", "guten Morgen", "Hallo"),
    ("en", "hello there", "Hello"),
])
async def test_a_greeting_is_acknowledged_then_answered_in_kind(pipeline: Pipeline, lang: str, text: str,
                                                                 expected: str) -> None:
    replies = await Conversation(pipeline).says(text)
    assert [r.kind for r in replies] == ["ack", "answer"]
    assert all(r.lang == lang for r in replies)
    assert expected in replies[1].text


@pytest.mark.parametrize("text,lang,question_word", [
    ("mon VPS est complètement down depuis 10h", "fr", "IP"),
    ("mój serwer w ogóle nie działa od 10:00", "pl", "IP"),
    ("mi servidor está caído desde las 10:00", "es", "IP"),
    ("mein Server ist seit 10 Uhr komplett offline", "de", "IP"),
    ("my server has been completely down since 10:00", "en", "IP"),
])
async def test_an_outage_opens_a_high_priority_ticket_and_asks_one_thing(pipeline: Pipeline, sessions: Any,
                                                                          text: str, lang: str,
                                                                          question_word: str) -> None:
    replies = await Conversation(pipeline).says(text)
    kinds = [r.kind for r in replies]
    # A high-priority incident also brings a person in (chatbot/handoff.py); the bot goes on asking.
    assert kinds == ["ack", "ticket", "handoff", "question"], kinds
    assert question_word in replies[3].text and replies[3].lang == lang
    async with sessions() as s:
        ticket = await s.scalar(select(Ticket))
    assert (ticket.department, ticket.team, ticket.priority) == ("technical", "support", "high")
    assert datetime.fromisoformat(ticket.details["start_time"]) == datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)
    assert ticket.number in replies[1].text


async def test_email_asks_for_every_missing_detail_at_once(pipeline: Pipeline) -> None:
    conv = Conversation(pipeline, channel="email", questions_per_reply=None)
    replies = await conv.says("Hello,\n\nour server is completely down, nothing responds.\n\nRegards,\nTom")
    questions = [r.text for r in replies if r.kind == "question"]
    assert len(questions) == 4 and "traceroute" in questions[-1], "the optional diagnostics come last"


async def test_an_email_reply_completes_the_incident_with_its_diagnostics(pipeline: Pipeline, sessions: Any) -> None:
    conv = Conversation(pipeline, channel="email", questions_per_reply=None)
    await conv.says("Hello,\n\nour server is completely down, nothing responds.\n\nRegards,\nTom")
    replies = await conv.says("It is 51.210.14.7, the Cloud VPS S, down since 09:15 CET.\n"
                              "mtr shows 100% packet loss after the second hop.")
    assert replies[-1].text.startswith("Thank you, the ticket now has everything")
    assert not [r for r in replies if r.kind == "question"], "the diagnostics question is not asked twice"
    async with sessions() as s:
        ticket = await s.scalar(select(Ticket))
    assert "packet loss" in ticket.details["diagnostics"]


async def test_details_are_collected_corrected_and_kept_on_the_ticket(pipeline: Pipeline, sessions: Any) -> None:
    conv = Conversation(pipeline)
    await conv.says("my VPS is down, nothing responds")
    await conv.says("it is 51.210.14.9")
    await conv.says("sorry, the IP is 51.210.14.7")
    await conv.says("Cloud VPS S")
    replies = await conv.says("since 09:15 CET")
    assert replies[-1].text.startswith("Thank you, the ticket now has everything")
    async with sessions() as s:
        ticket = await s.scalar(select(Ticket))
        events = (await s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))).all()
    assert ticket.details["ip"] == "51.210.14.7", "the correction wins"
    assert ticket.details["service"] == "Cloud VPS S"
    assert datetime.fromisoformat(ticket.details["start_time"]) == datetime(2026, 11, 18, 8, 15, tzinfo=timezone.utc)
    assert [e.action for e in events][0] == "created" and "details" in [e.action for e in events]


async def test_i_dont_know_skips_the_question(pipeline: Pipeline) -> None:
    conv = Conversation(pipeline)
    first = await conv.says("mi vps no responde, está caído")
    assert "IP" in first[-1].text
    second = await conv.says("no lo sé")
    assert second[-1].kind == "question" and "IP" not in second[-1].text


async def test_failing_to_understand_twice_hands_off_to_a_person(pipeline: Pipeline) -> None:
    conv = Conversation(pipeline)
    await conv.says("hello")
    first = await conv.says("blorp zzzk qwv")
    assert first[-1].kind == "answer"
    second = await conv.says("xxyzq plonk")
    assert second[-1].kind == "handoff"


async def test_asking_for_a_human_hands_off(pipeline: Pipeline) -> None:
    replies = await Conversation(pipeline).says("Ich möchte bitte mit einem Mitarbeiter sprechen")
    assert replies[-1].kind == "handoff" and replies[-1].lang == "de"
