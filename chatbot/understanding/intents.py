"""What the customer wants: one intent of intake-labels.md, and whether they state a total outage.

Each intent's score is the sum of the weights of its lexicon phrases found in the message
(lexicon/<lang>.py). Phrases of the message's language count fully, those of the other four at a
third (customers mix in English words like "down" or "refund"; a misdetected language still
finds its phrases). The subject line counts at 70 %. Then a few rules that a reader can check:
- a request (a FAQ or ticket intent) beats a greeting or a thanks, which are only what is left
  when nothing else is asked — "Bonjour, mon serveur est down" is an outage;
- asking for a person wins when it is said clearly, even alongside the problem;
- a substantive message that matches nothing is `other`; a short one that matches nothing is
  not understood (the flow asks again, and hands over after two failures).
"""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Entry, match, tokens

CONVERSATIONAL = ("greeting", "thanks", "human")
FAQ = ("faq.response_time", "faq.contact", "faq.hours", "faq.escalation", "faq.resolution_time",
       "faq.notifications", "faq.ticket", "faq.incident_info")
TICKET = ("billing.charge", "billing.refund", "billing.credit", "tech.outage", "tech.performance",
          "tech.config", "tech.hardware", "account.access", "other")
INTENTS = CONVERSATIONAL + FAQ + TICKET

_OTHER_LANG_FACTOR = 0.35
_SUBJECT_FACTOR = 0.7
_DECIDES = 2.0            # a request intent needs at least this score
_HUMAN_DECIDES = 3.0
_OUTAGE_STATED = 2.5      # "outage" score from which a total unavailability is stated
_OUTAGE_STATED_STRONG = 4.0
_SUBSTANTIVE_WORDS = 4    # below this many words, an unmatched message is not understood
# A total outage raises the priority of these intents; for a billing or account request it takes
# a stronger statement (a customer asking about an invoice may mention that the site is down).
_OUTAGE_INTENTS = {"tech.outage", "tech.performance", "tech.config", "tech.hardware", "other"}
_OUTAGE_STRONG_INTENTS = {"billing.charge", "billing.refund", "account.access"}


@dataclass(frozen=True)
class IntentResult:
    intent: str
    total_outage: bool
    understood: bool
    scores: dict[str, float]


def _scores(body: list[Entry], subject: list[Entry], lang: str) -> dict[str, float]:
    scores = dict.fromkeys(INTENTS + ("outage",), 0.0)
    counted: set[Entry] = set()
    for entries, factor in ((body, 1.0), (subject, _SUBJECT_FACTOR)):
        for entry in entries:
            if entry in counted:
                continue
            counted.add(entry)
            lang_factor = 1.0 if entry.lang in (lang, "*") else _OTHER_LANG_FACTOR
            scores[entry.intent] += entry.weight * factor * lang_factor
    scores["tech.outage"] += scores["outage"]
    return scores


def classify(folded_text: str, lang: str, folded_subject: str = "") -> IntentResult:
    words = tokens(folded_text)
    body = match(words)
    subject = match(tokens(folded_subject)) if folded_subject else set()
    scores = _scores(sorted(body, key=lambda e: e.text), sorted(subject, key=lambda e: e.text), lang)
    requests = FAQ + TICKET  # "other" last: on a tie the specific intent wins
    best = max(requests, key=lambda i: (scores[i], -requests.index(i)))
    best_score = scores[best]
    greeting, thanks, human = scores["greeting"], scores["thanks"], scores["human"]

    if human >= _HUMAN_DECIDES and human >= best_score - 1.0:
        intent = "human"
    elif best_score >= _DECIDES and not (thanks > best_score and len(words) <= 12):
        intent = best
    elif best_score >= 1.0 and len(words) >= _SUBSTANTIVE_WORDS:
        intent = best
    elif thanks > 0 and thanks >= greeting:
        intent = "thanks"
    elif greeting > 0:
        intent = "greeting"
    elif len(words) >= _SUBSTANTIVE_WORDS:
        intent = "other"
    else:
        return IntentResult("other", False, False, scores)

    outage = scores["outage"]
    total = (intent in _OUTAGE_INTENTS and outage >= _OUTAGE_STATED) or (
        intent in _OUTAGE_STRONG_INTENTS and outage >= _OUTAGE_STATED_STRONG)
    return IntentResult(intent, total, True, scores)
