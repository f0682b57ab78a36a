"""Handing a conversation from the bot to a person: the pipeline's side.

The bot hands off when the visitor asks for a person, when it failed to understand twice in a row
(both decided by ``steps.converse``, which calls ``Handoff.request``) and when a high-priority
incident ticket is opened or raised (``Handoff.incident_step``, after ``route``). An agent taking a
conversation from the console is the fourth way in (``chatbot.agents.takeover``).

The visitor is told how long a person usually takes *right now*: the median wait of the handoffs
taken recently, never more than the desk's first-response promise, and — should the support team
ever not be on duty (desk.toml) — when it is back instead.
"""
from __future__ import annotations

import math
import statistics
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.agents.models import Handoff as HandoffRow
from chatbot.business_hours import BusinessHours
from chatbot.desk import Desk
from chatbot.i18n import N_, gettext
from chatbot.knowledge.phrasing import team_status, when
from chatbot.pipeline import Step, Turn
from chatbot.steps import HANDOFF

HANDOFF_SOON = N_("I am passing this conversation to a person from our support team, who will join here, "
                  "usually within {minutes} minutes right now. Our support engineers are available 24/7.")
HANDOFF_INCIDENT = N_("Because this is a critical incident, a person from our support team will also join "
                      "this conversation, usually within {minutes} minutes right now.")
HANDOFF_LATER = N_("I am passing this conversation to our support team. Nobody is on duty right now: a person "
                   "will join here {when}.")
ALREADY_WAITING = N_("You are in the queue: a person from our support team will join here shortly.")

LIVE_CHANNEL = "chat"  # the channel people can join live
CHAT_TEAM = "support"  # the team whose people answer the chat (level 1, 24/7 in the seed documents)
RECENT = timedelta(hours=2)  # "right now": the handoffs taken in this window
MIN_SAMPLES = 3  # below that, the promise is a better guide than an average
SHORTEST_MINUTES = 2  # "within 1 minutes" reads oddly in every language and promises too much


async def open_handoff(session: AsyncSession, conversation_id: str) -> HandoffRow | None:
    return await session.scalar(select(HandoffRow).where(
        HandoffRow.conversation_id == conversation_id, HandoffRow.ended_at.is_(None))
        .order_by(HandoffRow.id.desc()).limit(1))


class Handoff:
    def __init__(self, desk: Desk, hours: BusinessHours) -> None:
        self.desk = desk
        self.hours = hours
        self.promise = timedelta(seconds=desk.promises.first_response_seconds)

    async def usual_wait_minutes(self, session: AsyncSession, now: datetime) -> int:
        """The median wait of the people's recent takes, in whole minutes, within the promise."""
        promised = max(SHORTEST_MINUTES, math.ceil(self.promise.total_seconds() / 60))
        rows = (await session.execute(select(HandoffRow.requested_at, HandoffRow.taken_at).where(
            HandoffRow.taken_at.is_not(None), HandoffRow.taken_at >= now - RECENT,
            HandoffRow.reason != "taken").order_by(HandoffRow.taken_at.desc()).limit(50))).all()
        if len(rows) < MIN_SAMPLES:
            return promised
        median = statistics.median((taken - requested).total_seconds() for requested, taken in rows if taken)
        return min(promised, max(SHORTEST_MINUTES, math.ceil(median / 60)))

    def due(self, requested_at: datetime, turn: Turn) -> datetime:
        """The first human response is due 10 minutes after the request (or its ticket) arrived."""
        start = requested_at
        if turn.ticket is not None and turn.ticket.received_at < start:
            start = turn.ticket.received_at
        return start + self.promise

    async def request(self, turn: Turn, reason: str) -> None:
        """Put the conversation in the agents' queue and tell the visitor when a person joins."""
        conv = turn.conv
        if turn.inbound.channel != LIVE_CHANNEL:
            # Nobody can join an email thread live: the person answers the ticket by email instead.
            conv.status = "waiting"
            await turn.say(HANDOFF, "handoff")
            return
        if conv.status == "waiting" and await open_handoff(turn.session, conv.id) is not None:
            await turn.say(ALREADY_WAITING, "handoff")
            return
        now = turn.inbound.received_at
        # The conversation's open ticket, even when this message was not about it: its team and
        # priority matter to the queue and to what the visitor is told.
        turn.ticket = turn.ticket or turn.open_ticket
        priority = turn.ticket.priority if turn.ticket is not None else "regular"
        turn.session.add(HandoffRow(conversation_id=conv.id, reason=reason, priority=priority,
                                    requested_at=now, due_at=self.due(now, turn)))
        conv.status = "waiting"
        conv.state = {**(conv.state or {}), "misunderstood": 0}
        await turn.say_text(" ".join(self.sentences(turn, reason, await self.usual_wait_minutes(turn.session, now))),
                            "handoff")

    def sentences(self, turn: Turn, reason: str, minutes: int) -> list[str]:
        now, lang = turn.inbound.received_at, turn.lang
        if CHAT_TEAM in self.hours.teams and not self.hours.is_open(CHAT_TEAM, now):
            back = self.hours.next_opening(CHAT_TEAM, now)
            lines = [gettext(HANDOFF_LATER, lang, when=when(back, now, back.tzinfo or self.hours.zone(CHAT_TEAM),
                                                             lang))]
        else:
            lines = [gettext(HANDOFF_INCIDENT if reason == "incident" else HANDOFF_SOON, lang, minutes=minutes)]
        # The ticket's own team may keep office hours: say when it works, so nobody waits in vain.
        team = turn.ticket.team if turn.ticket is not None else None
        if team and team != CHAT_TEAM and team in self.hours.teams and not self.hours.is_open(team, now):
            lines.append(team_status(self.hours, team, now, lang))
        return lines

    def incident_step(self) -> Step:
        """After ``route``: a high-priority ticket brings a person in, once per ticket."""

        async def step(turn: Turn) -> None:
            ticket, conv = turn.ticket, turn.conv
            if (turn.inbound.channel != LIVE_CHANNEL or ticket is None or ticket.priority != "high"
                    or conv.status in ("waiting", "agent")):
                return
            if (conv.state or {}).get("handed_off_ticket") == ticket.number:
                return  # an agent handed it back to the bot: do not queue it again
            conv.state = {**(conv.state or {}), "handed_off_ticket": ticket.number}
            await self.request(turn, "incident")
        return step
