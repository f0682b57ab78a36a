"""chatbot/understanding/normalize.py: `fold` folds character by character (a cached table for
`str.translate`); that must give exactly what folding the whole text at once gives, whatever the
text — the lexicons and the n-gram model were written and trained on the whole-text fold."""
from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot.understanding.normalize import _SPECIAL, fold

_WS = re.compile(r"\s+")


def whole_text_fold(text: str) -> str:
    """The definition: special letters replaced, NFKD, combining marks dropped, lower-cased, runs of
    whitespace made one space, stripped."""
    text = text.translate(_SPECIAL)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _WS.sub(" ", stripped.lower()).strip()


def test_customers_words_fold_to_what_the_lexicons_are_written_in() -> None:
    assert fold("  Réseau   COUPÉ depuis ce matin ") == "reseau coupe depuis ce matin"
    assert fold("Dziękuję, serwer nie działa") == "dziekuje, serwer nie dziala"
    assert fold("Straße „kaputt“ – ﬁx") == "strasse „kaputt\" – fix"
    assert fold("no funciona el servidor n\u0303") == "no funciona el servidor n"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_folding_each_character_is_folding_the_whole_text(text: str) -> None:
    assert fold(text) == whole_text_fold(text)


def test_every_character_folds_as_it_would_in_a_whole_text() -> None:
    for code in range(0x80, 0x30000):
        if not 0xD800 <= code < 0xE000:
            char = chr(code)
            assert fold(f"a{char}\u0301b") == whole_text_fold(f"a{char}\u0301b"), hex(code)


def test_spacing_by_split_is_spacing_by_the_regex() -> None:
    """fold single-spaces with str.split and join: the same characters as the regex's \\s, everywhere."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(_WS.findall(every)) == "".join(ch for ch in every if ch.isspace())
    spaces = "".join(ch for ch in every if ch.isspace())
    for text in (spaces, f"a{spaces}b", f"{spaces}Ab{spaces}c\u00a0d{spaces}", "x\x1c\x1dy\x85z\u2028w"):
        assert fold(text) == whole_text_fold(text)


def test_every_whitespace_character_folds_to_whitespace() -> None:
    """What lets fold go word by word: the words of a text are the same before and after folding."""
    from chatbot.understanding.normalize import _FOLDS
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace():
            folded = char.translate(_FOLDS)
            assert folded and folded.isspace(), hex(code)
