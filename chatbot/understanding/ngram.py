"""A statistical second opinion on the intent: multinomial Naive Bayes over character n-grams.

The lexicons (lexicon/<lang>.py) are precise on phrasings they know and blind to the others; character
3- to 5-grams inside words see stems, inflections, typos and missing accents ("remboursement",
"rembourser", "rembousement" share most of their n-grams) and need no list. The model is trained at
start-up, deterministically and in a fraction of a second, from the labelled messages shipped in
ngram_data.py (our development and held-out sets, the shared sample and the first blind set; never a
set kept for a final measurement), on the same text the lexicons see: quotes and signatures removed,
service names and IPs masked, folded.

How it is used (intents.classify): the lexicon decision stands unless the model is confident of another
intent — its probability for that intent exceeds its probability for the lexicon's choice by more than
OVERRIDE_MARGIN, with probabilities tempered by TEMPERATURE (Naive Bayes is over-confident). The two
numbers were chosen on messages neither component had been tuned on (each held-out set scored by the
lexicons as they were before that set was studied, the model trained on all other sets): the lexicons
alone were right on 87.1 % of those 510 messages, the model alone on 92.2 %, the combination on 94.1 %.

Rebuild the shipped data after relabelling or adding a set:
    .venv/bin/python -m chatbot.understanding.ngram build tests/data/dev.jsonl ... > chatbot/understanding/ngram_data.py
"""
from __future__ import annotations

import json
import math
import re
import struct
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

TEMPERATURE = 20.0
OVERRIDE_MARGIN = 0.6
_ALPHA = 0.1          # additive smoothing
_MIN_N, _MAX_N = 3, 5
_MAX_CHARS = 1500     # the start of a long email says what it is about
_TOKEN = re.compile(r"[a-z0-9]+")
# log_scores' fixed point: 2^-20 per unit of log-probability. A delta is log((count + α) / α) < 2^5
# for any count below 10^12, and a message has at most a few thousand n-grams (< 2^12), so a
# class's sum fits in 20 + 5 + 12 < 48 bits; rounding moves a score by < 0.002. Fields are 64 bits
# wide all the same, so that struct unpacks a sum into its per-class fields in one C call.
_SCALE = float(1 << 20)
_FIELD_BITS = 64


def _word_features(word: str) -> list[str]:
    """Character 3- to 5-grams of one word, with its boundaries (" vps ", " ser", "ver ")."""
    padded = f" {word} "
    return [padded[i:i + n] for n in range(_MIN_N, _MAX_N + 1) for i in range(len(padded) - n + 1)]


def features(folded: str) -> set[str]:
    """Character 3- to 5-grams of each word, with the word's boundaries (" vps ", " ser", "ver ")."""
    grams: set[str] = set()
    for word in _TOKEN.findall(folded[:_MAX_CHARS]):
        grams.update(_word_features(word))
    return grams


class NaiveBayes:
    """Multinomial Naive Bayes on binary n-gram presence, stored sparsely: per n-gram, only the classes
    that saw it, as the difference from that class's log-probability of an unseen n-gram."""

    def __init__(self, docs: Iterable[tuple[str, str]]) -> None:
        counts: dict[str, Counter[str]] = {}
        prior: Counter[str] = Counter()
        for label, text in docs:
            prior[label] += 1
            counts.setdefault(label, Counter()).update(features(text))
        self.classes = sorted(prior)
        total_docs = sum(prior.values())
        vocabulary = set().union(*counts.values()) if counts else set()
        size = len(vocabulary)
        self._base: list[float] = []   # log prior, and log P(unseen n-gram | class)
        self._unseen: list[float] = []
        deltas: dict[str, list[tuple[int, float]]] = {}
        for index, label in enumerate(self.classes):
            denominator = sum(counts[label].values()) + _ALPHA * size
            unseen = math.log(_ALPHA / denominator)
            self._base.append(math.log(prior[label] / total_docs))
            self._unseen.append(unseen)
            for gram, count in counts[label].items():
                deltas.setdefault(gram, []).append((index, math.log((count + _ALPHA) / denominator) - unseen))
        # Each n-gram's deltas (all > 0: a seen n-gram is likelier than an unseen one), as fixed-point
        # fields of one integer, one field per class: a message's scores are then one sum of
        # integers in C instead of a Python loop over every (n-gram, class) pair.
        self._packed = {gram: sum(round(delta * _SCALE) << (_FIELD_BITS * index) for index, delta in entries)
                        for gram, entries in deltas.items()}
        self._fields = struct.Struct(f"<{len(self.classes)}Q")  # the first class in the lowest field
        self._positions = {label: index for index, label in enumerate(self.classes)}
        # Words recur from message to message: each one's known n-grams and their summed deltas are
        # found once, not per message. A bound method per model, so that a cache never outlives or
        # mixes models.
        self._word_sums = lru_cache(maxsize=8192)(self._known_sums)

    def _known_sums(self, word: str) -> tuple[frozenset[str], int]:
        """The n-grams of a word that the training saw, and the sum of their packed deltas."""
        packed = self._packed
        grams = frozenset(g for g in _word_features(word) if g in packed)
        return grams, sum(map(packed.__getitem__, grams))

    def log_scores(self, folded: str) -> dict[str, float]:
        return dict(zip(self.classes, self._score_list(folded)))

    def _score_list(self, folded: str) -> list[float]:
        """log_scores' values, in the order of self.classes."""
        # The message's known n-grams, each counted once (binary presence) however many words share it:
        # a word's precomputed sum, less the n-grams an earlier word of the message brought (most
        # words bring none). Integer sums, so the order they come in does not change a bit of the result.
        seen: set[str] = set()    # the n-grams counted so far
        total = 0
        for word in dict.fromkeys(_TOKEN.findall(folded[:_MAX_CHARS])):  # each distinct word once
            grams, packed_sum = self._word_sums(word)
            if seen.isdisjoint(grams):
                total += packed_sum
            else:
                total += packed_sum - sum(map(self._packed.__getitem__, seen.intersection(grams)))
            seen |= grams
        n = len(seen)
        fields = self._fields.unpack(total.to_bytes(self._fields.size, "little"))
        return [base + n * unseen + field / _SCALE
                for base, unseen, field in zip(self._base, self._unseen, fields)]

    def posterior(self, folded: str, temperature: float = TEMPERATURE) -> dict[str, float]:
        return dict(zip(self.classes, self._posterior_list(folded, temperature)))

    def _posterior_list(self, folded: str, temperature: float) -> list[float]:
        """posterior's values, in the order of self.classes."""
        # (lists, not dictionaries: the same numbers, summed in the same order)
        scores = self._score_list(folded)
        top = max(scores)
        weights = [math.exp((s - top) / temperature) for s in scores]
        total = sum(weights)
        return [w / total for w in weights]

    def second_opinion(self, folded: str, lexicon_intent: str) -> str | None:
        """See the module's second_opinion."""
        post = self._posterior_list(folded, TEMPERATURE)
        best = post.index(max(post))  # the first of the most likely, in the order of self.classes
        lexicon = self._positions.get(lexicon_intent)
        if best != lexicon and post[best] - (0.0 if lexicon is None else post[lexicon]) > OVERRIDE_MARGIN:
            return self.classes[best]
        return None


_lock = threading.Lock()
_model: NaiveBayes | None = None


def model() -> NaiveBayes:
    """The model trained on the shipped data, built once per process (about 0.2 s)."""
    global _model
    with _lock:
        if _model is None:
            from .ngram_data import TRAINING
            _model = NaiveBayes(tuple(line.split("\t", 1)) for line in TRAINING.strip("\n").split("\n"))
        return _model


def second_opinion(folded: str, lexicon_intent: str) -> str | None:
    """Another intent when the model is confident of it against the lexicon's choice, else None."""
    return model().second_opinion(folded, lexicon_intent)


def training_text(text: str, subject: str | None) -> str:
    """A labelled message as intents.classify sees it (quotes and signatures removed, service names
    and IPs masked, folded), subject appended."""
    from .analyzer import _REPLY_PREFIX, _mask
    from .normalize import MAX_ANALYSED_CHARS, fold
    from .quoting import strip_quoted
    from .services import parse_service
    cleaned = strip_quoted(text[:MAX_ANALYSED_CHARS])
    subject_text = _REPLY_PREFIX.sub("", subject or "").strip()
    service = parse_service(cleaned) or parse_service(subject_text)
    return f"{fold(_mask(cleaned, service))} {fold(_mask(subject_text, service))}".strip()


def build(paths: list[str]) -> str:
    """The source of ngram_data.py for labelled JSON-lines files."""
    lines = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for raw in fh:
                if raw.strip():
                    record = json.loads(raw)
                    text = training_text(record["text"], record.get("subject"))
                    lines.append(f"{record['expect']['intent']}\t{' '.join(text.split())}")
    body = "\n".join(lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    names = ", ".join(p.rsplit("/", 1)[-1] for p in paths)
    return (f'"""Labelled messages the n-gram model is trained on ({len(lines)}; generated by `python -m\n'
            f'chatbot.understanding.ngram build` from {names}): intent, tab, the text as intents.classify\n'
            f'sees it."""\n\nTRAINING = """\n{body}\n"""\n')


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "build":
        sys.exit("usage: python -m chatbot.understanding.ngram build FILE.jsonl ... > chatbot/understanding/ngram_data.py")
    if any("blind2" in p for p in sys.argv[2:]):
        sys.exit("blind2 is the final unseen measurement: never train on it")
    sys.stdout.write(build(sys.argv[2:]))
