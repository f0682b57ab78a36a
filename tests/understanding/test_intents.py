"""Intents, routing and priority as intake-labels.md defines them, in the five languages."""
from datetime import datetime

import pytest

from chatbot.desk import load_desk
from chatbot.understanding import Analyzer, to_label

NOW = datetime.fromisoformat("2026-05-12T10:00:00+02:00")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_desk())


CASES = [
    ("fr", "bonjour !", "greeting"),
    ("fr", "merci beaucoup, c'est réglé", "thanks"),
    ("fr", "je veux parler à un conseiller, pas à un robot", "human"),
    ("fr", "sous combien de temps vous répondez à un ticket ?", "faq.response_time"),
    ("fr", "quels sont les horaires du service facturation ?", "faq.hours"),
    ("fr", "mon serveur ne répond plus depuis 9h", "tech.outage"),
    ("fr", "j'ai été prélevé deux fois ce mois-ci", "billing.charge"),
    ("fr", "je souhaite être remboursé de ma commande", "billing.refund"),
    ("fr", "pouvez-vous configurer un reverse DNS ?", "tech.config"),
    ("pl", "cześć", "greeting"),
    ("pl", "dzięki, już działa", "thanks"),
    ("pl", "jak długo zwykle trwa wymiana dysku?", "faq.resolution_time"),
    ("pl", "jakie informacje podać przy zgłaszaniu awarii?", "faq.incident_info"),
    ("pl", "serwer nie odpowiada od rana", "tech.outage"),
    ("pl", "bardzo wolno działa mój VPS, duże opóźnienia", "tech.performance"),
    ("pl", "nie mogę się zalogować do panelu klienta", "account.access"),
    ("es", "hola, buenas", "greeting"),
    ("es", "¿cuál es el correo de soporte?", "faq.contact"),
    ("es", "mi ticket pone escalado, ¿qué significa?", "faq.escalation"),
    ("es", "el servidor está caído desde las 8", "tech.outage"),
    ("es", "el disco del RAID está fallando, hay que cambiarlo", "tech.hardware"),
    ("es", "¿podéis aplicarnos un abono por la caída del martes?", "billing.credit"),
    ("de", "guten Morgen", "greeting"),
    ("de", "vielen Dank, alles klar", "thanks"),
    ("de", "welche Priorität wähle ich für eine Firewall-Anfrage?", "faq.ticket"),
    ("de", "wo kann ich die Adresse für Wartungsbenachrichtigungen ändern?", "faq.notifications"),
    ("de", "die Zahlung per Kreditkarte schlägt immer fehl", "billing.refund"),
    ("de", "bitte Port 25 freischalten", "tech.config"),
    ("en", "hi there", "greeting"),
    ("en", "can I talk to a real person?", "human"),
    ("en", "how long does it usually take to replace a disk?", "faq.resolution_time"),
    ("en", "my VPS is really slow, 30% packet loss", "tech.performance"),
    ("en", "I can't log in to the client area, 2FA code rejected", "account.access"),
    ("en", "do you offer a reseller program?", "other"),
]


@pytest.mark.parametrize(("lang", "text", "intent"), CASES)
def test_intent_per_language(analyzer: Analyzer, lang: str, text: str, intent: str) -> None:
    analysis = analyzer.analyze(text, channel="chat", now=NOW)
    assert (analysis.lang, analysis.intent) == (lang, intent)
    assert analysis.understood


def test_routing_comes_from_the_desk(analyzer: Analyzer) -> None:
    label = to_label(analyzer.analyze("je voudrais un remboursement", channel="chat", now=NOW))
    assert (label["department"], label["team"], label["priority"]) == ("billing", "billing", "regular")
    label = to_label(analyzer.analyze("bonsoir", channel="chat", now=NOW))
    assert (label["department"], label["team"], label["priority"]) == (None, None, None)


def test_total_unavailability_raises_the_priority_whatever_the_intent(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("padły dwa dyski z raida i serwer w ogóle nie startuje", channel="chat", now=NOW)
    assert (analysis.intent, analysis.route.team, analysis.route.priority) == ("tech.hardware", "datacenter", "high")
    assert analysis.total_outage


def test_a_failed_part_is_not_a_total_outage(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("eine der SSDs im RAID ist ausgefallen, bitte austauschen", channel="chat", now=NOW)
    assert (analysis.intent, analysis.route.priority) == ("tech.hardware", "regular")


def test_a_question_about_outages_is_not_an_outage(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("what info should I give you if my server goes offline?", channel="chat", now=NOW)
    assert analysis.intent == "faq.incident_info"
    assert not analysis.total_outage


def test_a_sign_off_does_not_decide_the_intent(analyzer: Analyzer) -> None:
    text = "Hola:\n\nQuiero el reembolso del pedido 7719023, no he usado el servidor.\n\nGracias,\nElena"
    analysis = analyzer.analyze(text, channel="email", now=NOW)
    assert analysis.intent == "billing.refund"
    assert analysis.slots.order == "7719023"
    assert "Gracias" not in analysis.text


def test_a_greeting_line_does_not_hide_the_request(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Bonjour,\n\nnotre serveur est hors ligne depuis 7h", channel="email", now=NOW)
    assert (analysis.intent, analysis.route.priority) == ("tech.outage", "high")


def test_thanks_in_a_reply_is_not_a_new_incident(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Thanks, everything is back to normal.", channel="email", now=NOW,
                                subject="Re: Total outage – all services unreachable")
    assert analysis.intent == "thanks"


@pytest.mark.parametrize("text", ["asdf", "?", "hmm", "..."])
def test_gibberish_is_not_understood(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyze(text, channel="chat", now=NOW).understood


def test_slots_from_subject_and_quoted_ips_ignored(analyzer: Analyzer) -> None:
    text = ("Hello,\n\nOur server stopped responding at 9:15.\n\nRegards,\nAnn\n\n"
            "On 3 Mar 2026, at 09:00, Support wrote:\n> server 51.91.3.3 restarted, order 6612207")
    analysis = analyzer.analyze(text, channel="email", now=NOW, subject="Outage - order #7783301")
    assert analysis.slots.order == "7783301"
    assert analysis.slots.ip is None
    assert analysis.slots.start_time == datetime.fromisoformat("2026-05-12T09:15:00+02:00")


def test_unsupported_language_is_flagged(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("il mio server non risponde da stamattina", channel="chat", now=NOW)
    assert (analysis.lang, analysis.lang_supported) == ("en", False)


def test_known_services_reach_the_slot(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("mon vps ssd4 ne répond plus", channel="chat", now=NOW, known_services=["VPS SSD-4"])
    assert analysis.slots.service == "VPS SSD-4"
