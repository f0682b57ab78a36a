"""The n-gram step of language detection (one naive-Bayes pass over langdetect's profiles, with
per-word caches): same answers whatever came before, and long messages in a neighbour language
are still answered in English."""
import pytest

from chatbot.understanding import detect_language, language

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
