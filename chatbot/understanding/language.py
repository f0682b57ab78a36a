"""Which of the five languages a customer writes in.

Three kinds of evidence are added up per language, as log-scale scores:
- character n-gram probabilities from langdetect's profiles, over a restricted profile set (the
  five languages plus their close neighbours, the latter only to notice an unsupported language),
  loaded once per process. Not langdetect's random sampling: one deterministic naive-Bayes pass
  over the text's n-grams, with the confidence langdetect's sampling would have (_ngram_probs);
  weighted by text length because n-grams say little about "ok" or "hola";
- words and letters only some of the five use (language_words.py), which carry short lines;
- the hints a deployment has: the conversation's established language (so one ambiguous word does
  not flip it), the widget locale, Content-Language, Accept-Language.
"""
from __future__ import annotations

import math
import re
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from pathlib import Path

import langdetect
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.utils.ngram import NGram

from .language_words import LETTERS_BY_LANG, WORDS_BY_LANG
from .normalize import fold, words

SUPPORTED = ("fr", "pl", "es", "de", "en")
FALLBACK = "en"
# Latin-script neighbours: loaded only so that an Italian or Dutch message is not forced into one of
# the five. Non-Latin scripts are recognised from their letters alone.
_NEIGHBOURS = ("it", "pt", "nl", "ca", "ro", "cs", "sk", "sv", "da", "no", "tr", "hu", "fi", "hr", "sl")
_LD_CHARS = 600  # the n-gram cost grows with length; 600 characters decide any language

_HINT_WEIGHTS = {"conversation_lang": 2.0, "widget_locale": 1.2, "content_language": 1.2, "accept_language": 0.8}
_hint_values = attrgetter(*_HINT_WEIGHTS)  # LanguageHints -> its values, in the order of _HINT_WEIGHTS
_WORD_WEIGHT = 2.2        # one word only this language uses
_LETTER_WEIGHT = 1.2      # one letter only this language uses (at most 3 counted)
_LD_WEIGHT = 1.0          # per unit of log-probability, at full length
_LD_FULL_LENGTH = 40      # letters from which the n-grams get their full weight
_MIN_PROB = 1e-3          # the n-gram probability below which a language loses no more
# The most the n-grams take from a language's score, per unit of weight: -log(_MIN_PROB) = 6.9078,
# rounded up (which leaves far more room than the additions' rounding needs).
_NGRAM_SWING = 6.91


@dataclass(frozen=True)
class LanguageHints:
    widget_locale: str | None = None        # chat widget's locale hint
    accept_language: str | None = None      # HTTP Accept-Language header value
    conversation_lang: str | None = None    # language already established in this conversation
    content_language: str | None = None     # email Content-Language header

    def in_conversation(self, lang: str | None) -> LanguageHints:
        """These hints in a conversation whose language is ``lang`` (``dataclasses.replace`` costs
        several times more, twice a turn)."""
        return LanguageHints(widget_locale=self.widget_locale, accept_language=self.accept_language,
                             conversation_lang=lang, content_language=self.content_language)


_ALPHA = 0.5          # langdetect's smoothing (Detector.ALPHA_DEFAULT) ...
_BASE_FREQ = 10000    # ... per n-gram, added to its probability as alpha / BASE_FREQ
_CONVERGED_LOG_ODDS = math.log(0.99999 / 0.00001)  # where a langdetect trial stops (CONV_THRESHOLD) ...
_MAX_DRAWS = 1000     # ... or after this many draws (ITERATION_LIMIT)
# Per-language numbers are packed into one integer, a lane of 64 bits per language, so that
# adding two integers adds 20 numbers at once (pure Python has no vectors; this is 20 times cheaper
# than a loop over languages). -log-probabilities (0 to 9.9) are kept as fixed point, to 1/_SCALE
# (< 2**20): a lane holds at most a sum of products of two of them over the ~1800 n-grams of
# _LD_CHARS characters (< 2**51), so lanes never overflow into each other.
_SCALE = 1 << 16
_LANE_FORMAT = struct.Struct(f"<{len(SUPPORTED + _NEIGHBOURS)}Q")  # 64-bit lanes, the first language lowest


def _pack(lanes: list[int]) -> int:
    return int.from_bytes(_LANE_FORMAT.pack(*lanes), "little")


def _lanes(value: int) -> tuple[int, ...]:
    return _LANE_FORMAT.unpack(value.to_bytes(_LANE_FORMAT.size, "little"))


_LANE_MASK = (1 << 64) - 1
_ONES = _pack([1] * len(SUPPORTED + _NEIGHBOURS))  # x * _ONES: x in every lane


class _PackedCosts(dict[str, int]):
    """n-gram -> per language (packed) round(-log(alpha / BASE_FREQ + p) * _SCALE), or its square;
    filled as n-grams come (packing all 15,000 at start-up would take ~0.3 s)."""

    def __init__(self, probs: dict[str, list[float]], power: int) -> None:
        super().__init__()
        self._probs, self._power = probs, power

    def __missing__(self, gram: str) -> int:
        weight = _ALPHA / _BASE_FREQ
        costs = [max(0, round(-math.log(weight + p) * _SCALE)) ** self._power for p in self._probs[gram]]
        value = self[gram] = _pack(costs)
        return value


@dataclass(frozen=True)
class _Profiles:
    langs: tuple[str, ...]          # SUPPORTED + _NEIGHBOURS, in the lanes' order
    probs: dict[str, list[float]]   # langdetect's: n-gram -> probability per language
    packed: _PackedCosts            # n-gram -> costs
    squares: _PackedCosts           # n-gram -> squared costs


_profiles_lock = threading.Lock()
_profiles_cache: _Profiles | None = None


def _profiles() -> _Profiles:
    """langdetect's profiles, loaded once per process (~0.1 s); only the packed costs grow afterwards."""
    global _profiles_cache
    with _profiles_lock:
        if _profiles_cache is None:
            directory = Path(langdetect.__file__).with_name("profiles")
            factory = DetectorFactory()
            factory.load_json_profile(
                [(directory / lang).read_text(encoding="utf-8") for lang in SUPPORTED + _NEIGHBOURS])
            probs = factory.word_lang_prob_map
            _profiles_cache = _Profiles(tuple(factory.get_lang_list()), probs,
                                        _PackedCosts(probs, 1), _PackedCosts(probs, 2))
        return _profiles_cache


@lru_cache(maxsize=1)
def _word_weights() -> dict[str, tuple[tuple[str, float, float], ...]]:
    """word -> (language, weight, _WORD_WEIGHT * weight) for each language that uses it."""
    owners: dict[str, set[str]] = {}
    for lang, blob in WORDS_BY_LANG.items():
        for word in blob.split():
            for form in {word, fold(word)}:
                owners.setdefault(form, set()).add(lang)
    return {w: tuple((lang, 1.0 / len(langs), _WORD_WEIGHT * (1.0 / len(langs))) for lang in langs)
            for w, langs in owners.items()}


# Per language, its letters as one character class: one regex scan counts them all.
_LETTER_CLASSES = {lang: re.compile(f"[{re.escape(letters)}]") for lang, letters in LETTERS_BY_LANG.items()}


class _NormalChars(dict[int, str]):
    """langdetect's per-character normalisation (NGram.normalize) as a str.translate table, filled
    as characters come: it is a pure function of the character, and the slowest part of langdetect's
    n-gram extraction."""

    def __missing__(self, code: int) -> str:
        norm = NGram.normalize(chr(code))
        if len(self) < 10000:  # bounded: a text may bring any of Unicode's characters
            self[code] = norm
        return norm


_normal_chars = _NormalChars()
_LD_LATIN = re.compile(r"[A-z]")  # langdetect's test, 'A' <= ch <= 'z' (so [ \ ] ^ _ ` too)
# >= U+0300: langdetect means to spare Latin Extended Additional, but compares a block number to a name
_LD_NON_LATIN = re.compile(r"[^\x00-\u02ff]")


def _words(text: str) -> list[str]:
    """The text as langdetect's Detector sees it (append, cleaning_text, NGram.normalize), cut into
    words, each with the space before it and, when one follows, the space after it: langdetect's
    n-grams never cross a space."""
    text = Detector.URL_RE.sub(" ", text)
    if "@" in text:  # (the mail pattern's scan costs more, and an address has one)
        text = Detector.MAIL_RE.sub(" ", text)
    if not text.isascii():  # (nor has an ASCII text Vietnamese tone marks, nor non-Latin letters)
        text = NGram.normalize_vi(text)
        non_latin = len(_LD_NON_LATIN.findall(text))
        if non_latin and len(_LD_LATIN.findall(text)) * 2 < non_latin:  # (Latin letters counted only if need be)
            text = _LD_LATIN.sub("", text)
    parts = text.translate(_normal_chars).split(" ")
    words = [f" {part} " for part in parts if part]
    if parts[-1]:  # the last word: no space follows it
        words[-1] = f" {parts[-1]}"
    return words


def _word_ngrams(word: str) -> list[str]:
    """The 1- to 3-grams of one of _words that the profiles know, as langdetect's _extract_ngrams
    takes them: none ends on a capital that follows another (acronyms and shouted words say nothing
    about the language)."""
    known = _profiles().probs
    found = []
    for i in range(1, len(word)):
        ch = word[i]
        if ch.isupper() and word[i - 1].isupper():
            continue
        if ch != " " and ch in known:
            found.append(ch)
        if word[i - 1:i + 1] in known:
            found.append(word[i - 1:i + 1])
        if i >= 2 and word[i - 2:i + 1] in known:
            found.append(word[i - 2:i + 1])
    return found


@lru_cache(maxsize=16384)  # words recur from message to message: ~0.5 kB each
def _word_sums(word: str) -> tuple[int, int, int, tuple[int, ...]]:
    """Of one word's n-grams: how many; per language (packed) the sum of their costs, and of their
    squared costs; and their packed costs."""
    profiles = _profiles()
    grams = _word_ngrams(word)
    packed = tuple(map(profiles.packed.__getitem__, grams))
    return len(grams), sum(packed), sum(map(profiles.squares.__getitem__, grams)), packed


@lru_cache(maxsize=16384)
def _word_cross(word: str, lane: int) -> int:
    """Of one word's n-grams, per language (packed), the sum of its cost times the cost for the
    language in `lane`."""
    shift, mask = 64 * lane, (1 << 64) - 1
    return sum(((value >> shift) & mask) * value for value in _word_sums(word)[3])


def _ngram_probs(text: str) -> dict[str, float]:
    """Naive Bayes over langdetect's profiles, in one deterministic pass, with langdetect's confidence.

    Every n-gram's smoothed log-probability (langdetect's alpha) is summed per language, and the
    highest sum leads. That exact sum is far surer than langdetect's Detector, which samples (7
    trials, each drawing n-grams until one language has 0.99999 of the mass, or 1000 draws), and it
    counts the overlapping 1-, 2- and 3-grams as independent evidence. A trial is a random walk of
    the log-ratio of two languages, so the chance that another language beats the leader is
    sigmoid(2 * mean * log(1e5) / variance) of the per-n-gram log-ratios (gambler's ruin), or
    exp(1000 * mean) when the walk would not get there in 1000 draws: that is what is returned,
    normalised, in place of langdetect's sampled estimate of it.
    """
    langs = _profiles().langs
    words = _words(text[:_LD_CHARS])
    n = total_costs = total_squares = 0
    for count, costs, squares, _ in map(_word_sums, words):
        n += count
        total_costs += costs
        total_squares += squares
    if not n:  # no letters at all
        return {}
    lane_costs = _lanes(total_costs)
    best = lane_costs.index(min(lane_costs))  # (the first, on a tie)
    best_cost, best_squares = lane_costs[best], (total_squares >> (64 * best)) & _LANE_MASK
    cross = sum(map(_word_cross, words, repeat(best, len(words))))
    # Per language, in every lane at once: how much its costs exceed the leader's, and the sum of the
    # squared differences of its n-grams' costs from the leader's (squares - 2 * cross + the leader's
    # squares). Both are >= 0 in every lane, so no lane borrows from the next.
    gaps = _lanes(total_costs - best_cost * _ONES)
    spreads = _lanes(total_squares - 2 * cross + best_squares * _ONES)
    log_odds = []
    scale = float(_SCALE)
    scale_squared = scale * scale
    ruin_scale = 2.0 * _CONVERGED_LOG_ODDS
    for gap, spread in zip(gaps, spreads):
        if not gap:  # the leader, or as likely
            log_odds.append(0.0)
            continue
        mean = -gap / n / scale  # of the log-ratio to the leader, per n-gram (< 0)
        variance = spread / n / scale_squared - mean * mean
        ruin = ruin_scale * mean / variance if variance > 1e-9 else -math.inf
        log_odds.append(max(ruin, _MAX_DRAWS * mean))
    odds = list(map(math.exp, log_odds))
    total = sum(odds)
    return {lang: o / total for lang, o in zip(langs, odds)}


_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f"
                        r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Latin letters, [A-Za-z\u00c0-\u024f], are counted by deleting everything else (findall would make a
# string per letter): the bytes of an ASCII text, runs of other characters in any other text.
_NOT_LATIN_RUNS = re.compile(r"[^A-Za-z\u00c0-\u024f]+")
_ASCII_NOT_LATIN = bytes(code for code in range(128) if not chr(code).isalpha())


def _latin_letters(text: str) -> int:
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_LATIN))
    return len(_NOT_LATIN_RUNS.sub("", text))


def _hint_lang(value: str | None) -> str | None:
    """'pl-PL', 'de_DE', 'fr-CH,fr;q=0.9,en;q=0.8' -> the first of the five named, if any."""
    if not value:
        return None
    for part in value.split(","):
        code = part.split(";")[0].strip().lower().replace("_", "-").split("-")[0]
        if code in SUPPORTED:
            return code
    return None


@lru_cache(maxsize=256)  # a deployment sees few distinct hints (locales, Accept-Language headers)
def _hint_scores(*values: str | None) -> dict[str, float]:
    """The scores the hints (their values, in the order of _HINT_WEIGHTS) give each of SUPPORTED,
    before any evidence from the text (shared: copy it before adding to it)."""
    scores = {lang: 0.0 for lang in SUPPORTED}
    for value, weight in zip(values, _HINT_WEIGHTS.values()):
        lang = _hint_lang(value)
        if lang:
            scores[lang] += weight
    scores[FALLBACK] += 0.1  # the tie-breaker of last resort
    return scores


def detect_language(text: str, hints: LanguageHints = LanguageHints()) -> tuple[str, bool]:
    """(language, supported): one of the five, or (FALLBACK, False) for another language."""
    text = text[:2000]
    latin = _latin_letters(text)
    other = 0 if text.isascii() else len(_NON_LATIN.findall(text))
    if other > max(3, latin):
        return FALLBACK, False
    scores = _hint_scores(*_hint_values(hints)).copy()

    evidence = 0.0
    table = _word_weights()
    toks = words(text)
    for tok in toks:
        for lang, w, weighted in table.get(tok, ()):
            scores[lang] += weighted  # (_WORD_WEIGHT * w)
            evidence += w
    lowered = text.lower()
    if not lowered.isascii():  # (all the letters are non-ASCII: an ASCII text adds nothing)
        for lang, letters in _LETTER_CLASSES.items():
            n = len(letters.findall(lowered))
            scores[lang] += _LETTER_WEIGHT * min(n, 3)
            evidence += min(n, 3)

    if latin >= 3 and not _words_decide(scores, evidence, len(toks)):
        weight = _LD_WEIGHT * min(1.0, latin / _LD_FULL_LENGTH)
        if not _ngrams_cannot_change(scores, evidence, len(toks), weight):
            probs = _ngram_probs(text)
            for lang in SUPPORTED:
                scores[lang] += weight * math.log(max(probs.get(lang, 0.0), _MIN_PROB))
            if _looks_unsupported(probs, toks, evidence):
                return FALLBACK, False
    best = max(SUPPORTED, key=scores.__getitem__)
    return best, True


def _words_decide(scores: dict[str, float], evidence: float, n_words: int) -> bool:
    """Most words are ours and one language leads clearly: the n-grams (the costliest evidence)
    could neither change the winner nor call the text foreign (see _looks_unsupported)."""
    if n_words < 4 or evidence < 0.6 * n_words:
        return False
    first, second = sorted(scores.values(), reverse=True)[:2]
    return first - second >= 3 * _WORD_WEIGHT


def _ngrams_cannot_change(scores: dict[str, float], evidence: float, n_words: int, weight: float) -> bool:
    """Whatever the n-grams say, the answer stays: they lower each language's score by at most
    weight * -log(_MIN_PROB), less than the leader's lead, and the text is too short, or has too
    many words of ours, to be called foreign (_looks_unsupported). Not a guess like _words_decide:
    the n-grams (most of a short message's cost) are skipped only where they could change nothing."""
    if n_words >= 4 and evidence < 0.6 * n_words:
        return False
    first, second = sorted(scores.values(), reverse=True)[:2]
    return first - second > weight * _NGRAM_SWING


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
