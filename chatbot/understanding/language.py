"""Which of the five languages a customer writes in.

Three kinds of evidence are added up per language, as log-scale scores:
- langdetect's character n-gram probabilities, over a restricted profile set (the five languages
  plus their close neighbours, the latter only to notice an unsupported language), deterministic
  (fixed seed) and loaded once per process; weighted by text length because n-grams say little
  about "ok" or "hola";
- words and letters only some of the five use (language_words.py), which carry short lines;
- the hints a deployment has: the conversation's established language (so one ambiguous word does
  not flip it), the widget locale, Content-Language, Accept-Language.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from .language_words import LETTERS_BY_LANG, WORDS_BY_LANG
from .normalize import fold, words

SUPPORTED = ("fr", "pl", "es", "de", "en")
FALLBACK = "en"
# Latin-script neighbours: loaded only so that an Italian or Dutch message is not forced into one of
# the five. Non-Latin scripts are recognised from their letters alone.
_NEIGHBOURS = ("it", "pt", "nl", "ca", "ro", "cs", "sk", "sv", "da", "no", "tr", "hu", "fi", "hr", "sl")
_LD_CHARS = 600  # langdetect cost grows with length; 600 characters decide any language

_HINT_WEIGHTS = {"conversation_lang": 2.0, "widget_locale": 1.2, "content_language": 1.2, "accept_language": 0.8}
_WORD_WEIGHT = 2.2        # one word only this language uses
_LETTER_WEIGHT = 1.2      # one letter only this language uses (at most 3 counted)
_LD_WEIGHT = 1.0          # per unit of log-probability, at full length
_LD_FULL_LENGTH = 40      # letters from which langdetect gets its full weight


@dataclass(frozen=True)
class LanguageHints:
    widget_locale: str | None = None        # chat widget's locale hint
    accept_language: str | None = None      # HTTP Accept-Language header value
    conversation_lang: str | None = None    # language already established in this conversation
    content_language: str | None = None     # email Content-Language header


_factory_lock = threading.Lock()
_factory: DetectorFactory | None = None


def _detector_factory() -> DetectorFactory:
    """langdetect profiles, loaded once per process (loading takes ~0.1 s); immutable afterwards."""
    global _factory
    with _factory_lock:
        if _factory is None:
            profiles = Path(langdetect.__file__).with_name("profiles")
            factory = DetectorFactory()
            factory.load_json_profile(
                [(profiles / lang).read_text(encoding="utf-8") for lang in SUPPORTED + _NEIGHBOURS])
            factory.set_seed(0)
            _factory = factory
        return _factory


@lru_cache(maxsize=1)
def _word_weights() -> dict[str, dict[str, float]]:
    owners: dict[str, set[str]] = {}
    for lang, blob in WORDS_BY_LANG.items():
        for word in blob.split():
            for form in {word, fold(word)}:
                owners.setdefault(form, set()).add(lang)
    return {w: {lang: 1.0 / len(langs) for lang in langs} for w, langs in owners.items()}


def _langdetect_probs(text: str) -> dict[str, float]:
    detector = _detector_factory().create()
    detector.append(text[:_LD_CHARS])
    try:
        return {p.lang: p.prob for p in detector.get_probabilities()}
    except LangDetectException:  # no letters at all
        return {}


_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f"
                        r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _hint_lang(value: str | None) -> str | None:
    """'pl-PL', 'de_DE', 'fr-CH,fr;q=0.9,en;q=0.8' -> the first of the five named, if any."""
    if not value:
        return None
    for part in value.split(","):
        code = part.split(";")[0].strip().lower().replace("_", "-").split("-")[0]
        if code in SUPPORTED:
            return code
    return None


def detect_language(text: str, hints: LanguageHints = LanguageHints()) -> tuple[str, bool]:
    """(language, supported): one of the five, or (FALLBACK, False) for another language."""
    text = text[:2000]
    latin = len(_LATIN.findall(text))
    other = len(_NON_LATIN.findall(text))
    if other > max(3, latin):
        return FALLBACK, False
    scores = {lang: 0.0 for lang in SUPPORTED}
    for name, weight in _HINT_WEIGHTS.items():
        lang = _hint_lang(getattr(hints, name))
        if lang:
            scores[lang] += weight
    scores[FALLBACK] += 0.1  # the tie-breaker of last resort

    evidence = 0.0
    table = _word_weights()
    toks = words(text)
    for tok in toks:
        for lang, w in table.get(tok, {}).items():
            scores[lang] += _WORD_WEIGHT * w
            evidence += w
    lowered = text.lower()
    for lang, letters in LETTERS_BY_LANG.items():
        n = sum(lowered.count(ch) for ch in letters)
        scores[lang] += _LETTER_WEIGHT * min(n, 3)
        evidence += min(n, 3)

    if latin >= 3 and not _words_decide(scores, evidence, len(toks)):
        probs = _langdetect_probs(text)
        weight = _LD_WEIGHT * min(1.0, latin / _LD_FULL_LENGTH)
        for lang in SUPPORTED:
            scores[lang] += weight * math.log(max(probs.get(lang, 0.0), 1e-3))
        if _looks_unsupported(probs, toks, evidence):
            return FALLBACK, False
    best = max(SUPPORTED, key=lambda lang: scores[lang])
    return best, True


def _words_decide(scores: dict[str, float], evidence: float, n_words: int) -> bool:
    """Most words are ours and one language leads clearly: langdetect (85 % of the cost of a
    message) could neither change the winner nor call the text foreign (see _looks_unsupported)."""
    first, second = sorted(scores.values(), reverse=True)[:2]
    return n_words >= 4 and evidence >= 0.6 * n_words and first - second >= 3 * _WORD_WEIGHT


def _looks_unsupported(probs: dict[str, float], toks: list[str], evidence: float) -> bool:
    """A neighbour language is certain, the text is long enough to trust that, and few words are ours."""
    if len(toks) < 4:
        return False
    neighbour = sum(p for lang, p in probs.items() if lang not in SUPPORTED)
    return neighbour > 0.9 and evidence < 0.6 * len(toks)


def warm_up() -> None:
    """Load the profiles (and train the intent n-gram model) now, at start-up, rather than on the
    first customer's message."""
    from . import ngram
    _detector_factory()
    _word_weights()
    ngram.model()


__all__ = ["LanguageHints", "SUPPORTED", "detect_language", "warm_up"]
