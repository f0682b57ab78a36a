"""The n-gram step of language detection (one naive-Bayes pass over langdetect's profiles, with
per-word caches): same answers whatever came before, and long messages in a neighbour language
are still answered in English."""
import pytest

from chatbot.understanding import detect_language, language
from tests.understanding import labelled

_TEXTS = [
    "hilfe, vps SSD-2 seit 10 minuten offline",
    "gibts ne email adresse für den support?",
    "ofreceis servidores con GPU para IA?",
    "le site est tres lent depuis ce matin, pouvez vous regarder",
    "strona dziala bardzo wolno od rana, co sie dzieje",
    "the website has been very slow since this morning",
    "mijn server reageert niet meer sinds vanochtend",
]


def test_the_answer_does_not_depend_on_earlier_messages() -> None:
    first = [detect_language(text) for text in _TEXTS]
    language._word_sums.cache_clear()
    language._word_cross.cache_clear()
    again = [detect_language(text) for text in reversed(_TEXTS)][::-1]
    assert again == first
    assert [detect_language(text) for text in _TEXTS] == first


@pytest.mark.parametrize("text", [
    "Gentile assistenza,\nvi scrivo perché da alcuni giorni il nostro server dedicato presenta dei "
    "rallentamenti molto evidenti durante le ore di punta. Abbiamo già verificato i log applicativi e "
    "non sembrano esserci errori particolari, ma il carico della CPU resta sempre molto alto. Potreste "
    "verificare se ci sono problemi sulla vostra rete o sull'hardware? Resto in attesa di un vostro "
    "riscontro.\nCordiali saluti\nMarco Rossi",
    "Geachte heer, mevrouw,\nSinds afgelopen maandag hebben wij regelmatig storingen op onze virtuele "
    "server. De website is dan enkele minuten niet bereikbaar en onze klanten klagen hierover. Wij "
    "hebben zelf geen wijzigingen doorgevoerd. Zouden jullie kunnen uitzoeken wat er aan de hand is en "
    "ons zo snel mogelijk laten weten wat de oorzaak is?\nMet vriendelijke groet,\nPieter Jansen",
    "Prezados,\nestamos com um problema sério no nosso servidor desde a manhã de hoje. O site não "
    "carrega e o painel de controlo também não responde. Já reiniciámos a máquina duas vezes sem "
    "sucesso. Por favor verifiquem com urgência, pois estamos a perder vendas.\nCumprimentos,\nAna Silva",
])
def test_a_long_email_in_a_neighbour_language_is_answered_in_english(text: str) -> None:
    assert detect_language(text) == ("en", False)


@pytest.mark.parametrize(("text", "lang"), [
    ("Bonjour,\nnotre serveur dédié ne répond plus depuis cette nuit vers 3h. Nous avons tenté un "
     "redémarrage depuis l'interface mais rien ne se passe. Pourriez-vous vérifier de votre côté s'il y "
     "a un incident sur l'infrastructure ? Merci d'avance,\nCordialement", "fr"),
    ("Hola,\ndesde anoche nuestro servidor dedicado no responde y la web de la tienda está caída. Hemos "
     "intentado reiniciarlo desde el panel sin éxito. ¿Podrían revisar si hay algún problema en su red? "
     "Es bastante urgente.\nUn saludo", "es"),
    ("ofreceis servidores con GPU para IA?", "es"),  # not taken for Portuguese
    ("gibts ne email adresse für den support?", "de"),  # French-looking n-grams, German words
])
def test_supported_languages_are_kept(text: str, lang: str) -> None:
    assert detect_language(text) == (lang, True)


def _data_texts() -> list[str]:
    return [text for record in labelled.records()
            for text in (record["text"], f"{record['text'][:40]}\n{record.get('subject') or ''}")]


def test_the_ngrams_are_skipped_only_where_they_could_not_change_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """detect_language leaves out the n-grams when the leader's lead exceeds what they could take from
    it: the answers are those of always asking them, on the labelled sets and on short word salads
    (near ties), under every kind of hint."""
    import random
    texts = _data_texts()
    rng = random.Random(7)
    vocabulary = " ".join(texts).split()
    texts += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    hints = [language.LanguageHints()] + [language.LanguageHints(conversation_lang=lang) for lang in language.SUPPORTED]
    hints.append(language.LanguageHints(widget_locale="de-DE", accept_language="fr,en;q=0.5", content_language="pl"))
    quick = [detect_language(text, h) for text in texts for h in hints]
    monkeypatch.setattr(language, "_ngrams_cannot_change", lambda *args: False)
    assert [detect_language(text, h) for text in texts for h in hints] == quick
