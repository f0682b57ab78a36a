"""Honest expectations when a ticket is opened (issue 5, item 5), in the customer's language.

The ticket code says the ticket number and the team; these sentences add why that team (the
escalation reasons of the seed document), the first-response promise, the typical resolution time
for that kind of request, and — when the team is closed — when it is back, so nobody waits on a
Saturday for a billing answer that cannot come before Monday 09:00 CET.
"""
from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache

from chatbot.business_hours import BusinessHours
from chatbot.desk import Desk, Route, load_desk
from chatbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext
from chatbot.knowledge import resolution
from chatbot.knowledge.phrasing import team_status

# Why this team (seed: "When we escalate" and the support structure table).
WHY = {
    "support": N_("Our support engineers, available 24/7, handle it directly."),
    "billing": N_("Our billing team handles refunds, payment gateway problems and other complex billing cases."),
    "management": N_("Billing credits, account exceptions and special requests need the approval of our "
                     "management."),
    "sysadmins": N_("Our system administrators have the right tools and access for this kind of request."),
    "datacenter": N_("Our datacenter technicians carry out this work directly on site at the datacenter."),
}
FIRST_RESPONSE = N_("A support engineer will reply within 10 minutes, at any hour.")
# The seed: "you stay in the same conversation, no need to resubmit your request".
SAME_CONVERSATION = {
    "chat": N_("You stay in this conversation: there is no need to resubmit your request, and you will "
               "receive regular updates."),
    "email": N_("Just reply to this email to add anything: there is no need to resubmit your request, and "
                "you will receive regular updates."),
}


class Expectations:
    """The sentences for a newly opened ticket, computed from the desk's business hours."""

    def __init__(self, desk: Desk, business_hours: BusinessHours) -> None:
        self.desk = desk
        self.hours = business_hours

    def __call__(self, route: Route, channel: str, lang: str, now: datetime,
                 *, tz: tzinfo | None = None) -> list[str]:
        if lang not in LANGUAGES:
            lang = DEFAULT_LANGUAGE
        lines: list[str] = []
        team = route.team
        closed = False
        if team is not None and team in self.hours.teams:
            if team in WHY:
                lines.append(gettext(WHY[team], lang))
            # 24/7 support needs no "open now" sentence: the first-response promise says it all.
            if not self.hours.is_always_open(team):
                closed = not self.hours.is_open(team, now)
                if closed:
                    lines.append(team_status(self.hours, team, now, lang, tz))
        lines.append(gettext(FIRST_RESPONSE, lang))
        if route.resolution in resolution.FOR_REQUEST:
            table = resolution.FOR_REQUEST_ONCE_BACK if closed else resolution.FOR_REQUEST
            lines.append(gettext(table[route.resolution], lang))
            if route.resolution != "nonstandard":  # that one is an estimate given in advance already
                lines.append(gettext(resolution.ESTIMATES, lang))
        lines.append(gettext(SAME_CONVERSATION.get(channel, SAME_CONVERSATION["chat"]), lang))
        return lines


@cache
def _default() -> Expectations:
    desk = load_desk()
    return Expectations(desk, BusinessHours(desk))


def expectations(route: Route, channel: str, lang: str, now: datetime) -> list[str]:
    """Expectations with the default desk file.

    A desk loaded from another file should use ``Expectations(desk, hours)`` (or
    ``Knowledge.expectations``) instead, so that the hours are that desk's.
    """
    return _default()(route, channel, lang, now)
