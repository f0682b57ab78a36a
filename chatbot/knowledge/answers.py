"""Answers to the faq.* intents, in the customer's language, from the seed documents' facts.

Static answers are sequences of message ids (``facts``); the hours answer is computed from the
desk's business hours at the ``now`` it is given, so the same question gets "open right now" on a
Tuesday morning and "back on Monday at 09:00 CET" on a Saturday.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from chatbot.business_hours import BusinessHours
from chatbot.desk import Desk, Route
from chatbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, gettext
from chatbot.knowledge import facts, resolution
from chatbot.knowledge.phrasing import MEANTIME, team_status
from chatbot.knowledge.teams import ASKABLE, teams_in

FAQ_INTENTS = (
    "faq.response_time", "faq.contact", "faq.hours", "faq.escalation",
    "faq.resolution_time", "faq.notifications", "faq.ticket", "faq.incident_info",
)


def render(msgids: Iterable[str], lang: str) -> str:
    """One line per sentence; list items (``facts.Item``) indented with a bullet."""
    return "\n".join(
        f"{facts.BULLET}{gettext(m, lang)}" if isinstance(m, facts.Item) else gettext(m, lang) for m in msgids
    )


# Answers that are the same whatever is asked and whenever.
STATIC = {
    "faq.contact": facts.CONTACT,
    "faq.escalation": facts.ESCALATION,
    "faq.notifications": facts.NOTIFICATIONS,
    "faq.ticket": facts.TICKET,
    "faq.incident_info": facts.INCIDENT_INFO,
}


class Knowledge:
    """What the assistant can answer by itself, for every faq.* intent of intake-labels.md."""

    def __init__(self, desk: Desk, business_hours: BusinessHours) -> None:
        self.desk = desk
        self.hours = business_hours

    @property
    def intents(self) -> tuple[str, ...]:
        return FAQ_INTENTS

    def answer(self, intent: str, lang: str, now: datetime, text: str = "", *, tz: tzinfo | None = None) -> str:
        """The answer to ``intent`` in ``lang`` at ``now``; ``text`` is the customer's message.

        ``tz`` is the customer's zone when known; by default times are the team's own (CET/CEST).
        An unsupported language gets English, the assistant's fallback everywhere.
        """
        if intent not in FAQ_INTENTS:
            raise KeyError(f"no knowledge answer for intent {intent!r}; known: {', '.join(FAQ_INTENTS)}")
        if now.tzinfo is None:
            raise ValueError("answers need an aware 'now'")
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        if intent in STATIC:
            return render(STATIC[intent], lang)
        if intent == "faq.hours":
            return self._hours(lang, now, text, tz)
        if intent == "faq.resolution_time":
            return self._resolution(lang, text)
        return render(facts.response_time(text), lang)

    def expectations(self, route: Route, channel: str, lang: str, now: datetime) -> list[str]:
        """The ticket expectations (see ``chatbot.expectations``) with this desk's hours."""
        from chatbot.expectations import Expectations  # the expectations module imports this package

        return Expectations(self.desk, self.hours)(route, channel, lang, now)

    def _hours(self, lang: str, now: datetime, text: str, tz: tzinfo | None) -> str:
        asked = [team for team in teams_in(text) if team in self.hours.teams]
        teams = asked or [team for team in ASKABLE if team in self.hours.teams]
        lines = [team_status(self.hours, team, now, lang, tz) for team in teams]
        # Someone told a specialist team is closed wants to know where to go meanwhile.
        if asked and "support" not in asked and not any(self.hours.is_open(t, now) for t in asked):
            lines.append(gettext(MEANTIME, lang))
        return "\n".join(lines)

    def _resolution(self, lang: str, text: str) -> str:
        kind = resolution.kind_in(text)
        if kind is None:
            body = [resolution.TABLE_INTRO, *(facts.Item(row) for row in resolution.TABLE_ROWS)]
        else:
            body = [resolution.ROW[kind]]
        return render([*body, resolution.ESTIMATES], lang)
