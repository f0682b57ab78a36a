"""When the problem started, in five languages, resolved against the arrival time, DST-correct."""
from datetime import datetime

import pytest

from chatbot.understanding import parse_start_time

CASES = [
    # (text, now, lang, expected start)
    ("depuis 9h ce matin", "2026-03-29T11:00:00+02:00", "fr", "2026-03-29T09:00:00+02:00"),
    ("plus rien ne répond depuis 13h40", "2026-09-14T14:10:00+02:00", "fr", "2026-09-14T13:40:00+02:00"),
    ("ne répond plus depuis 22h hier soir (heure de Paris)", "2025-12-18T08:05:00+01:00", "fr", "2025-12-17T22:00:00+01:00"),
    ("hier soir 22h", "2026-10-26T08:00:00+01:00", "fr", "2026-10-25T22:00:00+01:00"),
    ("depuis 2h", "2026-06-01T18:00:00+02:00", "fr", "2026-06-01T16:00:00+02:00"),
    ("ne répond plus depuis 3h du matin", "2026-05-19T07:10:00+02:00", "fr", "2026-05-19T03:00:00+02:00"),
    ("il y a une demi-heure", "2026-06-01T18:00:00+02:00", "fr", "2026-06-01T17:30:00+02:00"),
    ("le 12/03 à 14h30", "2026-06-01T18:00:00+02:00", "fr", "2026-03-12T14:30:00+01:00"),
    ("depuis midi", "2026-04-21T14:00:00+02:00", "fr", "2026-04-21T12:00:00+02:00"),
    ("od wczoraj 22:15", "2026-03-29T10:00:00+02:00", "pl", "2026-03-28T22:15:00+01:00"),
    ("wczoraj o 14", "2026-03-29T08:00:00+02:00", "pl", "2026-03-28T14:00:00+01:00"),
    ("od 14:00 UTC opóźnienia", "2026-02-12T16:20:00+01:00", "pl", "2026-02-12T14:00:00+00:00"),
    ("od 14:00 czasu polskiego", "2026-06-01T18:00:00+02:00", "pl", "2026-06-01T14:00:00+02:00"),
    ("vps padł jakieś 15 minut temu", "2026-06-02T20:30:00+02:00", "pl", "2026-06-02T20:15:00+02:00"),
    ("od 2 godzin", "2026-06-01T18:00:00+02:00", "pl", "2026-06-01T16:00:00+02:00"),
    ("wczoraj wieczorem o 9", "2026-06-01T09:00:00+02:00", "pl", "2026-05-31T21:00:00+02:00"),
    ("desde las 3 de la madrugada", "2026-10-25T09:00:00+01:00", "es", "2026-10-25T03:00:00+01:00"),
    ("ayer a las 14h", "2026-03-30T08:00:00+02:00", "es", "2026-03-29T14:00:00+02:00"),
    ("no responde desde las 10 y media", "2026-06-25T11:05:00+02:00", "es", "2026-06-25T10:30:00+02:00"),
    ("no responde a ping desde las 8 y cuarto", "2026-10-25T09:00:00+01:00", "es", "2026-10-25T08:15:00+01:00"),
    ("caído desde las 21:10 (hora de Madrid)", "2026-03-28T22:00:00+01:00", "es", "2026-03-28T21:10:00+01:00"),
    ("desde hace 20 minutos", "2026-06-01T18:00:00+02:00", "es", "2026-06-01T17:40:00+02:00"),
    ("lleva así 10 minutos", "2026-02-14T16:00:00+01:00", "es", "2026-02-14T15:50:00+01:00"),
    ("seit heute 07:40 MEZ", "2026-01-10T09:00:00+01:00", "de", "2026-01-10T07:40:00+01:00"),
    ("seit 10 minuten offline", "2025-08-18T10:42:00+02:00", "de", "2025-08-18T10:32:00+02:00"),
    ("gestern um 14 Uhr", "2026-10-26T08:00:00+01:00", "de", "2026-10-25T14:00:00+01:00"),
    ("seit heute Nacht um 3:20 Uhr", "2026-10-25T08:05:00+01:00", "de", "2026-10-25T03:20:00+01:00"),
    ("antwortet seit halb 9 nicht mehr", "2026-09-08T09:30:00+02:00", "de", "2026-09-08T08:30:00+02:00"),
    ("seit 04:50 Uhr MESZ down", "2026-06-03T06:00:00+02:00", "de", "2026-06-03T04:50:00+02:00"),
    ("Ich habe hier seit 10:15 Probleme", "2026-06-01T18:00:00+02:00", "de", "2026-06-01T10:15:00+02:00"),
    ("since 14:05 UTC", "2026-06-01T18:00:00+02:00", "en", "2026-06-01T14:05:00+00:00"),
    ("10 minutes ago", "2026-06-01T18:00:00+02:00", "en", "2026-06-01T17:50:00+02:00"),
    ("went down at 9:05", "2026-10-26T09:50:00+01:00", "en", "2026-10-26T09:05:00+01:00"),
    ("down since 3pm EST", "2026-01-05T23:00:00+01:00", "en", "2026-01-05T15:00:00-05:00"),
    ("since 14:05 GMT+2", "2026-06-01T18:00:00+02:00", "en", "2026-06-01T14:05:00+02:00"),
    ("since 10:00 Warsaw time", "2026-06-01T18:00:00+02:00", "en", "2026-06-01T10:00:00+02:00"),
    ("since 03:10 CET", "2026-03-04T07:00:00+01:00", "en", "2026-03-04T03:10:00+01:00"),
    ("stopped responding at 18:45 London time", "2026-04-16T20:30:00+02:00", "en", "2026-04-16T18:45:00+01:00"),
    ("my vps won't boot since yesterday 9pm", "2026-10-26T08:00:00+01:00", "en", "2026-10-25T21:00:00+01:00"),
    ("for about 40 minutes now", "2026-07-11T12:00:00+02:00", "en", "2026-07-11T11:20:00+02:00"),
]


@pytest.mark.parametrize(("text", "now", "lang", "expected"), CASES)
def test_start_time(text: str, now: str, lang: str, expected: str) -> None:
    got = parse_start_time(text, datetime.fromisoformat(now), lang=lang)
    assert got is not None
    assert got == datetime.fromisoformat(expected)
    assert got.utcoffset() == datetime.fromisoformat(expected).utcoffset()  # the zone the customer meant


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-03-29T00:30:00+01:00", "2026-03-28T20:00:00+01:00"),  # the night Paris moves to summer time
    ("2026-03-30T08:00:00+02:00", "2026-03-29T20:00:00+02:00"),  # yesterday was already summer time
    ("2026-10-25T01:30:00+02:00", "2026-10-24T20:00:00+02:00"),  # the night Paris moves back
    ("2026-10-26T08:00:00+01:00", "2026-10-25T20:00:00+01:00"),  # yesterday evening was winter time
])
def test_yesterday_evening_takes_the_offset_of_that_evening(now: str, expected: str) -> None:
    got = parse_start_time("od wczoraj 20:00", datetime.fromisoformat(now), lang="pl")
    assert got is not None
    assert got.isoformat() == expected


def test_a_time_later_than_now_without_a_day_is_yesterday() -> None:
    got = parse_start_time("depuis 22h", datetime.fromisoformat("2025-12-18T08:05:00+01:00"), lang="fr")
    assert got == datetime.fromisoformat("2025-12-17T22:00:00+01:00")


def test_german_hier_is_not_yesterday() -> None:
    got = parse_start_time("hier seit 10:15", datetime.fromisoformat("2026-06-01T18:00:00+02:00"), lang="de")
    assert got == datetime.fromisoformat("2026-06-01T10:15:00+02:00")


@pytest.mark.parametrize("text", [
    "ping 300ms", "billing open until 18:00?", "Ubuntu 22.04 with 49.99 EUR", "jusqu'à 18h ?",
    "hasta las 18", "do 18:00", "bis 18 Uhr", "réponse en 15 minutes ?", "mon serveur est lent",
])
def test_no_start_time(text: str) -> None:
    assert parse_start_time(text, datetime.fromisoformat("2026-06-01T19:00:00+02:00")) is None


def test_a_french_est_after_an_ip_is_not_eastern_time() -> None:
    got = parse_start_time("notre serveur 46.105.33.201 est injoignable depuis 4h50 ce matin",
                           datetime.fromisoformat("2026-03-29T06:30:00+02:00"), lang="fr")
    assert got is not None and got.isoformat() == "2026-03-29T04:50:00+02:00"
