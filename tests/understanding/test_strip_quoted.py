"""Quoted replies and signatures are removed before understanding, in the five languages."""
import pytest

from chatbot.understanding import strip_quoted
from tests.understanding import labelled

REPLIES = {
    "fr": ("Bonjour,\n\nLe serveur est de nouveau injoignable.\n\nCordialement,\nYannick Fournier\n\n"
           "Le 20/05/2026 à 16:02, Support <support@introserv.com> a écrit :\n> Bonjour,\n> votre serveur 51.68.10.4 est relancé.",
           "Bonjour,\n\nLe serveur est de nouveau injoignable."),
    "pl": ("Dzień dobry,\nserwer nie działa.\n\nPozdrawiam\nŁukasz\n\n"
           "W dniu 12.03.2026 o 10:15, Support <support@introserv.com> napisał(a):\n> Dzień dobry, 51.38.1.1 ...",
           "Dzień dobry,\nserwer nie działa."),
    "es": ("Hola:\nel servidor no funciona.\n\nUn saludo,\nAntonio\n\n"
           "El lun, 9 mar 2026 a las 12:00, Soporte (<soporte@introserv.com>)\nescribió:\n> Su servidor 51.77.1.2 ...",
           "Hola:\nel servidor no funciona."),
    "de": ("Hallo,\n\nder Server ist wieder down.\n\nMit freundlichen Grüßen\nMichael Fischer\n\n"
           "Am 01.06.2026 um 09:12 schrieb INTROSERV Support <support@introserv.com>:\n> Ihr Server 51.89.2.2 ...",
           "Hallo,\n\nder Server ist wieder down."),
    "en": ("Hi,\n\nStill down.\n\nBest regards,\nAlex\n\n"
           "On Mon, 2 Mar 2026 at 14:00, INTROSERV Support <support@introserv.com> wrote:\n> Your server 51.91.3.3 ...",
           "Hi,\n\nStill down."),
}


@pytest.mark.parametrize("lang", sorted(REPLIES))
def test_reply_header_quote_and_signature_removed(lang: str) -> None:
    text, expected = REPLIES[lang]
    assert strip_quoted(text) == expected


@pytest.mark.parametrize(("sign_off", "lang"), [
    ("Cordialement,", "fr"), ("Bien à vous,", "fr"), ("Merci d'avance,", "fr"),
    ("Pozdrawiam", "pl"), ("Z poważaniem", "pl"),
    ("Saludos,", "es"), ("Un saludo,", "es"), ("Gracias,", "es"), ("Atentamente,", "es"),
    ("Mit freundlichen Grüßen", "de"), ("Viele Grüße", "de"), ("Danke und Gruß", "de"),
    ("Best regards,", "en"), ("Thanks,", "en"), ("Cheers,", "en"),
])
def test_sign_off_and_what_follows_removed(sign_off: str, lang: str) -> None:
    text = f"I would like a refund for order 123456.\n\n{sign_off}\nJohn Smith\n+44 161 496 0754"
    assert strip_quoted(text) == "I would like a refund for order 123456."


def test_a_thanks_that_is_the_whole_message_stays() -> None:
    assert strip_quoted("Merci beaucoup,\nJean") == "Merci beaucoup,\nJean"
    assert strip_quoted("genial, ya funciona. mil gracias!") == "genial, ya funciona. mil gracias!"


def test_sentences_starting_like_a_sign_off_stay() -> None:
    text = "Bonjour,\nMerci de regarder en priorité, le serveur est down.\nCordialement,\nA."
    assert strip_quoted(text) == "Bonjour,\nMerci de regarder en priorité, le serveur est down."


def test_outlook_block_and_quoted_lines() -> None:
    text = ("Bonjour\nc'est en panne\n> ancienne ligne 1.2.3.4\n\nDe : Support <support@introserv.com>\n"
            "Envoyé : mardi 3 mars 2026 10:00\nÀ : moi\nObjet : RE: panne\nblabla 5.6.7.8")
    assert strip_quoted(text) == "Bonjour\nc'est en panne"


def test_bulleted_lists_and_mobile_footers() -> None:
    text = "Hi, problem:\n- the server is down\n- ping fails\n\nSent from my iPhone"
    assert strip_quoted(text) == "Hi, problem:\n- the server is down\n- ping fails"
    assert strip_quoted("Servidor caído\n\nEnviado desde mi iPhone") == "Servidor caído"
    assert strip_quoted("Server down\n-- \nJohn") == "Server down"


def test_original_message_separators() -> None:
    for sep in ("-----Original Message-----", "-----Ursprüngliche Nachricht-----", "----- Mensaje original -----",
                "-------- Message d'origine --------", "-----Oryginalna wiadomość-----"):
        assert strip_quoted(f"Still broken.\n\n{sep}\nFrom: x\nold text") == "Still broken."


@pytest.mark.parametrize("text", [
    # a header wrapped onto two lines
    "Still down, see below.\n\nOn Mon, 2 Mar 2026 at 14:00, INTROSERV Support <support@introserv.com>\n"
    "wrote:\n> Your server",
    # a header quoted itself
    "Still down, see below.\n> Le 20/05/2026 à 16:02, Support a écrit :\n> Bonjour",
    # an Outlook block
    "Still down, see below.\nFrom: Support <support@introserv.com>\nSent: Monday\nSubject: Re: outage\n\n"
    "old text",
])
def test_other_reply_headers(text: str) -> None:
    assert strip_quoted(text) == "Still down, see below."


def test_the_fold_that_comes_with_the_text_is_its_fold() -> None:
    from chatbot.understanding.normalize import fold
    from chatbot.understanding.quoting import strip_quoted_and_fold
    texts = [text for text, _ in REPLIES.values()] + ["a\r\nΣΑΣ\r\n\u00a0Β\n> quoted\nb\u2028c  \n\n-- \nsig"]
    texts += labelled.texts()
    for text in texts:
        cleaned, folded = strip_quoted_and_fold(text)
        assert cleaned == strip_quoted(text)
        assert folded == fold(cleaned)


def test_the_fold_that_comes_with_any_text_is_its_fold() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from chatbot.understanding.normalize import fold
    from chatbot.understanding.quoting import strip_quoted_and_fold
    lines = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
    special = st.sampled_from(["", "> x", "-- ", "Cordialement,", "On Mon, Jean wrote:", "ΑΣ", "\u00a0", "a¨b"])

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(st.one_of(lines, special), max_size=6), st.sampled_from(["\n", "\r\n", "\r"]))
    def check(parts: list[str], newline: str) -> None:
        text = newline.join(parts)
        cleaned, folded = strip_quoted_and_fold(text)
        assert cleaned == strip_quoted(text)
        assert folded == fold(cleaned)
    check()
