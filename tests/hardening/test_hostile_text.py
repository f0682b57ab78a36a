"""Hostile and pathological text through the understanding: no crash, no hang, sane results.

Every call runs under `within` (a daemon thread with a deadline), so a regex that backtracks
catastrophically fails the test instead of hanging the suite. The bound is generous — it detects
hangs, it does not measure speed (bench/ does that)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.desk import load_desk
from chatbot.understanding import (
    Analyzer,
    LanguageHints,
    detect_language,
    parse_ip,
    parse_order,
    parse_service,
    parse_start_time,
    strip_quoted,
)
from tests.hardening.conftest import within

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
LIMIT = 10.0  # seconds per call: far above any real message, far below a hang
LANGS = ("fr", "pl", "es", "de", "en")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_desk(None))


def _patterns() -> list[str]:
    """4,000 characters built to hurt regexes: long runs, near-misses that force backtracking."""
    units = [".", ">", "9", "1.", "255.", "::", "a:", "-", " ", "\n", "> > ", "Re: ", "—", "ü", "0:", "12:",
             "#", "@", "VPS ", "at ", "le ", "-- \n", "\u200b", "\t", "1.1.1.", "ff:", "ORD-", "'\"", "%s"]
    out = [u * (4000 // len(u)) for u in units]
    out += ["a" * 3999 + "!", "1." * 1999 + "x", "1" * 4000, "> " * 1999 + "\n", "On " + "x " * 1990 + "wrote:",
            ("le 12/11 à 9h " * 300)[:4000], ("mój vps 10.0.0." * 300)[:4000], "\n" * 4000,
            "Le lun. 23 nov. 2026 à 09:00, " + "a" * 3900 + " a écrit :", "-----Original Message-----\n" * 140]
    return out


PATHOLOGICAL = _patterns()


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[repr(t[:12]) for t in PATHOLOGICAL])
def test_pathological_input_is_analysed_in_bounded_time(analyzer: Analyzer, text: str) -> None:
    for channel in ("chat", "email"):
        a = within(LIMIT, lambda c=channel: analyzer.analyze(text, channel=c, now=NOW, subject=text[:200]))
        assert a.lang in LANGS and a.intent
    within(LIMIT, lambda: strip_quoted(text * 5))  # whole emails are longer than a chat message
    within(LIMIT, lambda: (parse_ip(text), parse_order(text), parse_service(text, ["Cloud VPS S", "Dedicated X"])))
    for lang in LANGS:
        within(LIMIT, lambda lang=lang: parse_start_time(text, NOW, lang=lang))
    within(LIMIT, lambda: detect_language(text, LanguageHints()))


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000)
mixed = st.lists(st.sampled_from(["9", ".", ">", ":", " ", "\n", "vps", "ip", "10.0.0.1", "12h", "à", "le",
                                  "Re:", "wrote:", "napisał:", "--", "#", "T-000001", "ü", "ł"]),
                 max_size=600).map("".join)


@FUZZ
@given(text=st.one_of(texts, mixed), subject=st.one_of(st.none(), texts.map(lambda t: t[:200])),
       channel=st.sampled_from(["chat", "email"]))
def test_any_text_gives_a_well_formed_analysis(analyzer: Analyzer, text: str, subject: str | None,
                                               channel: str) -> None:
    a = within(LIMIT, lambda: analyzer.analyze(text, channel=channel, now=NOW, subject=subject))
    assert a.lang in LANGS and isinstance(a.understood, bool)
    if a.slots.ip is not None:
        assert parse_ip(a.slots.ip) == a.slots.ip, "a found IP parses back to itself"
    if a.slots.order is not None:
        assert a.slots.order.isdigit()
    if a.slots.start_time is not None:
        assert a.slots.start_time.tzinfo is not None, "times are aware"


@FUZZ
@given(text=st.one_of(texts, mixed))
def test_quote_stripping_only_removes(text: str) -> None:
    cleaned = within(LIMIT, lambda: strip_quoted(text))
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    assert len(cleaned) <= len(normalized)
    assert all(line.strip() in normalized for line in cleaned.split("\n")), "nothing invented"


@FUZZ
@given(text=st.one_of(texts, mixed), lang=st.sampled_from(LANGS + (None,)))
def test_slot_parsers_never_crash(text: str, lang: str | None) -> None:
    ip = within(LIMIT, lambda: parse_ip(text))
    assert ip is None or ip in text or ip.lower() in text.lower() or ":" in ip
    order = within(LIMIT, lambda: parse_order(text))
    assert order is None or order.isdigit()
    within(LIMIT, lambda: parse_service(text, ["Cloud VPS S", text[:30]]))
    start = within(LIMIT, lambda: parse_start_time(text, NOW, lang=lang))
    assert start is None or start.tzinfo is not None
