"""Honest expectations when a ticket is opened: which team and why, first response, resolution time,
and when a closed team is back — in the customer's language, at a controlled "now"."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chatbot.business_hours import BusinessHours
from chatbot.desk import NO_ROUTE, Desk, load_desk
from chatbot.expectations import Expectations, expectations
from chatbot.i18n import LANGUAGES
from chatbot.knowledge import Knowledge

PARIS = ZoneInfo("Europe/Paris")
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=PARIS)
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


@pytest.fixture(scope="module")
def desk() -> Desk:
    return load_desk()


@pytest.fixture(scope="module")
def expect(desk: Desk) -> Expectations:
    return Expectations(desk, BusinessHours(desk))


REFUND_WHY = {"fr": "remboursements", "pl": "zwrotami", "es": "reembolsos", "de": "Erstattungen", "en": "refunds"}
FIRST_RESPONSE = {"fr": "10 minutes, à toute heure", "pl": "10 minut, o każdej porze", "es": "10 minutos, a cualquier hora",
                  "de": "10 Minuten, rund um die Uhr", "en": "10 minutes, at any hour"}
BACK_MONDAY = {
    "fr": "sera de retour lundi 30 novembre à 09:00 CET",
    "pl": "wróci w poniedziałek 30 listopada o 09:00 CET",
    "es": "volverá el lunes 30 de noviembre a las 09:00 CET",
    "de": "am Montag, 30. November, um 09:00 CET wieder für Sie da",
    "en": "will be back on Monday, November 30 at 09:00 CET",
}
SIMPLE_ONCE_BACK = {
    "fr": "Une fois l'équipe de retour, les demandes de ce type sont généralement résolues en 10 à 30 minutes.",
    "pl": "Po powrocie zespołu sprawy tego rodzaju rozwiązujemy zwykle w ciągu 10–30 minut.",
    "es": "Cuando el equipo vuelva, las solicitudes de este tipo suelen resolverse en 10–30 minutos.",
    "de": "Sobald das Team wieder da ist, sind Anfragen dieser Art in der Regel in 10–30 Minuten gelöst.",
    "en": "Once the team is back, requests of this kind are usually resolved within 10–30 minutes.",
}
NO_RESUBMIT = {"fr": "soumettre à nouveau", "pl": "ponownie przesyłać", "es": "volver a enviar",
               "de": "nicht erneut einreichen", "en": "no need to resubmit"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refund_on_saturday_says_billing_is_back_monday(expect: Expectations, desk: Desk, lang: str) -> None:
    lines = expect(desk.route("billing.refund"), "chat", lang, SATURDAY)
    text = " ".join(lines)
    assert REFUND_WHY[lang] in lines[0]  # why the billing team: refunds, payment gateway
    assert BACK_MONDAY[lang] in text
    assert FIRST_RESPONSE[lang] in text  # the 24/7 promise holds meanwhile
    assert SIMPLE_ONCE_BACK[lang] in lines
    assert NO_RESUBMIT[lang] in lines[-1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refund_on_tuesday_morning_has_no_waiting(expect: Expectations, desk: Desk, lang: str) -> None:
    lines = expect(desk.route("billing.refund"), "chat", lang, TUESDAY_10)
    text = " ".join(lines)
    assert BACK_MONDAY[lang] not in text and SIMPLE_ONCE_BACK[lang] not in lines
    assert "10" in text and "30" in text
    assert len(lines) == 5  # why, first response, resolution, estimates, same conversation


@pytest.mark.parametrize(("intent", "lang", "why"), [
    ("tech.config", "fr", "outils et des accès appropriés"),
    ("tech.config", "pl", "odpowiednie narzędzia i dostęp"),
    ("tech.hardware", "es", "in situ, en el centro de datos"),
    ("tech.hardware", "de", "direkt vor Ort im Rechenzentrum"),
    ("billing.credit", "en", "need the approval of our management"),
    ("billing.credit", "de", "von unserem Management genehmigt"),
    ("tech.outage", "pl", "inżynierowie wsparcia, dostępni 24/7"),
])
def test_why_this_team(expect: Expectations, desk: Desk, intent: str, lang: str, why: str) -> None:
    assert why in expect(desk.route(intent), "email", lang, TUESDAY_10)[0]


@pytest.mark.parametrize(("intent", "expected"), [
    ("account.access", "usually resolved within 10–30 minutes"),
    ("tech.config", "usually take 1–2 hours"),
    ("tech.outage", "2 hours or more, sometimes until the next day"),
    ("billing.credit", "we will give you an approximate timeframe in advance"),
])
def test_resolution_time_follows_the_route(expect: Expectations, desk: Desk, intent: str, expected: str) -> None:
    lines = expect(desk.route(intent), "chat", "en", TUESDAY_10)
    assert any(expected in line for line in lines)
    # A non-standard request gets its estimate later: no generic "these are estimates" on top.
    assert any(line.startswith("These are estimates") for line in lines) == (intent != "billing.credit")


def test_outage_at_night_is_not_delayed_by_business_hours(expect: Expectations, desk: Desk) -> None:
    lines = expect(desk.route("tech.outage", total_outage=True), "chat", "en", datetime(2026, 11, 29, 3, 0, tzinfo=PARIS))
    assert not any("will be back" in line or "Once the team is back" in line for line in lines)


def test_sysadmins_late_evening_are_back_tomorrow(expect: Expectations, desk: Desk) -> None:
    lines = expect(desk.route("tech.config"), "chat", "es", datetime(2026, 11, 25, 22, 30, tzinfo=PARIS))
    assert any("volverán mañana a las 08:00 CET" in line for line in lines)
    assert "Cuando el equipo vuelva, las solicitudes de este tipo suelen resolverse en 1–2 horas." in lines


def test_datacenter_on_dst_weekend(expect: Expectations, desk: Desk) -> None:
    lines = expect(desk.route("tech.hardware"), "email", "pl", datetime(2026, 10, 24, 20, 0, tzinfo=PARIS))
    assert any("w poniedziałek 26 października o 08:00 CET" in line for line in lines)


def test_channel_decides_how_to_add_details(expect: Expectations, desk: Desk) -> None:
    chat = expect(desk.route("other"), "chat", "de", TUESDAY_10)[-1]
    email = expect(desk.route("other"), "email", "de", TUESDAY_10)[-1]
    assert "in diesem Gespräch" in chat and "auf diese E-Mail" in email


def test_no_team_still_promises_a_first_response(expect: Expectations) -> None:
    assert expect(NO_ROUTE, "chat", "fr", SATURDAY) == [
        "Un ingénieur d'assistance vous répondra dans les 10 minutes, à toute heure.",
        ("Vous restez dans cette conversation : inutile de soumettre à nouveau votre demande, et vous recevrez "
        "des mises à jour régulières."),
    ]


def test_hours_come_from_the_desk_given(desk: Desk) -> None:
    teams = dict(desk.teams)
    teams["billing"] = replace(teams["billing"], hours="24/7")
    always = replace(desk, teams=teams)
    lines = Expectations(always, BusinessHours(always))(desk.route("billing.refund"), "chat", "en", SATURDAY)
    assert not any("back" in line for line in lines)


def test_module_function_and_knowledge_method_agree(expect: Expectations, desk: Desk) -> None:
    route = desk.route("billing.charge")
    expected = expect(route, "email", "pl", SATURDAY)
    assert expectations(route, "email", "pl", SATURDAY) == expected
    assert Knowledge(desk, BusinessHours(desk)).expectations(route, "email", "pl", SATURDAY) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_line_is_a_full_sentence(expect: Expectations, desk: Desk, lang: str) -> None:
    for intent in desk.routing:
        for now in (SATURDAY, TUESDAY_10):
            for line in expect(desk.route(intent), "chat", lang, now):
                assert line[0].isupper() and line.endswith("."), (intent, lang, line)
                assert "{" not in line
