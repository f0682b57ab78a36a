"""An agent turns a chat into a ticket for another team (or passes the chat's open ticket on).

The visitor is told, in their language, the ticket number, who handles it and why, when that team
works if it is closed now, and that the conversation goes on here: the same sentences the bot uses
when it opens a ticket (chatbot.expectations), from the seed documents.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.agents.auth import AgentIdentity
from chatbot.business_hours import BusinessHours
from chatbot.desk import PRIORITIES, Desk, Route
from chatbot.expectations import SAME_CONVERSATION, WHY
from chatbot.i18n import N_, gettext
from chatbot.knowledge.phrasing import team_status
from chatbot.models import Conversation, Message, TicketEvent
from chatbot.steps import PRIORITY_NAMES, TEAM_NAMES
from chatbot.tickets import open_ticket, open_ticket_for, wire

CONVERTED = N_("{name} has turned your request into ticket {number} ({priority} priority). It is handled by: {team}.")
MOVED = N_("{name} has passed ticket {number} on. It is now handled by: {team}.")
DEPARTMENT_OF = {"billing": "billing", "management": "billing"}  # every other team is technical
SUMMARY_CHARS = 2000


class TicketMaker:
    def __init__(self, desk: Desk, hours: BusinessHours) -> None:
        self.desk = desk
        self.hours = hours

    def teams(self) -> list[str]:
        return list(self.desk.teams)

    async def for_team(self, s: AsyncSession, conv: Conversation, agent: AgentIdentity, team: object,
                       priority: object, note: object, now: datetime) -> tuple[dict[str, Any], str]:
        from chatbot.agents.takeover import TakeoverError  # takeover imports this module

        if not isinstance(team, str) or team not in self.desk.teams:
            raise TakeoverError("unknown_team")
        note_text = note.strip()[:SUMMARY_CHARS] if isinstance(note, str) else ""
        lang = conv.lang or "en"
        actor = f"agent:{agent.email}"
        ticket = await open_ticket_for(s, conv.id)
        if ticket is None:
            chosen = priority if priority in PRIORITIES else "regular"
            route = Route(DEPARTMENT_OF.get(team, "technical"), team, str(chosen))
            ticket = await open_ticket(
                s, conversation_id=conv.id, customer_id=conv.customer_id if conv.verified else None,
                channel=conv.channel, intent="other", route=route, lang=lang,
                details=dict((conv.state or {}).get("values") or {}),
                summary=note_text or await self._summary(s, conv.id), received_at=now)
            first = gettext(CONVERTED, lang, name=agent.name, number=ticket.number,
                            team=gettext(TEAM_NAMES.get(team, team), lang),
                            priority=gettext(PRIORITY_NAMES[ticket.priority], lang))
        else:
            if ticket.team != team:
                s.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="team",
                                  data={"from": ticket.team, "to": team}))
                ticket.team, ticket.department = team, DEPARTMENT_OF.get(team, "technical")
            if priority == "high" and ticket.priority != "high":
                s.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="priority",
                                  data={"from": ticket.priority, "to": "high"}))
                ticket.priority = "high"
            first = gettext(MOVED, lang, name=agent.name, number=ticket.number,
                            team=gettext(TEAM_NAMES.get(team, team), lang))
        s.add(TicketEvent(ticket_id=ticket.id, actor=actor, action="note",
                          data={"handed_over_by": agent.name, **({"note": note_text} if note_text else {})}))
        await s.flush()
        return wire(ticket, self.desk), " ".join([first, *self._expectations(team, lang, now)])

    def _expectations(self, team: str, lang: str, now: datetime) -> list[str]:
        lines = [gettext(WHY[team], lang)] if team in WHY else []
        if team in self.hours.teams and not self.hours.is_open(team, now):
            lines.append(team_status(self.hours, team, now, lang))
        lines.append(gettext(SAME_CONVERSATION["chat"], lang))
        return lines

    @staticmethod
    async def _summary(s: AsyncSession, conversation_id: str) -> str:
        """What the visitor wrote, oldest first: the other team reads the request in their words."""
        texts = (await s.scalars(select(Message.text).where(
            Message.conversation_id == conversation_id, Message.author == "customer")
            .order_by(Message.id.desc()).limit(20))).all()
        return "\n".join(reversed(texts))[-SUMMARY_CHARS:]
