"""Weighted phrase lexicons, one module per language, and the matcher that scores a text with them.

A lexicon maps an intent (or the pseudo-intent "outage", the statement of a total unavailability)
to lines of the form ``weight: phrase | phrase | ...``. Phrases are written accent-free and
lower-case, as normalize.fold produces; they are tokenised like the text (apostrophes and hyphens
split words: "mot de passe", "e-mail", "n'arrive"). In a phrase:
- ``word*`` matches any word starting with "word" ("rembours*" = remboursement, rembourser);
- ``~`` matches zero to two arbitrary words ("ne ~ plus" = "ne répond plus", "ne marche toujours plus");
- ``...`` matches zero to eight arbitrary words of the same clause (it does not cross punctuation): two
  words of one clause ("bricht ... ab" = "bricht immer mit Fehler ab", "where ... ticket" = "where do I
  open a ticket", "wie schnell ... getauscht" = "wie schnell wird bei euch eine Platte getauscht");
- a word of four letters or more also matches its plural in "s"/"es" ("resolution time" = "resolution
  times", "delai" = "delais").
A negative weight lets a phrase cancel a misleading one ("credit card" is not a billing credit).

Matching is a dictionary walk over the text's words, not a regex per phrase: a few hundred phrases
in five languages cost well under a millisecond per message.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from . import common, de, en, es, fr, pl

_TOKEN = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[,.;:!?()\n]+")
# A token (captured), or the punctuation that ends a clause: the two never share a character.
_TOKEN_OR_CLAUSE_END = re.compile(r"([a-z0-9]+)|[,.;:!?()\n]+")
_GAP = 8
_MODULES = {"fr": fr, "pl": pl, "es": es, "de": de, "en": en, "*": common}
_MIN_PREFIX = 3


def tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


# Chat shorthand, spelled out before matching; only forms that are not words of another of the five
# languages ("u" is Polish, "tel" French and German).
SHORTHAND = {
    "qqn": "quelqu'un", "qqun": "quelqu'un", "qq1": "quelqu'un", "qqch": "quelque chose", "bcp": "beaucoup",
    "pk": "pourquoi", "pq": "pourquoi", "pb": "probleme", "pbm": "probleme", "mdp": "mot de passe",
    "dispo": "disponible", "slt": "salut", "stp": "s'il te plait", "svp": "s'il vous plait",
    "pls": "please", "plz": "please", "pwd": "password", "pw": "password", "acct": "account",
    "xq": "porque", "porq": "porque", "tmb": "tambien", "xfa": "por favor",
    "dzk": "dzieki", "dzieks": "dzieki", "pzdr": "pozdrawiam", "nwm": "nie wiem",
    "vlt": "vielleicht", "evtl": "eventuell",
}
_SHORTHAND = re.compile(r"\b(" + "|".join(SHORTHAND) + r")\b")
# Spanish object pronouns written onto an infinitive ("montarme", "cambiarlo", "devolvérnoslo").
_PRONOUNS = ("melo", "mela", "selo", "sela", "noslo", "nosla", "me", "te", "se", "nos", "os", "los", "las", "lo",
             "la", "les", "le")
_ENCLITIC = re.compile(r"\b([a-z]{2,}(?:ar|er|ir))(?:" + "|".join(_PRONOUNS) + r")\b")
# What the two patterns above can replace is a whole token (letters and digits between characters
# that are neither): a shorthand, or a word with one of these endings.
_SHORTHAND_TOKENS = frozenset(SHORTHAND)
_ENCLITIC_ENDINGS = tuple(ending + pronoun for ending in ("ar", "er", "ir") for pronoun in _PRONOUNS)


def spell_out(folded: str, lang: str | None = None) -> str:
    """Folded text with chat shorthand spelled out ("qqn" -> "quelqu'un") and, in Spanish, object
    pronouns taken off infinitives ("montarme" -> "montar"), for the lexicons."""
    folded = _SHORTHAND.sub(lambda m: SHORTHAND[m.group(1)], folded)
    if lang == "es":
        folded = _ENCLITIC.sub(r"\1", folded)
    return folded


def clause_ids(folded: str) -> list[int]:
    """The clause number of each token of the folded text (clauses end at punctuation)."""
    return tokens_and_clauses(folded)[1]


def tokens_and_clauses(folded: str) -> tuple[list[str], list[int]]:
    """tokens(folded) and clause_ids(folded), in one scan of the text."""
    words: list[str] = []
    numbers: list[int] = []
    n = 0
    for word in _TOKEN_OR_CLAUSE_END.findall(folded):
        if word:
            words.append(word)
            numbers.append(n)
        else:  # punctuation: the next clause
            n += 1
    return words, numbers


def spelled_out_tokens(folded: str, lang: str | None = None) -> tuple[str, list[str], list[int]]:
    """spell_out(folded, lang), with its tokens_and_clauses; when the tokens show there is nothing to
    spell out (the usual case), without the patterns' scans."""
    words, numbers = tokens_and_clauses(folded)
    if _SHORTHAND_TOKENS.isdisjoint(words) and not (
            lang == "es" and any(word.endswith(_ENCLITIC_ENDINGS) for word in words)):
        return folded, words, numbers
    folded = spell_out(folded, lang)
    return (folded, *tokens_and_clauses(folded))


@dataclass(frozen=True, eq=False)
class Entry:
    lang: str            # "*" for language-independent technical terms
    intent: str
    weight: float
    pattern: tuple[str, ...]
    text: str            # as written, for explanations and tests


# A word of a pattern, compiled for the walk: a plain word as the set of the words it accepts (itself,
# and its plurals in "s"/"es" when it has four letters or more), a "word*" as its stem (a str), "~"
# and "..." as written (no stem is one: stems are letters and digits).
_Step = frozenset[str] | str


def _step(part: str) -> _Step:
    if part in ("~", "..."):
        return part
    if part.endswith("*"):
        return part[:-1]
    return frozenset((part, part + "s", part + "es")) if len(part) >= 4 else frozenset((part,))


@dataclass(frozen=True)
class _Index:
    exact: dict[str, list[Entry]]
    prefix: dict[str, list[Entry]]
    rest: dict[Entry, tuple[_Step, ...]]  # an entry's pattern after its first word, compiled


def _parse(lang: str, intent: str, blob: str) -> list[Entry]:
    entries: list[Entry] = []
    for line in blob.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        weight_text, _, phrases = line.partition(":")
        weight = float(weight_text)
        for phrase in phrases.split("|"):
            phrase = phrase.strip()
            if not phrase:
                continue
            parts: list[str] = []
            for word in phrase.split():
                if word in ("~", "..."):
                    parts.append(word)
                    continue
                star = word.endswith("*")
                subwords = tokens(word.rstrip("*"))
                parts.extend(subwords[:-1] + [subwords[-1] + ("*" if star else "")])
            entries.append(Entry(lang, intent, weight, tuple(parts), phrase))
    return entries


@lru_cache(maxsize=1)
def _index() -> _Index:
    exact: dict[str, list[Entry]] = defaultdict(list)
    prefix: dict[str, list[Entry]] = defaultdict(list)
    seen: set[tuple[str, str, float, tuple[str, ...]]] = set()
    for lang, module in _MODULES.items():
        for intent, blob in module.LEXICON.items():
            for entry in _parse(lang, intent, blob):
                key = (entry.lang, entry.intent, entry.weight, entry.pattern)
                if key in seen:  # a phrase written twice counts once (entries compare by identity)
                    continue
                seen.add(key)
                first = entry.pattern[0]
                if first.endswith("*"):
                    prefix[first[:-1]].append(entry)
                else:
                    exact[first].append(entry)
    rest = {entry: tuple(map(_step, entry.pattern[1:])) for group in (exact, prefix)
            for entries in group.values() for entry in entries}
    return _Index(dict(exact), dict(prefix), rest)


# What is left to match of an entry once its first word matched: its pattern after the first word,
# compiled; the step of it from which the words still have to be matched (1 when the next word is
# known to match the first step, else 0); and the start of a word the last of those steps needs (its
# word or stem, after a space; None if there is no such step): an entry cannot match a text without
# it, a test much cheaper than _match_rest.
_Rest = tuple[tuple[_Step, ...], int, str | None]
_Candidate = tuple[Entry, _Rest | None]  # None: nothing is left, the entry has matched


def _candidate(entry: Entry, rest: tuple[_Step, ...], start: int) -> _Candidate:
    if start == len(rest):
        return entry, None
    needed: str | None = None
    for step in rest[start:]:
        if isinstance(step, frozenset):
            needed = " " + min(step, key=len)  # (the word itself: its plurals start with it)
        elif step not in ("~", "..."):
            needed = " " + step
    return entry, (rest, start, needed)


@lru_cache(maxsize=16384)  # words recur from message to message; most start no entry
def _candidates(word: str) -> tuple[tuple[_Candidate, ...], dict[str, tuple[_Candidate, ...]]]:
    """The entries whose first word matches this word (the exact ones, then those of its prefixes from
    the shortest), as two views: those that need no particular next word (their pattern ends there,
    or goes on with a gap or a stem), and, per next word, those that this word can be followed by.
    Most phrases fail on their second word: that test is one dictionary lookup per word in `match`
    instead of one set test per candidate. Both keep the entries' order."""
    index = _index()
    entries = list(index.exact.get(word, ()))
    for k in range(_MIN_PREFIX, len(word) + 1):
        entries.extend(index.prefix.get(word[:k], ()))
    rests = [index.rest[entry] for entry in entries]
    seconds = [rest[0] if rest and type(rest[0]) is frozenset else None for rest in rests]
    nexts = {w for second in seconds if second is not None for w in second}
    any_next = tuple(_candidate(entry, rest, 0) for entry, rest, second in zip(entries, rests, seconds)
                     if second is None)
    by_next = {w: tuple(_candidate(entry, rest, 0 if second is None else 1)
                        for entry, rest, second in zip(entries, rests, seconds) if second is None or w in second)
               for w in nexts}
    return any_next, by_next


def _match_rest(steps: tuple[_Step, ...], p: int, words: list[str], i: int, clause: list[int] | None) -> bool:
    """Do steps[p:] match words starting at index i?"""
    while p < len(steps):
        step = steps[p]
        if step == "~" or step == "...":
            # the rest tried after each number of skipped words: up to two for "~", up to _GAP in the
            # same clause for "..."
            here = clause[i - 1] if step == "..." and clause and 0 < i <= len(clause) else None
            after = steps[p + 1] if p + 1 < len(steps) else None
            for j in range(i, i + (2 if step == "~" else _GAP) + 1):
                if here is not None and not (j < len(clause) and clause[j] == here):
                    continue
                # (when a plain word comes next, the usual case, only where one it accepts stands)
                if type(after) is frozenset and not (j < len(words) and words[j] in after):
                    continue
                if _match_rest(steps, p + 1, words, j, clause):
                    return True
            return False
        if i >= len(words):
            return False
        word = words[i]
        if not (word in step if isinstance(step, frozenset) else word.startswith(step)):
            return False
        i, p = i + 1, p + 1
    return True


def match(words: list[str], clause: list[int] | None = None) -> dict[Entry, int]:
    """Every lexicon entry found in the words, with the index of the word where it first starts;
    `clause` (clause_ids of the text) keeps a "..." gap inside one clause."""
    found: dict[Entry, int] = {}
    text = " " + " ".join(words)  # each word after a space, for the candidates' quick test
    last = len(words) - 1
    for i, word in enumerate(words):
        any_next, by_next = _candidates(word)
        # only the entries whose second word, when they name one, is the word that follows (a
        # one-word entry, or a two-word one that this shows, has matched already)
        for entry, rest in by_next.get(words[i + 1], any_next) if i < last else any_next:
            if entry in found:
                continue
            if rest is not None:  # the rest of its pattern, after the quick test
                steps, start, needed = rest
                if needed is not None and needed not in text:
                    continue
                if not _match_rest(steps, start, words, i + 1 + start, clause):
                    continue
            found[entry] = i
    return found


def all_entries() -> list[Entry]:
    index = _index()
    seen = {id(e): e for group in (index.exact, index.prefix) for entries in group.values() for e in entries}
    return list(seen.values())
