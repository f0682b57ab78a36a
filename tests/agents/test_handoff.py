"""Handing a conversation to a person, through the real pipeline and database: when the bot does it,
what the visitor is told (in their language, business-hours aware) and what the queue gets."""
from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from chatbot.agents.models import Handoff
from chatbot.app import default_steps
from chatbot.business_hours import BusinessHours
from chatbot.conversations import ConversationStore
from chatbot.desk import DEFAULT_DESK_FILE, Desk, load_desk, parse_desk
from chatbot.identity import sign_customer
from chatbot.knowledge import Knowledge
from chatbot.messages import InboundMessage, OutboundMessage, Sender
from chatbot.models import Conversation
from chatbot.pipeline import Pipeline
from chatbot.settings import Settings
from chatbot.understanding import Analyzer
from tests.conftest import IDENTITY_SECRET

WEDNESDAY = datetime(2026, 11, 18, 13, 30, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
ANONYMOUS = Sender()
EMILY = Sender(customer_ref="C1005", signature=sign_customer("C1005", IDENTITY_SECRET))


def pipeline_for(settings: Settings, sessions: Any, desk: Desk) -> Pipeline:
    steps = default_steps(settings, desk, Analyzer(desk), Knowledge(desk, BusinessHours(desk)))
    return Pipeline(sessions, ConversationStore(sessions), steps)


@pytest.fixture
def pipeline(settings: Settings, sessions: Any) -> Pipeline:
    return pipeline_for(settings, sessions, load_desk())


class Chat:
    def __init__(self, pipeline: Pipeline, sender: Sender = ANONYMOUS, now: datetime = WEDNESDAY) -> None:
        self.pipeline, self.sender, self.now = pipeline, sender, now
        self.id = f"chat-{id(self)}"

    async def says(self, text: str) -> list[OutboundMessage]:
        out: list[OutboundMessage] = []

        async def emit(m: OutboundMessage) -> None:
            out.append(m)

        await self.pipeline.handle(InboundMessage(channel="chat", conversation_id=self.id, text=text,
                                                  received_at=self.now, sender=self.sender), emit)
        return out


async def handoffs(sessions: Any, conversation_id: str) -> list[Handoff]:
    async with sessions() as s:
        return list((await s.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id))).all())


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "je voudrais parler à un conseiller s'il vous plaît", "dans les 10 minutes"),
    ("pl", "chcę porozmawiać z konsultantem", "w ciągu 10 minut"),
    ("es", "quiero hablar con una persona, por favor", "en un plazo de 10 minutos"),
    ("de", "Ich möchte bitte mit einem Mitarbeiter sprechen", "innerhalb von 10 Minuten"),
    ("en", "can I talk to a human please", "usually within 10 minutes right now"),
])
async def test_asking_for_a_person_queues_the_chat_and_says_how_long_it_takes(
        pipeline: Pipeline, sessions: Any, lang: str, text: str, expected: str) -> None:
    chat = Chat(pipeline)
    replies = await chat.says(text)
    assert replies[-1].kind == "handoff" and replies[-1].lang == lang
    assert expected in replies[-1].text
    [h] = await handoffs(sessions, chat.id)
    assert h.reason == "asked" and h.agent_id is None and h.due_at == WEDNESDAY + timedelta(minutes=10)
    again = await chat.says(text)
    assert again[-1].kind == "handoff" and "10" not in again[-1].text, "the second time: already in the queue"
    assert len(await handoffs(sessions, chat.id)) == 1


async def test_the_usual_wait_comes_from_the_recent_takes(pipeline: Pipeline, sessions: Any) -> None:
    async with sessions() as s, s.begin():
        for n in range(3):
            cid = f"earlier-{n}"
            s.add(Conversation(id=cid, channel="chat", status="bot", state={}))
            await s.flush()
            asked = WEDNESDAY - timedelta(minutes=30 + n)
            s.add(Handoff(conversation_id=cid, reason="asked", requested_at=asked, due_at=asked + timedelta(minutes=10),
                          taken_at=asked + timedelta(minutes=2, seconds=40), ended_at=asked + timedelta(minutes=9)))
    replies = await Chat(pipeline).says("can I talk to a human please")
    assert "usually within 3 minutes right now" in replies[-1].text


async def test_a_critical_incident_brings_a_person_in_once(pipeline: Pipeline, sessions: Any) -> None:
    chat = Chat(pipeline, EMILY)
    replies = await chat.says("my server has been completely down since 10:00")
    assert [r.kind for r in replies] == ["ack", "ticket", "handoff", "question"]
    assert "critical incident" in replies[2].text
    [h] = await handoffs(sessions, chat.id)
    assert h.reason == "incident" and h.priority == "high"
    await chat.says("the IP is 62.210.155.30")
    assert len(await handoffs(sessions, chat.id)) == 1


async def test_when_nobody_is_on_duty_the_visitor_is_told_when_a_person_comes(settings: Settings,
                                                                             sessions: Any) -> None:
    raw = tomllib.loads(DEFAULT_DESK_FILE.read_text(encoding="utf-8"))
    raw["teams"]["support"]["hours"] = "Mon-Fri 08:00-20:00"  # a desk without a night and weekend shift
    chat = Chat(pipeline_for(settings, sessions, parse_desk(raw)), now=SATURDAY)
    replies = await chat.says("chcę porozmawiać z konsultantem")
    assert replies[-1].kind == "handoff"
    assert "nikt nie pełni dyżuru" in replies[-1].text and "w poniedziałek 23 listopada o 08:00 CET" in replies[-1].text


async def test_a_closed_team_on_the_ticket_is_mentioned(pipeline: Pipeline) -> None:
    chat = Chat(pipeline, EMILY, now=SATURDAY)
    opened = await chat.says("I want a refund for my last invoice")
    assert any(r.kind == "ticket" and "billing team" in r.text for r in opened)
    replies = await chat.says("can I talk to a human please")
    assert "usually within 10 minutes right now" in replies[-1].text
    assert "The billing team is closed right now and will be back on Monday" in replies[-1].text


async def test_an_email_asking_for_a_person_is_not_put_in_the_live_queue(pipeline: Pipeline, sessions: Any) -> None:
    out: list[OutboundMessage] = []

    async def emit(m: OutboundMessage) -> None:
        out.append(m)

    await pipeline.handle(InboundMessage(channel="email", conversation_id="mail-1", text="I want to talk to a human",
                                         received_at=WEDNESDAY, sender=Sender(address="x@example.com"),
                                         subject="help", questions_per_reply=None), emit)
    assert out[-1].kind == "handoff" and "usually within" not in out[-1].text
    assert await handoffs(sessions, "mail-1") == []
