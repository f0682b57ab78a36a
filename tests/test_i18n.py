"""Every sentence the bot says exists, translated, in all five catalogues, with the same placeholders."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from chatbot.i18n import DOMAINS, LANGUAGES, gettext, po_path

PACKAGE = Path(__file__).resolve().parent.parent / "chatbot"
MARKERS = {"N_", "_", "gettext", "say"}


def catalog(lang: str, domain: str):  # type: ignore[no-untyped-def]
    with po_path(lang, domain).open("rb") as fh:
        return read_po(fh, locale=lang)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def msgids(domain: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for lang in LANGUAGES:
        for m in catalog(lang, domain):
            if m.id:
                ids[m.id] = lang
    return ids


def used_in_code() -> set[str]:
    """String literals passed to N_/gettext/_ and to Turn.say anywhere in the package."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in MARKERS and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_id_is_translated_in_all_five_languages(domain: str) -> None:
    ids = msgids(domain)
    assert ids, f"the {domain} catalogues are empty"
    for lang in LANGUAGES:
        cat = catalog(lang, domain)
        for msgid in ids:
            message = cat.get(msgid)
            assert message is not None, f"{lang}/{domain}.po lacks {msgid!r}"
            assert message.string, f"{lang}/{domain}.po leaves {msgid!r} untranslated"
            assert not message.fuzzy, f"{lang}/{domain}.po marks {msgid!r} fuzzy"
            assert placeholders(message.string) == placeholders(msgid), (
                f"{lang}/{domain}.po: placeholders of {msgid!r} differ")


def test_every_sentence_marked_in_the_code_is_in_the_catalogues() -> None:
    known = set()
    for domain in DOMAINS:
        known |= set(msgids(domain))
    missing = sorted(m for m in used_in_code() if m not in known and len(m) > 1 and " " in m)
    assert not missing, f"sentences in the code but not in the catalogues: {missing}"


def test_translations_differ_from_english_where_they_should() -> None:
    english = gettext("Thank you, your message has reached INTROSERV support. You will get a first response within 10 minutes, at any hour.", "en")
    texts = {lang: gettext("Thank you, your message has reached INTROSERV support. You will get a first response within 10 minutes, at any hour.", lang) for lang in LANGUAGES}
    assert len(set(texts.values())) == 5 and texts["en"] == english
    assert re.search(r"réponse", texts["fr"]) and re.search(r"odpowied", texts["pl"])
