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
import operator
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import UNICODE_LATIN_EXTENDED_ADDITIONAL, unicode_block

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


_ALPHA = 0.5          # langdetect's smoothing (Detector.ALPHA_DEFAULT) ...
_BASE_FREQ = 10000    # ... per n-gram, added to its probability as alpha / BASE_FREQ
_MAX_NGRAMS = 1000    # 600 characters give ~1500; the first 1000 decide as well
_CONVERGED_LOG_ODDS = math.log(0.99999 / 0.00001)  # where a langdetect trial stops (CONV_THRESHOLD) ...
_MAX_DRAWS = 1000     # ... or after this many draws (ITERATION_LIMIT)


@dataclass(frozen=True)
class _Profiles:
    langs: tuple[str, ...]                    # SUPPORTED + _NEIGHBOURS, in the table's order
    log_probs: dict[str, tuple[float, ...]]   # n-gram -> per language log(alpha / BASE_FREQ + p)


_profiles_lock = threading.Lock()
_profiles_cache: _Profiles | None = None


def _profiles() -> _Profiles:
    """langdetect's profiles turned into a log-probability table, once per process (~0.15 s);
    immutable afterwards."""
    global _profiles_cache
    with _profiles_lock:
        if _profiles_cache is None:
            directory = Path(langdetect.__file__).with_name("profiles")
            factory = DetectorFactory()
            factory.load_json_profile(
                [(directory / lang).read_text(encoding="utf-8") for lang in SUPPORTED + _NEIGHBOURS])
            weight = _ALPHA / _BASE_FREQ
            floor = math.log(weight)  # one shared float for the many n-grams a language never has
            table = {gram: tuple(math.log(weight + p) if p > 0.0 else floor for p in probs)
                     for gram, probs in factory.word_lang_prob_map.items()}
            _profiles_cache = _Profiles(tuple(factory.get_lang_list()), table)
        return _profiles_cache


@lru_cache(maxsize=1)
def _word_weights() -> dict[str, dict[str, float]]:
    owners: dict[str, set[str]] = {}
    for lang, blob in WORDS_BY_LANG.items():
        for word in blob.split():
            for form in {word, fold(word)}:
                owners.setdefault(form, set()).add(lang)
    return {w: {lang: 1.0 / len(langs) for lang in langs} for w, langs in owners.items()}


_char_cache: dict[str, str] = {}


def _normal_char(ch: str) -> str:
    """langdetect's per-character normalisation (NGram.normalize), memoised: it is a pure function
    of the character, and the slowest part of langdetect's n-gram extraction."""
    norm = _char_cache.get(ch)
    if norm is None:
        norm = NGram.normalize(ch)
        if len(_char_cache) < 10000:  # bounded: a text may bring any of Unicode's characters
            _char_cache[ch] = norm
    return norm


def _is_langdetect_non_latin(ch: str) -> bool:
    return ch >= "\u0300" and unicode_block(ch) != UNICODE_LATIN_EXTENDED_ADDITIONAL


def _ngrams(text: str, table: dict[str, tuple[float, ...]]) -> list[str]:
    """The text's 1- to 3-grams that the profiles know, extracted as langdetect's Detector does
    (append, cleaning_text, _extract_ngrams), without its per-character overhead."""
    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    latin = sum(1 for ch in text if "A" <= ch <= "z")
    if latin * 2 < sum(1 for ch in text if _is_langdetect_non_latin(ch)):
        text = "".join(ch for ch in text if ch < "A" or "z" < ch)
    found: list[str] = []
    grams, capital = " ", False  # NGram's buffer and its capitalword flag
    for ch in text:
        ch = _normal_char(ch)
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        capital = ch.isupper() and last.isupper()
        if capital:  # an acronym or a shouted word says nothing about the language
            continue
        if ch != " " and ch in table:
            found.append(ch)
        if len(grams) >= 2:
            if grams[-2:] in table:
                found.append(grams[-2:])
            if len(grams) == 3 and grams in table:
                found.append(grams)
    return found


def _ngram_probs(text: str) -> dict[str, float]:
    """Naive Bayes over langdetect's profiles, in one deterministic pass, with langdetect's confidence.

    Every n-gram's smoothed log-probability is summed per language; the leader is the language
    langdetect's Detector would favour. Its random sampling (7 trials, each drawing n-grams until one
    language has 0.99999 of the mass, or 1000 draws) is much less sure than the exact sum, which
    counts the overlapping 1-, 2- and 3-grams as independent evidence. A trial is a random walk of
    the log-ratio of two languages, so the chance that another language beats the leader is
    sigmoid(2 * mean * log(1e5) / variance) of the per-n-gram log-ratios (gambler's ruin), or
    exp(1000 * mean) when the walk would not get there in 1000 draws: that is what is returned,
    normalised, instead of langdetect's sampled estimate of it.
    """
    profiles = _profiles()
    table = profiles.log_probs
    found = _ngrams(text[:_LD_CHARS], table)[:_MAX_NGRAMS]
    if not found:  # no letters at all
        return {}
    n = len(found)
    columns = list(zip(*(table[gram] for gram in found)))  # per language, its n-grams' log-probabilities
    sums = [sum(column) for column in columns]
    best = max(range(len(sums)), key=sums.__getitem__)
    lead = columns[best]
    lead_squares = sum(map(operator.mul, lead, lead))
    log_odds = []
    for lang_sum, column in zip(sums, columns):
        mean = (lang_sum - sums[best]) / n  # of the log-ratio to the leader, per n-gram (<= 0)
        if mean >= 0.0:  # the leader, or as likely
            log_odds.append(0.0)
            continue
        variance = (sum(map(operator.mul, column, column)) - 2.0 * sum(map(operator.mul, column, lead))
                    + lead_squares) / n - mean * mean
        ruin = 2.0 * _CONVERGED_LOG_ODDS * mean / variance if variance > 1e-12 else -math.inf
        log_odds.append(max(ruin, _MAX_DRAWS * mean))
    odds = [math.exp(x) for x in log_odds]
    total = sum(odds)
    return {lang: o / total for lang, o in zip(profiles.langs, odds)}


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
        probs = _ngram_probs(text)
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
    _profiles()
    _word_weights()
    ngram.model()


__all__ = ["LanguageHints", "SUPPORTED", "detect_language", "warm_up"]
