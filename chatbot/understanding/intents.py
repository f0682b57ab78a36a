"""What the customer wants: one intent of intake-labels.md, and whether they state a total outage.

Each intent's score is the sum of the weights of its lexicon phrases found in the message
(lexicon/<lang>.py). Phrases of the message's language count fully, those of the other four at a
third (customers mix in English words like "down" or "refund"; a misdetected language still
finds its phrases). Where several phrases of one intent start on the same word ("factura*" and
"facturacion"), or one phrase exists in several languages ("sla"), only the strongest counts.
The subject line counts at 70 %. Three pseudo-intents feed the rules below:
- "outage": the service as a whole is unreachable ("ne répond plus", "won't boot");
- "failed": something failed, but it may be one part ("eine SSD ist ausgefallen");
- "hypothetical": the customer asks about a situation ("if my server goes down, what …");
- "past": the unavailability is over ("the outage last week"), as in a credit request;
- "component": an access or management part (KVM, IPMI, console, BIOS): "the KVM console is not
  working" says that part is down, not the server, so an unavailability stated right after it (within
  four words) does not count ("konsola KVM nie działa", "l'accès IPMI ne fonctionne plus");
- "channel" and "team": availability asked about a contact channel ("is the chat staffed at night?")
  with no team named is a contact question (the chat's availability), not a team's hours;
- "purchase": in a quote or purchase request ("un presupuesto para 10 servidores con 128 GB de RAM")
  the parts named are a specification, not a hardware job: hardware and configuration weigh half;
- a statistical second opinion (ngram.py, character n-grams): when it is confident of another intent
  than the lexicon's, it wins, unless the lexicons prefer their choice clearly (by _LEXICON_FIRM) or a
  rule above made the decision (a person asked for, a thanks, the chat's availability, a purchase);
  it sees stems, inflections and typos no lexicon lists;
- "part" and "fault": a hardware part and a failure word close together ("PSU fault", "Memory error
  DIMM B2", "RAM defekt", "padł dysk") identify a hardware fault: the intent is tech.hardware even
  when the server is down because of it (the datacenter replaces the part), and the unavailability
  still makes it high priority.
Rules, in order:
- asking for a person wins when it is said clearly, even alongside the problem;
- a FAQ question with a decisive phrase ("how long does it take to …") weighs half again as much
  as the topic words it mentions (a disk in "how long does a disk swap take?" is not a ticket); an
  indirect question ("j'aimerais savoir combien de temps …", "I'd like to know") is a question;
- a thanks that outweighs any request, in a short message, is a thanks (a reply "thanks, it works
  again" under a subject "Outage" is not a new outage);
- otherwise the best request intent, when it has enough evidence;
- a substantive message that matches nothing is `other`; greetings and thanks are what is left of
  short messages; a short message that matches nothing is not understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from . import ngram
from .lexicon import Entry, match, spelled_out_tokens

CONVERSATIONAL = ("greeting", "thanks", "human")
FAQ = ("faq.response_time", "faq.contact", "faq.hours", "faq.escalation", "faq.resolution_time",
       "faq.notifications", "faq.ticket", "faq.incident_info")
TICKET = ("billing.charge", "billing.refund", "billing.credit", "tech.outage", "tech.performance",
          "tech.config", "tech.hardware", "account.access", "other")
INTENTS = CONVERSATIONAL + FAQ + TICKET
_PSEUDO = ("outage", "failed", "hypothetical", "past", "component", "part", "fault", "channel", "team", "purchase")
# Statements of unavailability count towards the outage intent.
_GROUP = {"outage": "tech.outage", "failed": "tech.outage"}
_SCORED = INTENTS + _PSEUDO
# The scores a phrase of each intent counts towards: its own, and its _GROUP's.
_GROUPS = {intent: tuple(dict.fromkeys((intent, _GROUP.get(intent, intent)))) for intent in _SCORED}
_FAQ_SET = frozenset(FAQ)

_OTHER_LANG_FACTOR = 0.35
_TOP_K = 3
_SUBJECT_FACTOR = 0.7
_FAQ_BOOST = 1.5
_FAQ_BOOST_QUESTION = 2.0  # the same, written as a question
_TOPIC_IN_QUESTION = 0.6
_DECISIVE = 3.0           # a phrase of this weight decides on its own
_DECIDES = 2.0            # a request intent needs at least this score
_HUMAN_DECIDES = 3.0
_OUTAGE_STATED = 2.5      # "outage" (+ "failed" for the outage intent) from which priority is high
_OUTAGE_STATED_STRONG = 4.0
_SHORT = 15               # words: a thanks can dominate a message this short
_SUBSTANTIVE_WORDS = 6    # an unmatched message this long is a request (`other`), not a greeting
_UNDERSTOOD_WORDS = 4
_OUTAGE_INTENTS = {"tech.outage", "tech.performance", "tech.config", "tech.hardware", "other"}
# A customer asking about an invoice may mention that the site is down: a stronger statement needed.
_OUTAGE_STRONG_INTENTS = {"billing.charge", "billing.refund", "billing.credit", "account.access"}
_COMPONENT_REACH = 4      # words after an access component within which "not working" is about it
_FAULT_REACH = 4          # words between a hardware part and its failure word
_HARDWARE_FAULT = 3.0     # evidence an identified hardware fault adds to tech.hardware
_LEXICON_FIRM = 4.0       # lexicon lead over the n-gram model's choice that the model cannot overturn
# Questions written without a question mark ("j'aimerais savoir combien de temps …").
_INDIRECT_QUESTION = re.compile(
    r"\b(?:j'?aimerais savoir|je voudrais savoir|je souhaiterais savoir|pourriez-vous me dire|pouvez-vous me dire|"
    r"i would like to know|i'?d like to know|could you tell me|can you tell me|please let me know|"
    r"me gustaria saber|quisiera saber|quiero saber|queremos saber|podeis decirme|podrian decirme|"
    r"ich mochte wissen|ich wurde gerne wissen|wir mochten wissen|wir wurden gerne wissen|konnen sie mir sagen|"
    r"chcialbym wiedziec|chcialabym wiedziec|chcielibysmy wiedziec|prosze o informacje|czy mozecie powiedziec)\b")


@dataclass(frozen=True)
class IntentResult:
    intent: str
    total_outage: bool
    understood: bool
    scores: dict[str, float]


def _scores(found: list[tuple[dict[Entry, int], float]], lang: str) -> tuple[dict[str, float], float]:
    """Per-intent scores (pseudo-intents included) and the strongest FAQ phrase weight."""
    strongest: dict[tuple[str, int, int], float] = {}   # (group, source, position) -> weight
    for source, (entries, factor) in enumerate(found):
        for entry, position in entries.items():
            weight = entry.weight * factor * (1.0 if entry.lang in (lang, "*") else _OTHER_LANG_FACTOR)
            for group in _GROUPS[entry.intent]:
                key = (group, source, position)
                current = strongest.get(key)
                # the strongest phrase starting on a word counts; a negative phrase (a correction
                # such as "credit card") overrides positive ones there
                if current is None or (weight < 0, abs(weight)) > (current < 0, abs(current)):
                    strongest[key] = weight
    # Evidence saturates: the strongest _TOP_K phrases of an intent count, so that a question naming
    # many parts ("replace a faulty RAM stick in my dedicated server") does not outweigh its question.
    positive: dict[str, list[float]] = {}
    scores = dict.fromkeys(_SCORED, 0.0)
    faq_weights = []  # of the message's own FAQ phrases (not the subject's)
    for (group, source, _), weight in strongest.items():
        if weight < 0:
            scores[group] += weight
        else:
            positive.setdefault(group, []).append(weight)
        if source == 0 and group in _FAQ_SET:
            faq_weights.append(weight)
    for group, weights in positive.items():
        scores[group] += sum(sorted(weights, reverse=True)[:_TOP_K])
    return scores, max(faq_weights, default=0.0)


def _about_a_component(entries: dict[Entry, int], clause: list[int]) -> dict[Entry, int]:
    """Drop statements of unavailability that follow an access component in its clause ("KVM console
    not working"; not "I need KVM access, the server does not boot")."""
    components = [pos for e, pos in entries.items() if e.intent == "component"]
    if not components:
        return entries

    def about(pos: int) -> bool:
        return any(0 < pos - c <= _COMPONENT_REACH and pos < len(clause) and clause[c] == clause[pos]
                   for c in components)
    return {e: pos for e, pos in entries.items()
            if not (e.intent in ("outage", "failed") and e.weight > 0 and about(pos))}


def _hardware_fault(entries: dict[Entry, int], clause: list[int]) -> bool:
    """A hardware part and a failure word in one clause, a few words apart."""
    faults = [pos for e, pos in entries.items() if e.intent == "fault"]
    if not faults:  # (most messages)
        return False
    parts = [(pos, pos + len(e.pattern) - 1) for e, pos in entries.items() if e.intent == "part"]
    return any(start - _FAULT_REACH <= f <= end + _FAULT_REACH and f < len(clause) and start < len(clause)
               and clause[f] == clause[start] for start, end in parts for f in faults)


def _lexicon_firm(scores: dict[str, float], intent: str) -> bool:
    """The lexicons lead every other intent the n-gram model knows by _LEXICON_FIRM: whatever the
    model said, it could not overturn them (see classify), so it need not be asked."""
    best_rival = max(map(scores.get, _rivals(intent), repeat(0.0)))
    return scores.get(intent, 0.0) - best_rival >= _LEXICON_FIRM


@lru_cache(maxsize=64)
def _rivals(intent: str) -> tuple[str, ...]:
    """The intents the n-gram model knows, but this one."""
    return tuple(other for other in ngram.model().classes if other != intent)


def classify(folded_text: str, lang: str, folded_subject: str = "") -> IntentResult:
    as_written = f"{folded_text} {folded_subject}".strip()  # what the n-gram model was trained on
    folded_text, words, clause = spelled_out_tokens(folded_text, lang)
    clauses = [clause]
    found = [(_about_a_component(match(words, clause), clause), 1.0)]
    if folded_subject:  # (spelling out never empties a text)
        _, subject_words, subject_clause = spelled_out_tokens(folded_subject, lang)
        clauses.append(subject_clause)
        found.append((_about_a_component(match(subject_words, subject_clause), subject_clause), _SUBJECT_FACTOR))
    scores, faq_phrase = _scores(found, lang)
    hardware_fault = any(_hardware_fault(entries, clause) for (entries, _), clause in zip(found, clauses))
    if scores["hypothetical"] > 0 and faq_phrase >= _DECISIVE:
        # "if my server goes offline, what should I send you?" describes no outage
        for key in ("outage", "failed"):
            scores["tech.outage"] -= scores[key] * 0.7
            scores[key] *= 0.3
    if scores["past"] > 0:
        # "the outage last week": a past unavailability (a credit request) is not one happening now
        for key in ("outage", "failed"):
            scores["tech.outage"] -= scores[key] * 0.6
            scores[key] *= 0.4
    if faq_phrase >= _DECISIVE and scores["outage"] < _OUTAGE_STATED:
        question = "?" in folded_text or bool(_INDIRECT_QUESTION.search(folded_text))
        boost = _FAQ_BOOST_QUESTION if question else _FAQ_BOOST
        for intent in FAQ:
            scores[intent] *= boost
        if question:  # the parts named in a FAQ question are its topic, not a ticket
            for intent in TICKET:
                scores[intent] *= _TOPIC_IN_QUESTION
            hardware_fault = False
    if hardware_fault:
        scores["tech.hardware"] += _HARDWARE_FAULT
    purchase = False
    if not hardware_fault and scores["purchase"] > 0 and scores["outage"] <= 0 and scores["failed"] <= 0:
        purchase = True
        for key in ("tech.hardware", "tech.config"):
            scores[key] *= 0.5
    channel = scores["channel"] > 0 and scores["team"] <= 0 and scores["faq.hours"] > scores["faq.contact"]
    if channel:
        scores["faq.contact"], scores["faq.hours"] = scores["faq.hours"] + 0.5, scores["faq.contact"]

    # words that are not part of a greeting or thanks: "coucou, il y a quelqu'un ?" has none
    courtesy = {i for entries, _ in found[:1] for e, pos in entries.items() if e.intent in ("greeting", "thanks")
                for i in range(pos, pos + len(e.pattern))}
    residual = len(words) - len(courtesy)

    requests = FAQ + TICKET  # "other" last: on a tie the specific intent wins (max keeps the first)
    best = max(requests, key=scores.__getitem__)
    best_score = scores[best]
    greeting, thanks, human = scores["greeting"], scores["thanks"], scores["human"]
    # against the body alone: a "Re: Outage" subject over "thanks, it works again" is not a request
    body_best = max(_scores(found[:1], lang)[0][i] for i in requests) if len(found) > 1 else best_score
    thanks_dominates = thanks >= _DECIDES and thanks >= body_best and len(words) <= _SHORT

    if human >= _HUMAN_DECIDES and human >= best_score - 1.0:
        intent = "human"
    elif thanks_dominates:
        intent = "thanks"
    elif best_score >= _DECIDES or (best_score >= 1.0 and len(words) >= _UNDERSTOOD_WORDS):
        intent = best
    elif residual >= _SUBSTANTIVE_WORDS:
        intent = "other"
    elif thanks > 0 and thanks >= greeting:
        intent = "thanks"
    elif greeting > 0:
        intent = "greeting"
    elif len(words) >= _UNDERSTOOD_WORDS:
        intent = "other"
    else:
        return IntentResult("other", False, False, scores)

    by_rule = (intent in ("human", "thanks") or (channel and intent == "faq.contact")
               or (purchase and intent == "other"))
    if not by_rule and not _lexicon_firm(scores, intent):
        second = ngram.second_opinion(as_written, intent)
        if second is not None and scores.get(intent, 0.0) - scores.get(second, 0.0) < _LEXICON_FIRM:
            intent = second
    if intent == "tech.outage" and hardware_fault:
        intent = "tech.hardware"  # the server is down because a part failed: the datacenter replaces it
    server_down = scores["outage"]
    stated = server_down + (scores["failed"] if intent == "tech.outage" else 0.0)
    total = (intent in _OUTAGE_INTENTS and stated >= _OUTAGE_STATED) or (
        intent in _OUTAGE_STRONG_INTENTS and server_down >= _OUTAGE_STATED_STRONG)
    return IntentResult(intent, total, True, scores)
