"""Sentences about teams and moments, shared by the FAQ answers and the ticket expectations.

Grammar decides the shape of these message ids: Polish needs the accusative after "w" ("w środę")
and German or Polish agree the verb with the team ("die Systemadministratoren sind", "dział jest"),
so a weekday or a team is never glued into a sentence as a translated word; each team and each
weekday has whole phrases of its own. Babel provides the parts that are pure locale data: the date
("23 listopada", "23. November"), the time and the abbreviated day names of unusual schedules.
"""
from __future__ import annotations

import functools
from datetime import date, datetime, tzinfo

from babel.dates import format_skeleton, get_day_names

from chatbot.business_hours import BusinessHours, Schedule
from chatbot.i18n import N_, babel_locale, format_time, gettext

TODAY_AT = N_("today at {time}")
TOMORROW_AT = N_("tomorrow at {time}")
WEEKDAY_AT = (
    N_("on Monday, {date} at {time}"),
    N_("on Tuesday, {date} at {time}"),
    N_("on Wednesday, {date} at {time}"),
    N_("on Thursday, {date} at {time}"),
    N_("on Friday, {date} at {time}"),
    N_("on Saturday, {date} at {time}"),
    N_("on Sunday, {date} at {time}"),
)
DAY_RANGES = {
    frozenset(range(5)): N_("Monday to Friday"),
    frozenset(range(6)): N_("Monday to Saturday"),
    frozenset(range(7)): N_("every day"),
}

SUPPORT_ALWAYS = N_("Our support engineers are available 24/7, including right now.")
MEANTIME = N_("In the meantime, our support engineers are available 24/7 by chat or ticket.")
TEAM_OPEN = {
    "billing": N_("The billing team is available right now (hours: {schedule})."),
    "datacenter": N_("Our datacenter technicians are on site right now (hours: {schedule}, datacenter local time)."),
    "sysadmins": N_("Our system administrators are available right now (hours: {schedule})."),
    "management": N_("Our management is available right now (hours: {schedule})."),
}
TEAM_CLOSED = {
    "billing": N_("The billing team is closed right now and will be back {when} (hours: {schedule})."),
    "datacenter": N_("Our datacenter technicians are not on site right now and will be back {when} "
                     "(hours: {schedule}, datacenter local time)."),
    "sysadmins": N_("Our system administrators are not available right now and will be back {when} "
                    "(hours: {schedule})."),
    "management": N_("Our management is not available right now and will be back {when} (hours: {schedule})."),
}
# A team added to desk.toml later still gets an honest sentence, with its configured name.
OTHER_ALWAYS = N_("The “{team}” team is available 24/7.")
OTHER_OPEN = N_("The “{team}” team is available right now (hours: {schedule}).")
OTHER_CLOSED = N_("The “{team}” team is closed right now and will be back {when} (hours: {schedule}).")


def when(moment: datetime, now: datetime, zone: tzinfo, lang: str) -> str:
    """'today at 09:00 CET', 'tomorrow at …' or 'on Monday, 30 November at 09:00 CET' in ``lang``."""
    return _when(moment, now.astimezone(zone).date(), zone, lang)


@functools.lru_cache(maxsize=1024)  # a team's next opening is one of a few instants a day
def _when(moment: datetime, today: date, zone: tzinfo, lang: str) -> str:
    local = moment.astimezone(zone)
    clock = format_time(moment, zone, lang)
    days_ahead = (local.date() - today).days
    if days_ahead == 0:
        return gettext(TODAY_AT, lang, time=clock)
    if days_ahead == 1:
        return gettext(TOMORROW_AT, lang, time=clock)
    day = format_skeleton("MMMMd", local, tzinfo=zone, locale=babel_locale(lang))
    return gettext(WEEKDAY_AT[local.weekday()], lang, date=day, time=clock)


def _days(weekdays: frozenset[int], lang: str) -> str:
    phrase = DAY_RANGES.get(weekdays)
    if phrase:
        return gettext(phrase, lang)
    # Unusual schedules read as a timetable would write them: "lun.–mer., ven." / "Mo.–Mi., Fr.".
    names = get_day_names("abbreviated", locale=babel_locale(lang))
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}" for r in runs)


def schedule_text(schedule: Schedule, now: datetime, lang: str) -> str:
    """'Monday to Friday, 09:00–18:00 CET': the zone's abbreviation as of ``now`` (CEST in summer)."""
    return _schedule_text(schedule, lang, now.astimezone(schedule.zone).tzname())


@functools.lru_cache(maxsize=256)  # a handful of teams, five languages, two abbreviations
def _schedule_text(schedule: Schedule, lang: str, zone_name: str | None) -> str:
    parts = [f"{_days(w.weekdays, lang)}, {w.start:%H:%M}–{'24:00' if w.end_minutes == 1440 else f'{w.end:%H:%M}'}"
             for w in schedule.windows]
    return f"{'; '.join(parts)} {zone_name}"


def team_status(hours: BusinessHours, team: str, now: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """Whether ``team`` works at ``now`` and, if not, when it is back; in ``lang``.

    Times are shown in the team's own zone (the one its hours are written in) unless the caller
    knows the customer's zone and passes it as ``tz``.
    """
    schedule = hours.schedule(team)
    if schedule.always:
        return gettext(SUPPORT_ALWAYS, lang) if team == "support" else gettext(OTHER_ALWAYS, lang, team=team)
    text = schedule_text(schedule, now, lang)
    if hours.is_open(team, now):
        if team in TEAM_OPEN:
            return gettext(TEAM_OPEN[team], lang, schedule=text)
        return gettext(OTHER_OPEN, lang, team=team, schedule=text)
    back = when(hours.next_opening(team, now), now, tz or schedule.zone, lang)
    if team in TEAM_CLOSED:
        return gettext(TEAM_CLOSED[team], lang, when=back, schedule=text)
    return gettext(OTHER_CLOSED, lang, team=team, when=back, schedule=text)
