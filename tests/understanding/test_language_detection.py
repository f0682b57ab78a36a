"""Language of short chat lines and emails, hints, and languages outside the five."""
import pytest

from chatbot.understanding import LanguageHints, detect_language


@pytest.mark.parametrize(("text", "lang"), [
    ("mój vps nie działa", "pl"), ("cześć wszystkim", "pl"), ("dzięki!", "pl"), ("hej", "pl"),
    ("hola", "es"), ("¡hola! ¿qué tal?", "es"), ("mil gracias", "es"), ("el servidor no responde", "es"),
    ("danke!", "de"), ("guten abend", "de"), ("servus", "de"), ("Server seit 14:15 komplett offline", "de"),
    ("merci", "fr"), ("bonsoir !", "fr"), ("mon serveur ne répond plus", "fr"), ("ça marche, merci", "fr"),
    ("thanks!", "en"), ("good afternoon!", "en"), ("my server is down", "en"), ("hello", "en"),
])
def test_short_lines_without_hints(text: str, lang: str) -> None:
    assert detect_language(text) == (lang, True)


@pytest.mark.parametrize("text", ["ok", "VPS?", "ping 300ms", "51.91.14.202", "?", "SSD-2"])
@pytest.mark.parametrize("conversation", ["fr", "pl", "es", "de", "en"])
def test_an_ambiguous_line_keeps_the_conversation_language(text: str, conversation: str) -> None:
    assert detect_language(text, LanguageHints(conversation_lang=conversation)) == (conversation, True)


def test_a_clear_line_in_another_language_does_change_it() -> None:
    assert detect_language("merci beaucoup, bonne soirée", LanguageHints(conversation_lang="de"))[0] == "fr"


@pytest.mark.parametrize(("hints", "lang"), [
    (LanguageHints(widget_locale="pl-PL"), "pl"),
    (LanguageHints(accept_language="es-ES,es;q=0.9,en;q=0.8"), "es"),
    (LanguageHints(content_language="de"), "de"),
    (LanguageHints(accept_language="it-IT,fr;q=0.8"), "fr"),
])
def test_hints_decide_a_line_without_language(hints: LanguageHints, lang: str) -> None:
    assert detect_language("ok", hints) == (lang, True)


@pytest.mark.parametrize("text", [
    "il mio server non risponde da stamattina, potete aiutarmi?",
    "o meu servidor não responde desde ontem à noite",
    "mijn server reageert niet meer sinds vanochtend",
    "Мой сервер не работает с утра",
    "我的服务器从今天早上开始无法访问",
])
def test_other_languages_are_answered_in_english(text: str) -> None:
    assert detect_language(text) == ("en", False)


def test_detection_is_deterministic() -> None:
    text = "hilfe, vps SSD-2 seit 10 minuten offline"
    assert {detect_language(text) for _ in range(20)} == {("de", True)}


@pytest.mark.parametrize(("text", "lang"), [
    ("pk ma demande a ete transferee ?", "fr"),   # no accents, chat shorthand: was taken for Portuguese
    ("la web va fatal", "es"),
])
def test_unaccented_chat_lines(text: str, lang: str) -> None:
    assert detect_language(text) == (lang, True)


def test_hints_in_a_conversation_keep_the_others() -> None:
    hints = LanguageHints(widget_locale="pl-PL", accept_language="de,en;q=0.5", content_language="es",
                          conversation_lang="fr")
    assert hints.in_conversation("de") == LanguageHints(widget_locale="pl-PL", accept_language="de,en;q=0.5",
                                                        content_language="es", conversation_lang="de")
    assert hints.in_conversation(None).conversation_lang is None
