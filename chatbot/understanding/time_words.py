"""Vocabulary of times in the five languages, on accent-free lower-case text (normalize.fold).

Kept apart from start_time.py so that a native speaker can review and extend the words without
reading the parser.
"""
from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# Named zones, as phrases on folded text. "CET"/"MEZ"/"CEST"/"MESZ" are read as the Paris clock:
# customers write "CET" all year round and mean the local time they see, not +01:00 in summer.
ZONE_PHRASES: list[tuple[re.Pattern[str], tzinfo]] = [(re.compile(p), z) for p, z in [
    (r"\b(?:mesz|mez|heure de paris|heure francaise|heure de france|paris time|hora de paris|"
     r"czasu (?:paryskiego|francuskiego)|pariser zeit|franzosischer zeit|heure de bruxelles)\b", PARIS),
    (r"\b(?:hora (?:de madrid|peninsular|espanola|de espana)|madrid time|horario peninsular)\b", ZoneInfo("Europe/Madrid")),
    (r"\b(?:czasu polskiego|polskiego czasu|czas polski|warsaw time|hora de varsovia|heure de varsovie|"
     r"warschauer zeit|czasu warszawskiego)\b", ZoneInfo("Europe/Warsaw")),
    (r"\b(?:deutscher zeit|deutsche zeit|berliner zeit|berlin time|german time)\b", ZoneInfo("Europe/Berlin")),
    (r"\b(?:london time|uk time|british time|hora de londres|heure de londres)\b", ZoneInfo("Europe/London")),
    (r"\b(?:hora (?:de )?canarias|canary time)\b", ZoneInfo("Atlantic/Canary")),
    (r"\b(?:eastern time|new york time|us eastern)\b", ZoneInfo("America/New_York")),
    (r"\b(?:pacific time|us pacific)\b", ZoneInfo("America/Los_Angeles")),
]]
# Abbreviations that are also words ("est", "cet", "west") count in capitals or right after a time.
_ABBREVIATIONS: dict[str, tzinfo] = {
    "CET": PARIS, "CEST": PARIS, "MEZ": PARIS, "MESZ": PARIS, "BST": ZoneInfo("Europe/London"),
    "WET": ZoneInfo("Atlantic/Canary"), "WEST": ZoneInfo("Atlantic/Canary"), "EET": ZoneInfo("Europe/Athens"),
    "EEST": ZoneInfo("Europe/Athens"), "EST": timezone(timedelta(hours=-5)), "EDT": timezone(timedelta(hours=-4)),
    "PST": timezone(timedelta(hours=-8)), "PDT": timezone(timedelta(hours=-7)),
}
# In lower case only right after a clock time ("14:05 cet", "9h cest", "3pm est"): "46.105.33.201 est
# injoignable" is French, not Eastern time.
ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b"
                          r"|(?:(?<=:\d\d)|(?<=h\d\d)|(?<=\dh)|(?<=am)|(?<=pm)|(?<=uhr))\s?\(?("
                          + "|".join(_ABBREVIATIONS).lower() + r")\b")


def abbreviation_zone(name: str) -> tzinfo:
    return _ABBREVIATIONS[name.upper()]


# "UTC", "GMT", "UTC+2", "GMT-03:00", "Z" after a clock time.
OFFSET_ZONE = re.compile(r"\b(?:utc|gmt)\s?(?:([+-])\s?(\d{1,2})(?::?(\d{2}))?)?(?![\w+-])|(?<=\d)z\b")

_NUMBER_WORDS = {
    1: "one a an une un une jedna jedną jedna jeden jedno una uno eine einer einem ein",
    2: "two deux dwie dwa dos zwei zwo",
    3: "three trois trzy tres drei",
    4: "four quatre cztery cuatro vier",
    5: "five cinq piec piêc cinco funf",
    6: "six szesc seis sechs",
    10: "ten dix dziesiec diez zehn",
    15: "fifteen quinze pietnascie quince funfzehn",
    20: "twenty vingt dwadziescia veinte zwanzig",
    30: "thirty trente trzydziesci treinta dreissig",
    45: "quarante-cinq",
}
NUMBER_WORDS: dict[str, int] = {w: n for n, blob in _NUMBER_WORDS.items() for w in blob.split()}
NUMBER_WORD_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

# unit word -> minutes
UNIT_MINUTES: dict[str, int] = {}
for _minutes, _blob in {
    1: "min mins minute minutes minuta minuty minut minuto minutos minuten",
    60: "h hr hrs hour hours heure heures godzina godzine godziny godzin godz hora horas std stunde stunden",
    1440: "day days jour jours dzien dnia dni dia dias tag tage tagen",
}.items():
    for _w in _blob.split():
        UNIT_MINUTES[_w] = _minutes
UNIT_RE = "|".join(sorted(UNIT_MINUTES, key=len, reverse=True))
HALF_UNIT = re.compile(r"\b(?:half an hour|une demi-heure|une demi heure|pol godziny|media hora|"
                       r"einer halben stunde|eine halbe stunde|halben stunde|halbe stunde)\b")

# Words that make a duration or a clock time the start of the problem.
SINCE = (r"depuis|des|a partir de|il y a|ca fait|cela fait|od|od okolo|przez|desde(?: hace)?|hace|lleva|"
         r"llevamos|seit|vor|ab|since|for(?: the (?:last|past))?|in the (?:last|past)|from|started at|starting at")
AGO_AFTER = r"ago|temu|plus tot|her"

# day words -> day offset relative to today
DAY_WORDS: list[tuple[re.Pattern[str], int]] = [(re.compile(p), d) for p, d in [
    (r"\b(?:avant-hier|avant hier|przedwczoraj|anteayer|antes de ayer|antier|vorgestern|day before yesterday)\b", -2),
    (r"\b(?:yesterday|wczoraj|wczorajsz\w*|ayer|gestern|hier soir|hier matin|hier apres-midi|hier midi|"
     r"depuis hier|hier a|hier vers|hier des|hier entre|hier aux?)\b", -1),
    (r"\b(?:today|this morning|this afternoon|this evening|tonight|aujourd'hui|aujourdhui|ce matin|cet apres-midi|"
     r"ce soir|ce midi|dzis|dzisiaj|dzisiejsz\w*|hoy|esta manana|esta tarde|esta madrugada|esta noche|"
     r"heute|heute fruh|heute morgen|heute mittag)\b", 0),
]]
# "last night": the evening before, or the small hours of today ("la nuit dernière vers 3h").
NIGHT_BEFORE = re.compile(r"\b(?:last night|la nuit derniere|cette nuit|anoche|esta noche|wczoraj w nocy|"
                          r"dzis w nocy|dzisiaj w nocy|w nocy|letzte nacht|gestern nacht|heute nacht|overnight)\b")
FRENCH_HIER = re.compile(r"\bhier\b")

# part of day -> how to read an hour 1-11 ("pm": add 12; "night": add 12 from 6 on)
PART_OF_DAY: list[tuple[re.Pattern[str], str]] = [(re.compile(p), k) for p, k in [
    (r"(?<![a-z])(?:p\.?m\.?|du soir|de l'apres-midi|de l'aprem|ce soir|hier soir|wieczorem|wieczor\w*|po poludniu|"
     r"popoludniu|de la tarde|por la tarde|esta tarde|abends|abend|nachmittags?|in the evening|"
     r"in the afternoon|this afternoon|this evening|tonight)(?!\w)", "pm"),
    (r"\b(?:w nocy|nachts|la nuit|cette nuit|de la nuit|de la noche|por la noche|at night|last night|anoche|"
     r"gestern nacht|letzte nacht|heute nacht)\b", "night"),
]]
# Named times of day after a "since"/"at" word: noon and midnight.
NOON = re.compile(r"\b(?:midi|noon|poludni\w*|mediodia|mittag|mittags)\b")
MIDNIGHT = re.compile(r"\b(?:minuit|midnight|polnocy|polnoc|medianoche|mitternacht)\b")
