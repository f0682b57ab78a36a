"""When the problem started, from free text in the five languages, resolved against the arrival time.

Hand-written rather than dateparser: dateparser drops the "depuis/seit/od/desde/since" forms, reads
"ayer a las 14h" as 20:00 and Polish "Nie" as Sunday. The forms handled:
- clock times: "13:40", "13h40", "22h", "14 Uhr", "14.30 Uhr", "od 8.30", "9am", "9:05 pm", "9 o'clock",
  "desde las 3", "wczoraj o 14", "desde las 10 y media", "halb 11", "quarter past 9", "à midi", and hours
  in words ("seit halb neun", "desde las nueve", "od dziewiątej", "since nine", "à huit heures");
- durations: "10 minutes ago", "il y a 2 heures", "seit 10 Minuten", "od 2 godzin", "od dwóch godzin",
  "hace media hora", "un quart d'heure", "anderthalb Stunden", "od godziny" (one hour), "1,5 h", with
  approximations between the "since" word and the number ("od jakichś 20 minut", "seit rund 20 Minuten");
- day words (today, yesterday, the day before, last night), weekdays (the last one not in the
  future: "seit Montag 10 Uhr") and numeric or named dates near the time;
- the part of day ("du soir", "wieczorem", "de la tarde", "abends", "pm");
- the zone the customer names (UTC, GMT+2, UTC−3, MEZ, EST, MSK, "9am ET", "hora de Madrid", "hora de
  Ciudad de México", "heure de Montréal", "Warsaw time", "Moskauer Zeit", "czasu londyńskiego"), else
  Europe/Paris with its DST rules.
Durations are subtracted from the arrival instant (not from the wall clock), so "il y a une heure"
during the night the clocks go back is one real hour; a wall-clock time of the repeated hour is the
occurrence nearest before the arrival.
A time after "until/bis/do/hasta/jusqu'à" or "in/dans/en" is not a start time, nor one about the
future ("demain à 10h", "zaplanować na sobotę po 22:00"), nor a count ("around 8 machines"). When several
times are given, one introduced by a "since" word wins, else the first one.
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
    r"(?:\s?[:h]\s?([0-5]\d)(?::[0-5]\d)?|\.([0-5]\d)(?=\s?(?:uhr|h\b|[ap]\.?m\b))|\s?h(?![a-z\d'])"
    r"|(?=\s?(?:uhr|[ap]\.?m\b|o'?clock)))"
    r"(?:\s?(?:uhr\b|h\b|o'?clock\b))?(?:\s?([ap])\.?m\b\.?)?(?![\d:])")
# "od 8.30", "seit 8.45": a dotted time right after a clock preposition; the minutes are above 12, or
# "od 10.05" could be the 10th of May
_DOTTED = re.compile(r"\b(od|od godz\.?|od godziny|o|o godz\.?|o godzinie|okolo|seit|um|ab|gegen|since|at|from|"
                     r"around|depuis|vers|des|a|desde las|a las|sobre las|hacia las)\s([01]?\d|2[0-3])\.(1[3-9]|[2-5]\d)"
                     r"(?![\d.,])")
_BARE = re.compile(
    r"\b(?:a eso de las|desde las|sobre las|hacia las|a las|desde la|a la|las|od godziny|o godzinie|od godz\.?|"
    r"o godz\.?|godz\.?|okolo|"
    r"od|o|po|um|gegen|ab|seit|since|at|around|from|vers|depuis|des|a|halb|half past|quarter past|quarter to|"
    r"viertel nach|viertel vor|dreiviertel|wpol do)\s(\d{1,2})"
    rf"(?![\d%€$]|\s?(?:[:h.,]\s?\d|x\b|eur|euro|zl|pln|usd|gb|tb|mb|ms|%|(?:{tw.UNIT_RE})\b(?!\s(?:de|del|du|d')\b))|[a-z])"
    r"(?!\s?(?:to|bis|a|do|hasta|-)\s?\d{1,5}\s?(?:ms|%|mb|gb|tb|kb|mo|go|mbit|gbit|mbps|gbps|s\b|x\b))"
    rf"(?!\s(?:{tw.COUNTED})\b|\s(?:of|de|des|di|z|ze|aus|von|sur|on|en|na|u)\s(?:(?:our|my|nos|mes|vos|"
    rf"your|los|las|mis|sus|nuestros|unseren?|meinen?|naszych|moich)\s)?(?:{tw.COUNTED})\b)")
_DURATION = re.compile(rf"(?<![\d.:,])(?:(\d{{1,3}}(?:[.,]5)?)|\b({tw.NUMBER_WORD_RE}))\s?(?:-\s?)?({tw.UNIT_RE})\b")
_SINCE_BEFORE = re.compile(rf"\b(?:{tw.SINCE})\s(?:(?:{tw.APPROX})\s){{0,2}}(?:las?\s|godziny\s|godz\.?\s)?$")
_AGO_AFTER = re.compile(rf"^\.?\s?(?:{tw.AGO_AFTER})\b")
_NOT_START_BEFORE = re.compile(r"\b(?:until|till|bis|jusqu'a|jusqu'au|(?<!wpol )do|hasta|hasta las|before|avant|przed|vor dem|"
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
_FRENCH_CLOCK_AFTER = re.compile(r"\s?(?:du matin|du mat\b|du soir|de l'apres-midi|de l'aprem|de la nuit|ce matin|ce mat\b|"
                                 r"cette nuit|hier)")
_NOON_MIDNIGHT = re.compile(r"\b(?:depuis|des|a partir de|vers|a|od|o|okolo|desde el|desde|al|a las|seit|ab|um|"
                            r"gegen|since|at|around|from)\s(?:(?:le|el|la)\s)?(midi|noon|poludnia|poludniu|mediodia|"
                            r"mittag|minuit|midnight|polnocy|medianoche|mitternacht)\b")


_DIGIT = re.compile(r"\d")  # what _DOTTED, _CLOCK and _BARE need (their hour is [01]?\d, 2[0-3] or \d{1,2})
_CLAUSE_START = re.compile(r"[.!?;\n]")
_TOLERANCE = timedelta(minutes=5)
_APOSTROPHE_ARTICLE = re.compile(r"(?<=\s)'(?=ne?r?\s)")
_CLOCK_ARTICLE = re.compile(r"\b(?:las?|godziny|godz\.?)\s$")  # "desde las 8 hora de Bogotá" is a clock time  # "seit 'ner Stunde"
_TODAY_WEEKDAY = [0]


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    since: bool                          # introduced by a "since" word: the start of the problem
    minutes_ago: int | None = None       # a duration back from now
    hour: int = 0
    minute: int = 0
    meridiem: str | None = None          # "a" / "p" when written


def _zone(raw: str, folded: str, near: int) -> tzinfo:
    """The zone the customer names: an abbreviation next to a clock time, an offset (UTC+2), or a
    phrase ("hora de Ciudad de México"); the phrase nearest the time wins when there are several."""
    for m in tw.ABBREVIATION.finditer(raw):
        # "EST" and "CET" are words too ("LE SERVEUR EST DOWN"): in capitals, a time must stand just before
        if m.group(1) and not re.search(r"(?:\d|[ap]\.?m\.?|uhr|h)\W{0,3}\(?$", raw[max(0, m.start() - 12):m.start()],
                                        re.I):
            continue
        return tw.abbreviation_zone(m.group(1) or m.group(2) or m.group(3))
    m = tw.OFFSET_ZONE.search(folded)
    if m:
        if not m.group(2):
            return timezone.utc
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        sign = 1 if m.group(1) == "+" else -1
        if hours <= 14:
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    phrases = tw.zone_phrases(folded)
    if phrases:
        return min(phrases, key=lambda x: (abs(x[0] - near), x[0]))[1]
    return tw.PARIS


def _mentions(text: str, lang: str | None) -> list[_Mention]:
    found: list[_Mention] = []

    def since(start: int) -> bool:
        return bool(_SINCE_BEFORE.search(text[max(0, start - 40):start]))

    def excluded(start: int, end: int) -> bool:
        if _NOT_START_BEFORE.search(text[max(0, start - 20):start]):
            return True
        # a time about the future, in the same sentence: "demain à 10h", "next Monday at 9"
        clause = _CLAUSE_START.split(text[max(0, start - 45):start])[-1]
        return bool(tw.FUTURE.search(clause) or tw.FUTURE.match(text[end:end + 12].lstrip(" ,")))

    def ago(end: int) -> bool:
        return bool(_AGO_AFTER.match(text[end:end + 12]))

    for m in _DURATION.finditer(text):
        unit = tw.UNIT_MINUTES[m.group(3)]
        amount = float(m.group(1).replace(",", ".")) if m.group(1) else tw.NUMBER_WORDS[m.group(2)]
        is_ago = ago(m.end())
        before = text[max(0, m.start() - 40):m.start()]
        if not (is_ago or _SINCE_BEFORE.search(before)) or _CLOCK_ARTICLE.search(before):
            continue
        if m.group(3) == "h" and lang == "fr" and not is_ago and amount == int(amount):
            continue  # French "depuis 3h" is read with the clock times below ("3h du matin" vs "depuis 3h")
        # "depuis 10 heures", "od 14 godzin"? A large hour count after "since" is a clock time.
        if unit == 60 and not is_ago and amount > 4 and re.search(r"(?:depuis|des|vers|a)\s$", before):
            found.append(_Mention(m.start(), m.end(), True, hour=int(amount) % 24))
            continue
        found.append(_Mention(m.start(), m.end(), True, minutes_ago=round(amount * unit)))
    for pattern, minutes in tw.FRACTIONS if tw.ANY_FRACTION.search(text) else ():
        for m in pattern.finditer(text):
            if ago(m.end()) or since(m.start()):
                found.append(_Mention(m.start(), m.end(), True, minutes_ago=minutes))
    for m in tw.IMPLIED_ONE.finditer(text):
        found.append(_Mention(m.start(1), m.end(1), True, minutes_ago=tw.IMPLIED_ONE_MINUTES[m.group(1)]))
    clock_digits = bool(_DIGIT.search(text))  # without a digit, the next three scans cannot match
    for m in _DOTTED.finditer(text) if clock_digits else ():
        if not excluded(m.start(2), m.end()):
            found.append(_Mention(m.start(2), m.end(), since(m.start(2)), hour=int(m.group(2)), minute=int(m.group(3))))
    for m in _CLOCK.finditer(text) if clock_digits else ():
        if excluded(m.start(), m.end()) or any(x.start <= m.start() < x.end for x in found):
            continue
        hour, minute = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if (lang == "fr" and not m.group(2) and hour <= 3 and "h" in m.group(0)
                and re.search(r"(?:depuis|ca fait|cela fait|il y a)\s$", text[max(0, m.start() - 15):m.start()])
                and not _FRENCH_CLOCK_AFTER.match(text[m.end():m.end() + 20])):
            found.append(_Mention(m.start(), m.end(), True, minutes_ago=hour * 60))  # "depuis 2h": two hours
            continue
        found.append(_Mention(m.start(), m.end(), since(m.start()), hour=hour, minute=minute, meridiem=m.group(4)))
    for m in _BARE.finditer(text) if clock_digits else ():
        # the preposition itself may be "until" ("hasta las 18"): look right before the number
        if excluded(m.start(1), m.end(1)) or any(x.start <= m.start(1) < x.end for x in found):
            continue
        hour = int(m.group(1))
        if hour > 24:
            continue
        found.append(_Mention(m.start(1), m.end(1), since(m.start(1)) or since(m.start()), hour=hour % 24))
    for m in _NOON_MIDNIGHT.finditer(text):
        if excluded(m.start(1), m.end(1)):
            continue
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


def _day_offset(text: str, m: _Mention, hour: int, lang: str | None) -> tuple[int | None, bool]:
    """Days back from today that the text puts the time on, and whether a weekday said so."""
    window = text[max(0, m.start - 45):m.end + 30]
    weekday = tw.WEEKDAY_RE.search(window)
    if weekday:
        return -((_TODAY_WEEKDAY[0] - tw.WEEKDAY[weekday.group(1)]) % 7), True
    if tw.NIGHT_BEFORE.search(window):
        return (-1 if hour >= 12 else 0), False
    for pattern, offset in tw.DAY_WORDS:
        if pattern.search(window):
            return offset, False
    if lang == "fr" and tw.FRENCH_HIER.search(window):
        return -1, False
    return None, False


def _at(day: date, hour: int, minute: int, zone: tzinfo, now_utc: datetime) -> datetime:
    """The wall-clock time on that day in the zone. In the hour the clocks go back the time exists
    twice: the occurrence nearest before the arrival is meant ("since 2:30", written at 2:50 after
    the change, is twenty minutes ago)."""
    first = datetime.combine(day, time(hour, minute), tzinfo=zone)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    past = [c for c in (first, second) if c.astimezone(timezone.utc) <= now_utc + _TOLERANCE]
    return max(past, key=lambda c: c.astimezone(timezone.utc)) if past else first


# Minutes past or to an hour, in digits: "20 past 9", "10 nach 9", "20 po 9", "las 9 y 20" -> 9:20;
# "10 vor 9", "9h moins 10" -> 8:50 (minutes in fives: "from 10 to 12" is not a time).
_FIVES = r"(?:[1-5][05]|5)"
_PAST = re.compile(rf"\b({_FIVES}) (?:minutes? |min )?(?:past|nach|po) ([01]?\d|2[0-3])\b(?![:.,h]\d)")
_Y_MINUTES = re.compile(rf"\b(las|la) ([01]?\d|2[0-3]) y ({_FIVES})\b(?! ?(?:minutos|min))")
_VOR = re.compile(rf"\b({_FIVES}) (?:minuten )?vor ([01]?\d|2[0-3])\b(?![:.,h]\d| ?(?:minuten|min|stunden|std|tagen))")
_MOINS = re.compile(rf"\b([01]?\d|2[0-3]) ?h(?:eures?)? moins ({_FIVES})\b")


def _clock(hour: int, minute: int) -> str:
    total = hour * 60 + minute
    return f"{(total // 60) % 24}:{total % 60:02d}"


def _minutes_past_or_to(folded: str) -> str:
    if not any(w in folded for w in ("past", "nach", " po ", " y ", "vor", "moins")):
        return folded
    folded = _PAST.sub(lambda m: _clock(int(m.group(2)), int(m.group(1))), folded)
    folded = _Y_MINUTES.sub(lambda m: f"{m.group(1)} {_clock(int(m.group(2)), int(m.group(3)))}", folded)
    folded = _VOR.sub(lambda m: _clock(int(m.group(2)), -int(m.group(1))), folded)
    return _MOINS.sub(lambda m: _clock(int(m.group(1)), -int(m.group(2))), folded)


def parse_start_time(text: str, now: datetime, *, lang: str | None = None,
                     folded: str | None = None) -> datetime | None:
    """When the problem started, as an aware datetime, or None when the text gives no time.

    `now` (aware) is when the message arrived; `lang`, when known, settles words that differ between
    languages (French "hier" is yesterday, German "hier" is here); `folded`: normalize.fold of the
    text (of its first MAX_ANALYSED_CHARS characters), when the caller has it already."""
    raw = text[:MAX_ANALYSED_CHARS]
    if folded is None:
        folded = fold(raw)
    folded = _minutes_past_or_to(tw.hour_words_to_digits(_APOSTROPHE_ARTICLE.sub("", folded)))
    mentions = _mentions(folded, lang)
    if not mentions:
        return None
    mention = min(mentions, key=lambda x: (not x.since, x.start, -(x.end - x.start)))
    zone = _zone(raw, folded, mention.start)
    now_utc = now.astimezone(timezone.utc).replace(second=0, microsecond=0)
    local_now = now_utc.astimezone(zone)
    if mention.minutes_ago is not None:  # on the real time line, whatever the clocks did meanwhile
        return (now_utc - timedelta(minutes=mention.minutes_ago)).astimezone(zone)
    hour = _hour24(folded, mention)
    _TODAY_WEEKDAY[0] = local_now.weekday()
    offset, by_weekday = _day_offset(folded, mention, hour, lang)
    day: date | None = date_near(folded, mention.start, mention.end, local_now.date())
    explicit = day is not None
    if day is None:
        day = local_now.date() + timedelta(days=offset or 0)
    result = _at(day, hour, mention.minute, zone, now_utc)
    if not explicit and (offset is None or by_weekday) and result.astimezone(timezone.utc) > now_utc + _TOLERANCE:
        # a time later than now without a day is yesterday's; a weekday's is last week's
        result = _at(day - timedelta(days=7 if by_weekday else 1), hour, mention.minute, zone, now_utc)
    return result
