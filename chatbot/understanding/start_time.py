"""When the problem started, from free text in the five languages, resolved against the arrival time.

Hand-written rather than dateparser: dateparser drops the "depuis/seit/od/desde/since" forms, reads
"ayer a las 14h" as 20:00 and Polish "Nie" as Sunday. The forms handled:
- clock times: "13:40", "13h40", "22h", "14 Uhr", "14.30 Uhr", "9am", "9:05 pm", "desde las 3",
  "wczoraj o 14", "desde las 10 y media", "halb 11", "quarter past 9", "à midi";
- durations: "10 minutes ago", "il y a 2 heures", "seit 10 Minuten", "od 2 godzin", "hace media hora";
- day words (today, yesterday, the day before, last night) and numeric or named dates near the time;
- the part of day ("du soir", "wieczorem", "de la tarde", "abends", "pm");
- the zone the customer names (UTC, GMT+2, MEZ, "hora de Madrid", "Warsaw time", EST), else
  Europe/Paris with its DST rules.
A time after "until/bis/do/hasta/jusqu'à" or "in/dans/en" is not a start time. When several times
are given, one introduced by a "since" word wins, else the first one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from . import time_words as tw
from .normalize import MAX_ANALYSED_CHARS, fold
from .dates import date_near

_CLOCK = re.compile(
    r"(?<![\d.:,/])([01]?\d|2[0-3])"
    r"(?:\s?[:h]\s?([0-5]\d)(?::[0-5]\d)?|\.([0-5]\d)(?=\s?uhr)|\s?h(?![a-z\d])|(?=\s?(?:uhr|[ap]\.?m\b)))"
    r"(?:\s?(?:uhr\b|h\b))?(?:\s?([ap])\.?m\b\.?)?(?![\d:])")
_BARE = re.compile(
    r"\b(?:a eso de las|desde las|sobre las|hacia las|a las|desde la|a la|las|od godziny|o godzinie|okolo|"
    r"od|o|po|um|gegen|ab|seit|since|at|around|from|vers|depuis|des|a|halb|half past|quarter past|quarter to|"
    r"viertel nach|viertel vor|dreiviertel|wpol do)\s(\d{1,2})"
    rf"(?![\d%€$]|\s?(?:[:h.,]\s?\d|x\b|eur|euro|zl|pln|usd|gb|tb|mb|ms|%|(?:{tw.UNIT_RE})\b)|[a-z])")
_DURATION = re.compile(rf"(?<![\d.:])(?:(\d{{1,3}})|({tw.NUMBER_WORD_RE}))\s?(?:-\s?)?({tw.UNIT_RE})\b")
_SINCE_BEFORE = re.compile(rf"\b(?:{tw.SINCE})\s(?:(?:about|environ|around|circa|ca\.|okolo|ok\.|prawie|unos|unas|"
                           r"etwa|ungefahr|plus de|over|more than|ponad|mas de|uber|presque|almost|casi|fast|"
                           r"juste|just|gut|already|deja|ya|schon|juz|asi|so|tak|comme ca)\s)?(?:las?\s|godziny\s)?$")
_AGO_AFTER = re.compile(rf"^\s?(?:{tw.AGO_AFTER})\b")
_NOT_START_BEFORE = re.compile(r"\b(?:until|till|bis|jusqu'a|jusqu'au|do|hasta|hasta las|before|avant|przed|vor dem|"
                               r"in|dans|en|within|w ciagu|innerhalb|binnen|ping|every|chaque|co|cada|alle|"
                               r"each|ttl|sla|frais|cost|for|pour|para|dla|fur)\s(?:las?\s)?$")
_HALF_AFTER = re.compile(r"^\s?(?:y media|et demie|et demi|y cuarto|et quart|menos cuarto|moins le quart|moins quart|"
                         r"and a half)\b")
_HALF_BEFORE = re.compile(r"\b(?:halb|half past|quarter past|quarter to|viertel nach|viertel vor|dreiviertel|"
                          r"wpol do)\s$")
_HALF_MINUTES = {"y media": 30, "et demie": 30, "et demi": 30, "and a half": 30, "y cuarto": 15, "et quart": 15,
                 "menos cuarto": -15, "moins le quart": -15, "moins quart": -15,
                 "halb": -30, "half past": 30, "quarter past": 15, "quarter to": -15, "viertel nach": 15,
                 "viertel vor": -15, "dreiviertel": -15, "wpol do": -30}
# "depuis 3h du matin" is a clock time; "depuis 3h" alone is three hours.
_FRENCH_CLOCK_AFTER = re.compile(r"\s?(?:du matin|du soir|de l'apres-midi|de la nuit|ce matin|cette nuit|hier)")
_NOON_MIDNIGHT = re.compile(r"\b(?:depuis|des|a partir de|vers|a|od|o|okolo|desde el|desde|al|a las|seit|ab|um|"
                            r"gegen|since|at|around|from)\s(?:(?:le|el|la)\s)?(midi|noon|poludnia|poludniu|mediodia|"
                            r"mittag|minuit|midnight|polnocy|medianoche|mitternacht)\b")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    since: bool                          # introduced by a "since" word: the start of the problem
    minutes_ago: int | None = None       # a duration back from now
    hour: int = 0
    minute: int = 0
    meridiem: str | None = None          # "a" / "p" when written


def _zone(raw: str, folded: str) -> tzinfo:
    m = tw.ABBREVIATION.search(raw)
    if m:
        return tw.abbreviation_zone(m.group(1) or m.group(2))
    m = tw.OFFSET_ZONE.search(folded)
    if m:
        if not m.group(2):
            return timezone.utc
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        sign = -1 if m.group(1) == "-" else 1
        if hours <= 14:
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    for pattern, zone in tw.ZONE_PHRASES:
        if pattern.search(folded):
            return zone
    return tw.PARIS


def _mentions(text: str, lang: str | None) -> list[_Mention]:
    found: list[_Mention] = []

    def since(start: int) -> bool:
        return bool(_SINCE_BEFORE.search(text[max(0, start - 40):start]))

    def excluded(start: int) -> bool:
        return bool(_NOT_START_BEFORE.search(text[max(0, start - 20):start]))

    for m in _DURATION.finditer(text):
        unit = tw.UNIT_MINUTES[m.group(3)]
        amount = int(m.group(1)) if m.group(1) else tw.NUMBER_WORDS[m.group(2)]
        ago = bool(_AGO_AFTER.match(text[m.end():m.end() + 12]))
        before = text[max(0, m.start() - 40):m.start()]
        if not (ago or _SINCE_BEFORE.search(before)):
            continue
        if m.group(3) == "h" and lang == "fr" and not ago:
            continue  # French "depuis 3h" is read with the clock times below ("3h du matin" vs "depuis 3h")
        # "depuis 10 heures", "od 14 godzin"? A large hour count after "since" is a clock time.
        if unit == 60 and not ago and amount > 4 and re.search(r"(?:depuis|des|vers|a)\s$", before):
            found.append(_Mention(m.start(), m.end(), True, hour=amount))
            continue
        found.append(_Mention(m.start(), m.end(), True, minutes_ago=amount * unit))
    for m in tw.HALF_UNIT.finditer(text):
        if _AGO_AFTER.match(text[m.end():m.end() + 12]) or since(m.start()):
            found.append(_Mention(m.start(), m.end(), True, minutes_ago=30))
    for m in _CLOCK.finditer(text):
        if excluded(m.start()):
            continue
        hour, minute = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if (lang == "fr" and not m.group(2) and hour <= 3 and "h" in m.group(0)
                and re.search(r"(?:depuis|ca fait|cela fait|il y a)\s$", text[max(0, m.start() - 15):m.start()])
                and not _FRENCH_CLOCK_AFTER.match(text[m.end():m.end() + 20])):
            found.append(_Mention(m.start(), m.end(), True, minutes_ago=hour * 60))  # "depuis 2h": two hours
            continue
        found.append(_Mention(m.start(), m.end(), since(m.start()), hour=hour, minute=minute, meridiem=m.group(4)))
    for m in _BARE.finditer(text):
        # the preposition itself may be "until" ("hasta las 18"): look right before the number
        if excluded(m.start(1)) or any(x.start <= m.start(1) < x.end for x in found):
            continue
        hour = int(m.group(1))
        if hour > 24:
            continue
        found.append(_Mention(m.start(1), m.end(1), since(m.start(1)) or since(m.start()), hour=hour % 24))
    for m in _NOON_MIDNIGHT.finditer(text):
        hour = 0 if tw.MIDNIGHT.match(m.group(1)) else 12
        found.append(_Mention(m.start(1), m.end(1), since(m.start(1)) or bool(re.match(
            r"(?:depuis|des|a partir de|od|desde|seit|ab|since|from)", m.group(0))), hour=hour))
    return [_adjust_half(text, x) for x in found]


def _adjust_half(text: str, m: _Mention) -> _Mention:
    """"10 y media" -> 10:30, "halb 11" -> 10:30, "quarter to 9" -> 8:45."""
    if m.minutes_ago is not None or m.minute:
        return m
    after = _HALF_AFTER.match(text[m.end:m.end + 16])
    before = _HALF_BEFORE.search(text[max(0, m.start - 14):m.start])
    key = after.group(0).strip() if after else before.group(0).strip() if before else None
    if key is None:
        return m
    total = m.hour * 60 + _HALF_MINUTES[key]
    end = m.end + (after.end() if after else 0)
    return _Mention(m.start, end, m.since, None, (total // 60) % 24, total % 60, m.meridiem)


def _hour24(text: str, m: _Mention) -> int:
    hour = m.hour
    if m.meridiem == "p" and hour < 12:
        return hour + 12
    if m.meridiem == "a":
        return 0 if hour == 12 else hour
    window = text[max(0, m.start - 30):m.end + 30]
    for pattern, kind in tw.PART_OF_DAY:
        if pattern.search(window):
            if kind == "pm" and 1 <= hour < 12:
                return hour + 12
            if kind == "night" and 6 <= hour < 12:
                return hour + 12
    return hour


def _day_offset(text: str, m: _Mention, hour: int, lang: str | None) -> int | None:
    window = text[max(0, m.start - 45):m.end + 30]
    if tw.NIGHT_BEFORE.search(window):
        return -1 if hour >= 12 else 0
    for pattern, offset in tw.DAY_WORDS:
        if pattern.search(window):
            return offset
    if lang == "fr" and tw.FRENCH_HIER.search(window):
        return -1
    return None


def parse_start_time(text: str, now: datetime, *, lang: str | None = None) -> datetime | None:
    """When the problem started, as an aware datetime, or None when the text gives no time.

    `now` (aware) is when the message arrived; `lang`, when known, settles words that differ between
    languages (French "hier" is yesterday, German "hier" is here)."""
    raw = text[:MAX_ANALYSED_CHARS]
    folded = fold(raw)
    mentions = _mentions(folded, lang)
    if not mentions:
        return None
    mention = min(mentions, key=lambda x: (not x.since, x.start))
    zone = _zone(raw, folded)
    local_now = now.astimezone(zone).replace(second=0, microsecond=0)
    if mention.minutes_ago is not None:
        return local_now - timedelta(minutes=mention.minutes_ago)
    hour = _hour24(folded, mention)
    offset = _day_offset(folded, mention, hour, lang)
    day: date | None = date_near(folded, mention.start, mention.end, local_now.date())
    if day is None:
        day = local_now.date() + timedelta(days=offset or 0)
    result = datetime.combine(day, time(hour, mention.minute), tzinfo=zone)
    if offset is None and result > local_now + timedelta(minutes=5):
        result = datetime.combine(day - timedelta(days=1), time(hour, mention.minute), tzinfo=zone)
    return result
