"""A calendar date written next to a time: "le 12/03 à 14h", "am 3. März um 9 Uhr", "3 marca o 14",
"el 3 de marzo a las 14h", "March 3rd at 2pm", "2026-03-03 14:00". On folded text (normalize.fold)."""
from __future__ import annotations

import re
from datetime import date

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate([
    "janvier january jan januar janner enero stycznia styczen ene",
    "fevrier february feb februar febrero lutego luty fev",
    "mars march mar marz marzo marca marzec",
    "avril april apr abril kwietnia kwiecien avr abr",
    "mai may maj maja mayo",
    "juin june jun juni junio czerwca czerwiec",
    "juillet july jul juli julio lipca lipiec juil",
    "aout august aug agosto sierpnia sierpien",
    "septembre september sep sept septiembre setiembre wrzesnia wrzesien",
    "octobre october oct oktober octubre pazdziernika pazdziernik okt",
    "novembre november nov noviembre listopada listopad",
    "decembre december dec dezember diciembre grudnia grudzien dez dic",
], start=1):
    for _w in _names.split():
        _MONTHS[_w] = _n
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_NUMERIC = re.compile(r"(?<![\d.:/])(\d{1,2})[./](\d{1,2})(?:[./](20\d\d|\d\d))?(?![\d:]|\.\d)")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:er|\.|st|nd|rd|th)?\s(?:de\s)?({_MONTH_RE})\b\.?(?:\s(?:de\s)?(20\d\d))?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s(20\d\d))?")


def _make(year: int | None, month: int, day: int, today: date) -> date | None:
    try:
        result = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and result > today:  # "le 28/12" written in January is last year's
        result = result.replace(year=result.year - 1)
    return result


def date_near(text: str, start: int, end: int, today: date) -> date | None:
    """The date written within a few words of the time at text[start:end], if any."""
    lo, hi = max(0, start - 35), min(len(text), end + 30)
    window = text[lo:hi]
    rel_start, rel_end = start - lo, end - lo

    def outside(m: re.Match[str]) -> bool:  # the time itself ("13.40") is not a date
        return m.end() <= rel_start or m.start() >= rel_end

    for m in _ISO.finditer(window):
        if outside(m):
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
    for m in _DAY_MONTH.finditer(window):
        if outside(m):
            return _make(int(m.group(3)) if m.group(3) else None, _MONTHS[m.group(2)], int(m.group(1)), today)
    for m in _MONTH_DAY.finditer(window):
        if outside(m):
            return _make(int(m.group(3)) if m.group(3) else None, _MONTHS[m.group(1)], int(m.group(2)), today)
    for m in _NUMERIC.finditer(window):
        if outside(m) and 1 <= int(m.group(2)) <= 12:
            year = m.group(3)
            full = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            return _make(full, int(m.group(2)), int(m.group(1)), today)
    return None
