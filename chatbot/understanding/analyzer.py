"""One call that turns a customer's message into everything the pipeline needs to decide the turn."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chatbot.desk import Desk, Route

from .intents import classify
from .ip import find_ips, parse_ip
from .language import LanguageHints, detect_language, warm_up
from .normalize import MAX_ANALYSED_CHARS, fold
from .orders import parse_order
from .quoting import strip_quoted, strip_quoted_and_fold
from .services import parse_service
from .start_time import parse_start_time


@dataclass(frozen=True)
class Slots:
    ip: str | None = None
    order: str | None = None          # digits only
    service: str | None = None        # as the customer wrote it (or the matching known service name)
    start_time: datetime | None = None  # aware datetime


@dataclass(frozen=True)
class Analysis:
    lang: str                 # one of the five; "en" when the text is in an unsupported language
    lang_supported: bool      # False when the customer wrote in a language outside the five
    intent: str               # exactly the intents of intake-labels.md
    route: Route              # desk.route(intent, total_outage)
    total_outage: bool        # the customer states a total unavailability
    slots: Slots
    understood: bool          # False when the bot could not tell what the customer wants
    text: str                 # the cleaned text that was analysed (quotes/signature removed)


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|wg|fw|fwd|tr|odp|rv|sv|antw)\s*:\s*)+", re.I)
# The start of a problem is asked for technical incidents; a payment date in a billing message
# ("I paid 3 days ago") or a time in a FAQ question ("open until 18:00?") is not one.
_START_TIME_INTENTS = {"tech.outage", "tech.performance", "tech.config", "tech.hardware", "account.access", "other"}


class Analyzer:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        warm_up()  # langdetect profiles load once, at construction, not on the first message

    def detect_language(self, text: str, hints: LanguageHints = LanguageHints()) -> tuple[str, bool]:
        return detect_language(strip_quoted(text[:MAX_ANALYSED_CHARS]), hints)

    def analyze(self, text: str, *, channel: str, now: datetime, subject: str | None = None,
                hints: LanguageHints = LanguageHints(), known_services: Sequence[str] = (),
                language: tuple[str, bool] | None = None) -> Analysis:
        """``language``: (language, supported) as ``detect_language`` already found it for this same
        text, when there is no subject to add: the pipeline detects it first, and a second
        detection (langdetect, most of a message's cost) would only repeat it."""
        # (folded once, for the intents, the start time and the order number)
        cleaned, folded = strip_quoted_and_fold(text[:MAX_ANALYSED_CHARS])
        subject_text = _REPLY_PREFIX.sub("", subject).strip() if subject else ""
        if language is not None and not subject_text:
            lang, supported = language
        else:
            lang, supported = detect_language(f"{cleaned}\n{subject_text}" if len(cleaned) < 40 else cleaned, hints)

        # (No subject, as in every chat message: no service, IP, order number nor intent words in it.)
        service = parse_service(cleaned, known_services) or (
            parse_service(subject_text, known_services) if subject_text else None)
        # Product names and addresses say nothing about the intent ("VPS SSD-2" is not a disk problem).
        intent_text = _mask(cleaned, service)
        result = classify(folded if intent_text == cleaned else fold(intent_text), lang,
                          fold(_mask(subject_text, service)) if subject_text else "")
        intent = result.intent
        start = None
        if intent in _START_TIME_INTENTS:
            start = parse_start_time(cleaned, now, lang=lang, folded=folded)
        slots = Slots(
            ip=parse_ip(cleaned) or (parse_ip(subject_text) if subject_text else None),
            order=parse_order(cleaned, folded=folded) or (parse_order(subject_text) if subject_text else None),
            service=service,
            start_time=start,
        )
        route = self._desk.route(intent, result.total_outage)
        return Analysis(lang, supported, intent, route, result.total_outage, slots, result.understood, cleaned)


def _mask(text: str, service: str | None) -> str:
    if service:
        text = re.sub(re.escape(service), " ", text, flags=re.I)
    for ip in find_ips(text):
        text = text.replace(ip, " ")
    return text


def to_label(analysis: Analysis) -> dict[str, Any]:
    """The intake-labels.md form of an analysis (only the slots that are present)."""
    slots: dict[str, str] = {}
    s = analysis.slots
    if s.ip:
        slots["ip"] = s.ip
    if s.order:
        slots["order"] = s.order
    if s.service:
        slots["service"] = s.service
    if s.start_time:
        slots["start_time"] = s.start_time.isoformat()
    return {"lang": analysis.lang, "intent": analysis.intent, "department": analysis.route.department,
            "team": analysis.route.team, "priority": analysis.route.priority, "slots": slots}
