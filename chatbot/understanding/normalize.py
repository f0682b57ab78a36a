"""Text normalisation shared by the understanding modules.

Customers type fast and often without accents ("reseau", "dzieki", "algun"), so lexicons are
written and matched on an accent-free, lower-case fold of the text. The fold keeps the length of
each word roughly intact so that regexes written for it stay simple.
"""
from __future__ import annotations

import re
import unicodedata

# Longest text analysed: a support message that matters fits well inside this; anything longer is a
# pasted log or a forwarded thread, and analysing all of it would only cost time on the hot path.
MAX_ANALYSED_CHARS = 4000

# Letters NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "đ": "d", "œ": "oe", "æ": "ae",
                          "’": "'", "‘": "'", "´": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"',
                          "\u00a0": " ", "\u202f": " "})


class _Folds(dict[int, str]):
    """Each character's fold (its _SPECIAL replacement, else its NFKD decomposition without the
    combining marks), computed the first time `str.translate` meets it. Folding character by
    character gives what folding the whole text would: NFKD decomposes each character on its own,
    and the only reordering it does is among the combining marks dropped here. Kept for the
    characters of the languages we see, not for every code point a hostile text could hold."""

    LIMIT = 5000

    def __missing__(self, code: int) -> str:
        char = chr(code)
        special = _SPECIAL.get(code)
        folded = special if isinstance(special, str) else "".join(
            ch for ch in unicodedata.normalize("NFKD", char) if not unicodedata.combining(ch))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_FOLDS = _Folds()


class _WordFolds(dict[str, str]):
    """Each word's fold, computed the first time a text brings it (words recur from message to
    message; translating costs a lookup per character). Kept for words of ordinary length only, and
    for the first LIMIT of them, as _Folds."""

    LIMIT = 20000
    LONGEST = 32

    def __missing__(self, word: str) -> str:
        folded = " ".join(word.translate(_FOLDS).lower().split())
        if len(word) <= self.LONGEST and len(self) < self.LIMIT:
            self[word] = folded
        return folded


_WORD_FOLDS = _WordFolds()


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for lexicon matching."""
    # Single-spaced by split and join, which is cheaper than a regex substitution (re.sub(r"\s+", " ")
    # and strip): both split on exactly the characters str.isspace accepts (test_normalize checks it).
    if text.isascii():  # nothing to decompose (most English and many unaccented messages)
        return " ".join(text.replace("`", "'").lower().split())
    # Word by word: that is the whole text's fold, as every whitespace character folds to whitespace
    # (the words are the same before and after) and lower-casing looks past no whitespace (only a
    # final sigma looks at its neighbours). A word may fold to several ("a¨b" to "a b") or to none (a
    # lone accent).
    return " ".join(filter(None, map(_WORD_FOLDS.__getitem__, text.split())))


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Alphabetic words of a text, lower-cased, accents kept (language evidence needs them)."""
    if text.isascii():  # lower-casing ASCII changes no character's class: one pass over the lowered text
        return _WORD.findall(text.lower())
    return [w.lower() for w in _WORD.findall(text)]
