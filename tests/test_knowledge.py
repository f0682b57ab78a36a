"""The knowledge base answers every faq.* intent in the customer's language, with the seeds' facts."""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from chatbot.business_hours import BusinessHours
from chatbot.desk import Desk, load_desk
from chatbot.i18n import LANGUAGES, po_path
from chatbot.knowledge import FAQ_INTENTS, Knowledge
from chatbot.knowledge.resolution import kind_in
from chatbot.knowledge.teams import teams_in

PARIS = ZoneInfo("Europe/Paris")
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=PARIS)
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)

# Words only the language itself would use: at least two must appear in an answer in that language.
MARKERS = {
    "fr": {"vous", "votre", "nous", "nos", "les", "des", "est", "dans", "pour", "une"},
    "pl": {"się", "jest", "są", "lub", "ciągu", "nasi", "twojego", "zgłoszenie", "zgłoszenia", "dla", "oraz", "i", "w"},
    "es": {"su", "los", "las", "el", "en", "para", "está", "una", "del", "le"},
    "de": {"sie", "ihre", "ihr", "ihnen", "wir", "und", "oder", "die", "der", "den", "ist", "innerhalb", "bitte"},
    "en": {"the", "your", "you", "and", "our", "within", "is"},
}
# English function words that never belong in a French, Polish, Spanish or German answer.
ENGLISH = {"the", "your", "you", "and", "our", "within", "with", "is", "are", "right", "now", "of", "hours",
           "add", "settings", "back", "available", "usually", "request", "requests"}

# Facts each answer must carry, per language (the seeds' own terms where they exist).
FACTS: dict[str, dict[str, list[str]]] = {
    "faq.response_time": {
        "fr": ["accusé de réception", "2 minutes", "1 minute", "10 minutes"],
        "pl": ["potwierdzenie", "2 minut", "1 minuty", "10 minut", "24/7"],
        "es": ["acuse de recibo", "2 minutos", "1 minuto", "10 minutos", "24/7"],
        "de": ["Bestätigung", "2 Minuten", "1 Minute", "10 Minuten", "24/7"],
        "en": ["acknowledgement", "2 minutes", "1 minute", "10 minutes", "24/7"],
    },
    "faq.contact": {
        "fr": ["Espace client", "support@introserv.com", "15 à 30 minutes", "24 h/24", "en bas à droite", "enregistrée"],
        "pl": ["Panel klienta", "support@introserv.com", "15–30 minut", "24/7", "prawym dolnym rogu", "zarejestrowanego"],
        "es": ["Área de cliente", "support@introserv.com", "15–30 minutos", "24/7", "esquina inferior derecha", "registrada"],
        "de": ["Kundenbereich", "support@introserv.com", "15–30 Minuten", "24/7", "unten rechts", "registrierten"],
        "en": ["Client area", "support@introserv.com", "15–30 minutes", "24/7", "bottom right", "registered"],
    },
    "faq.escalation": {
        "fr": ["spécialiste", "même conversation", "soumettre à nouveau", "normal"],
        "pl": ["specjalisty", "tej samej konwersacji", "ponownie przesyłać", "normalne"],
        "es": ["especialista", "misma conversación", "volver a enviar", "normal"],
        "de": ["Spezialisten", "selben Gespräch", "erneut einreichen", "normal"],
        "en": ["specialist", "same conversation", "resubmit", "normal"],
    },
    "faq.notifications": {
        "fr": ["Espace client", "Paramètres du compte", "« Envoyer des courriels »", "Factures/commandes", "Abus"],
        "pl": ["Panelu klienta", "Ustawienia konta", "„Wysyłanie e-maili”", "Faktury/zamówienia", "Nadużycia"],
        "es": ["Área de cliente", "Configuración de la cuenta", "«Enviar correos electrónicos»", "Facturas/pedidos", "Abuso"],
        "de": ["Kundenbereich", "Kontoeinstellungen", "„E-Mails senden“", "Rechnungen/Bestellungen", "Missbrauch"],
        "en": ["Client area", "Account settings", "“Send emails”", "Invoices/orders", "Abuse"],
    },
    "faq.ticket": {
        "fr": ["Espace client", "Tickets → Ajouter un ticket", "« Questions techniques »", "« Questions financières »",
               "« Régulière »", "« Élevée »", "indisponibilité totale"],
        "pl": ["Panelu klienta", "Zgłoszenia → Dodaj zgłoszenie", "„Pytania techniczne”", "„Pytania finansowe”",
               "„Zwykły”", "„Wysoki”", "całkowita niedostępność"],
        "es": ["Área de cliente", "Tickets → Añadir ticket", "«Preguntas técnicas»", "«Preguntas financieras»",
               "«Normal»", "«Alta»", "indisponibilidad total"],
        "de": ["Kundenbereich", "Tickets → Ticket hinzufügen", "„Technische Fragen“", "„Finanzielle Fragen“",
               "„Normal“", "„Hoch“", "vollständigen Ausfall"],
        "en": ["Client area", "Tickets → Add ticket", "“Technical questions”", "“Financial questions”",
               "“Regular”", "“High”", "total service outage"],
    },
    "faq.incident_info": {
        "fr": ["adresse IP", "numéro de commande", "#123456", "nom du service", "CET/CEST", "fuseau horaire", "diagnostic"],
        "pl": ["adres IP", "numer zamówienia", "#123456", "nazwę usługi", "CET/CEST", "strefę czasową", "diagnostyczne"],
        "es": ["dirección IP", "número de pedido", "#123456", "nombre del servicio", "CET/CEST", "zona horaria", "diagnóstico"],
        "de": ["IP-Adresse", "Bestellnummer", "#123456", "Namen des Dienstes", "MEZ/MESZ", "Zeitzone", "Diagnosedaten"],
        "en": ["IP address", "order number", "#123456", "service name", "CET/CEST", "time zone", "diagnostic"],
    },
    "faq.resolution_time": {
        "fr": ["10 à 30 minutes", "1 à 2 heures", "2 heures ou plus", "jour suivant", "à l'avance", "estimations"],
        "pl": ["10–30 minut", "1–2 godziny", "2 godziny lub więcej", "następnego dnia", "z góry", "szacunkowe"],
        "es": ["10 a 30 minutos", "1–2 horas", "2 horas o más", "día siguiente", "por adelantado", "estimaciones"],
        "de": ["10–30 Minuten", "1–2 Stunden", "2 Stunden oder mehr", "nächsten Tag", "vorab", "Schätzungen"],
        "en": ["10–30 minutes", "1–2 hours", "2 hours or more", "next day", "in advance", "estimates"],
    },
    "faq.hours": {  # asked on a Saturday with no team named: every team, the closed ones with their return
        "fr": ["24 h/24", "équipe de facturation", "lundi 30 novembre à 09:00 CET", "du lundi au vendredi",
               "administrateurs système", "centre de données"],
        "pl": ["24/7", "Zespół ds. rozliczeń", "w poniedziałek 30 listopada o 09:00 CET", "od poniedziałku do piątku",
               "administratorzy systemów", "centrum danych"],
        "es": ["24/7", "equipo de facturación", "el lunes 30 de noviembre a las 09:00 CET", "de lunes a viernes",
               "administradores de sistemas", "centro de datos"],
        "de": ["24/7", "Abrechnungs-Team", "am Montag, 30. November, um 09:00 CET", "Montag bis Freitag",
               "Systemadministratoren", "Rechenzentrum"],
        "en": ["24/7", "billing team", "on Monday, November 30 at 09:00 CET", "Monday to Friday",
               "system administrators", "datacenter"],
    },
}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


@pytest.fixture(scope="module")
def desk() -> Desk:
    return load_desk()


@pytest.fixture(scope="module")
def knowledge(desk: Desk) -> Knowledge:
    return Knowledge(desk, BusinessHours(desk))


def test_every_faq_intent_of_the_labels_is_answered(knowledge: Knowledge) -> None:
    labels = Path(__file__).resolve().parents[2] / "shared" / "intake-labels.md"
    documented = set(re.findall(r"\| (faq\.\w+) \|", labels.read_text())) if labels.exists() else set(FAQ_INTENTS)
    assert documented == set(FAQ_INTENTS) == set(FACTS)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("intent", FAQ_INTENTS)
def test_answer_is_in_the_language_with_the_facts(knowledge: Knowledge, intent: str, lang: str) -> None:
    answer = knowledge.answer(intent, lang, SATURDAY, "")
    for fact in FACTS[intent][lang]:
        assert fact in answer, f"{intent}/{lang}: missing {fact!r} in:\n{answer}"
    assert len(words(answer) & MARKERS[lang]) >= 2, answer
    if lang != "en":
        leaked = words(answer) & ENGLISH
        assert not leaked, f"{intent}/{lang}: English words {leaked} in:\n{answer}"


@pytest.mark.parametrize("intent", FAQ_INTENTS)
def test_answers_differ_between_languages(knowledge: Knowledge, intent: str) -> None:
    answers = {knowledge.answer(intent, lang, SATURDAY) for lang in LANGUAGES}
    assert len(answers) == len(LANGUAGES)


def test_no_invented_facts(knowledge: Knowledge) -> None:
    everything = "\n".join(knowledge.answer(i, lang, SATURDAY, t) for i in FAQ_INTENTS for lang in LANGUAGES
                           for t in ("", "email firewall"))
    assert not re.search(r"\+\d|\d{3}[ -]\d{3}|[€$£]|\d+(?:[.,]\d+)?\s?%", everything)  # phones, prices, uptime
    assert set(re.findall(r"[\w.+-]+@[\w.-]+", everything)) == {"support@introserv.com"}


def test_promises_in_the_answers_match_the_desk(desk: Desk, knowledge: Knowledge) -> None:
    # The catalogue states the seeds' figures; the SLA clocks use desk.toml: they must agree.
    assert (desk.promises.ack_email_seconds, desk.promises.ack_chat_seconds,
            desk.promises.first_response_seconds) == (120, 60, 600)


def test_response_time_mentions_email_delay_only_when_asked(knowledge: Knowledge) -> None:
    assert "15–30" not in knowledge.answer("faq.response_time", "en", SATURDAY, "how fast do you answer?")
    assert "15–30" in knowledge.answer("faq.response_time", "pl", SATURDAY, "jak szybko odpowiadacie na maile?")
    assert "15 à 30" in knowledge.answer("faq.response_time", "fr", SATURDAY, "délai de réponse par courriel ?")


def test_lists_are_bulleted(knowledge: Knowledge) -> None:
    lines = knowledge.answer("faq.contact", "de", SATURDAY).splitlines()
    assert sum(line.startswith("• ") for line in lines) == 3


# --- faq.hours: computed at a controlled "now" ----------------------------------------------------

BILLING_QUESTION = {
    "fr": "Est-ce que le service facturation est disponible ?",
    "pl": "Czy dział rozliczeń teraz pracuje?",
    "es": "¿Está disponible el equipo de facturación?",
    "de": "Ist die Buchhaltung gerade erreichbar?",
    "en": "Is the billing team there now?",
}
BILLING_BACK_MONDAY = {
    "fr": "lundi 30 novembre à 09:00 CET",
    "pl": "w poniedziałek 30 listopada o 09:00 CET",
    "es": "el lunes 30 de noviembre a las 09:00 CET",
    "de": "am Montag, 30. November, um 09:00 CET",
    "en": "on Monday, November 30 at 09:00 CET",
}
OPEN_NOW = {"fr": "disponible en ce moment", "pl": "jest teraz dostępny", "es": "disponible ahora mismo",
            "de": "gerade erreichbar", "en": "available right now"}
MEANTIME = {"fr": "En attendant", "pl": "W międzyczasie", "es": "Mientras tanto", "de": "In der Zwischenzeit",
            "en": "In the meantime"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_billing_closed_on_saturday_is_back_on_monday(knowledge: Knowledge, lang: str) -> None:
    answer = knowledge.answer("faq.hours", lang, SATURDAY, BILLING_QUESTION[lang])
    assert BILLING_BACK_MONDAY[lang] in answer
    assert MEANTIME[lang] in answer  # where to go meanwhile: the 24/7 support engineers
    assert OPEN_NOW[lang] not in answer
    assert len(answer.splitlines()) == 2  # only the team asked about


@pytest.mark.parametrize("lang", LANGUAGES)
def test_billing_open_on_tuesday_morning(knowledge: Knowledge, lang: str) -> None:
    answer = knowledge.answer("faq.hours", lang, TUESDAY_10, BILLING_QUESTION[lang])
    assert OPEN_NOW[lang] in answer and "09:00–18:00 CET" in answer
    assert MEANTIME[lang] not in answer


@pytest.mark.parametrize(("lang", "question", "expected"), [
    ("fr", "Les administrateurs système travaillent la nuit ?", "demain à 08:00 CET"),
    ("pl", "Kiedy pracują administratorzy?", "jutro o 08:00 CET"),
    ("es", "¿Cuándo están los administradores de sistemas?", "mañana a las 08:00 CET"),
    ("de", "Wann sind die Systemadministratoren da?", "morgen um 08:00 CET"),
    ("en", "are the sysadmins around?", "tomorrow at 08:00 CET"),
])
def test_sysadmins_late_evening_back_tomorrow(knowledge: Knowledge, lang: str, question: str, expected: str) -> None:
    answer = knowledge.answer("faq.hours", lang, datetime(2026, 11, 25, 23, 0, tzinfo=PARIS), question)
    assert expected in answer and "08:00–22:00 CET" in answer


def test_datacenter_asked_in_german_early_morning_is_back_today(knowledge: Knowledge) -> None:
    answer = knowledge.answer("faq.hours", "de", datetime(2026, 11, 24, 6, 30, tzinfo=PARIS),
                              "Wann sind die Techniker im Rechenzentrum vor Ort?")
    assert "heute um 08:00 CET" in answer and "Ortszeit des Rechenzentrums" in answer
    assert "Abrechnungs" not in answer


def test_summer_time_and_dst_weekend_use_cest(knowledge: Knowledge) -> None:
    june = knowledge.answer("faq.hours", "fr", datetime(2026, 6, 13, 12, 0, tzinfo=PARIS), "facturation ?")
    assert "lundi 15 juin à 09:00 CEST" in june and "09:00–18:00 CEST" in june
    spring = knowledge.answer("faq.hours", "es", datetime(2026, 3, 28, 12, 0, tzinfo=PARIS), "¿facturación?")
    assert "el lunes 30 de marzo a las 09:00 CEST" in spring


def test_next_opening_shown_in_the_customers_zone_when_known(knowledge: Knowledge) -> None:
    answer = knowledge.answer("faq.hours", "en", SATURDAY, "billing?", tz=ZoneInfo("America/New_York"))
    assert "on Monday, November 30 at 03:00 EST" in answer


def test_support_is_always_open(knowledge: Knowledge) -> None:
    answer = knowledge.answer("faq.hours", "pl", datetime(2026, 11, 29, 3, 0, tzinfo=PARIS), "czy czat działa w nocy?")
    assert answer == "Nasi inżynierowie wsparcia są dostępni 24/7, także teraz."


def test_holiday_pushes_the_next_opening(desk: Desk) -> None:
    holiday_desk = replace(desk, holidays=frozenset({date(2026, 11, 30)}))
    knowledge = Knowledge(holiday_desk, BusinessHours(holiday_desk))
    answer = knowledge.answer("faq.hours", "de", SATURDAY, "Abrechnung?")
    assert "am Dienstag, 1. Dezember, um 09:00 CET" in answer


@pytest.mark.parametrize(("text", "teams"), [
    ("Is the billing team available?", ("billing",)),
    ("votre service comptabilité est ouvert ?", ("billing",)),
    ("Czy dział rozliczeń lub księgowość pracuje?", ("billing",)),
    ("¿A qué hora abre el departamento de facturación?", ("billing",)),
    ("Wann ist das Abrechnungsteam erreichbar?", ("billing",)),
    ("Quand les techniciens du datacenter sont-ils sur place ?", ("datacenter",)),
    ("kiedy są technicy w serwerowni?", ("datacenter",)),
    ("¿Los técnicos del centro de datos trabajan el sábado?", ("datacenter",)),
    ("Sind Rechenzentrumstechniker am Wochenende da?", ("datacenter",)),
    ("Systemadministratoren erreichbar?", ("sysadmins",)),
    ("pomoc techniczna działa w nocy?", ("support",)),
    ("¿El soporte técnico funciona 24 horas?", ("support",)),
    ("Ist der technische Support nachts da?", ("support",)),
    ("support billing team hours", ("billing",)),
    ("billing and sysadmin hours?", ("billing", "sysadmins")),
    ("what are your opening hours?", ()),
])
def test_team_named_in_any_language(text: str, teams: tuple[str, ...]) -> None:
    assert teams_in(text) == teams


@pytest.mark.parametrize(("text", "kind"), [
    ("How long does a billing question take?", "simple"),
    ("combien de temps pour récupérer l'accès à mon compte ?", "simple"),
    ("ile trwa wymiana dysku?", "standard"),
    ("Wie lange dauert ein Festplattentausch vor Ort?", "standard"),
    ("¿Cuánto tarda un diagnóstico de un servidor lento?", "complex"),
    ("ile trwa niestandardowa konfiguracja serwera?", "nonstandard"),
    ("How long to set up custom firewall rules?", "firewall"),
    ("Combien de temps pour résoudre un problème ?", None),
])
def test_resolution_row_picked_from_the_question(text: str, kind: str | None) -> None:
    assert kind_in(text) == kind


def test_resolution_answer_for_one_kind_is_short(knowledge: Knowledge) -> None:
    answer = knowledge.answer("faq.resolution_time", "de", SATURDAY, "Wie lange dauert ein Festplattentausch?")
    assert answer.splitlines() == ["Technische Standardprobleme sind in der Regel in 1–2 Stunden gelöst.",
                                   "Das sind Schätzungen; wir sagen Ihnen immer Bescheid, wenn etwas länger dauert als erwartet."]
    firewall = knowledge.answer("faq.resolution_time", "es", SATURDAY, "reglas de cortafuegos personalizadas")
    assert "10–20 minutos" in firewall and "administradores de sistemas" in firewall


def test_unknown_intent_and_language(knowledge: Knowledge) -> None:
    with pytest.raises(KeyError, match="faq.prices"):
        knowledge.answer("faq.prices", "en", SATURDAY)
    assert knowledge.answer("faq.contact", "it", SATURDAY) == knowledge.answer("faq.contact", "en", SATURDAY)
    with pytest.raises(ValueError):
        knowledge.answer("faq.hours", "en", datetime(2026, 11, 28, 11, 0))


# --- every message id the knowledge code uses is translated in all five knowledge.po ---------------

SOURCES = ["chatbot/knowledge/phrasing.py", "chatbot/knowledge/facts.py", "chatbot/knowledge/resolution.py",
           "chatbot/expectations.py"]


def used_msgids() -> set[str]:
    root = Path(__file__).resolve().parents[1]
    ids: set[str] = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse((root / source).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                ids.add(node.args[0].value)
    return ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_knowledge_msgid_is_translated(lang: str) -> None:
    with po_path(lang, "knowledge").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    used = used_msgids()
    assert len(used) > 70
    for msgid in used:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{lang}: {msgid!r} untranslated"
        assert not message.fuzzy
        placeholders = sorted(re.findall(r"\{(\w+)\}", msgid))
        assert sorted(re.findall(r"\{(\w+)\}", message.string)) == placeholders, f"{lang}: {msgid!r}"
