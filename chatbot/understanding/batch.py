"""`chatbot analyze` and `chatbot score`: the analyser over JSON lines, and its accuracy on a labelled file.

Comparison rules are those of intake-labels.md: service case-insensitive after collapsing spaces,
IPs normalised, start times as instants to the minute. A slot's accuracy is counted over the
messages where the label or the analyser has that slot (a message where both agree it is absent
says nothing about the slot parser, and would flatter the figure).
"""
from __future__ import annotations

import ipaddress
import json
from datetime import datetime, timezone
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from .analyzer import Analyzer, to_label
from .language import SUPPORTED

FIELDS = ("lang", "intent", "department", "team", "priority")
SLOTS = ("ip", "order", "service", "start_time")
_PARIS = ZoneInfo("Europe/Paris")


def _now(value: Any) -> datetime:
    if value is None:
        return datetime.now(_PARIS)
    if not isinstance(value, str):
        raise ValueError("'now' must be an ISO-8601 string")
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'now' is not an ISO-8601 date and time: {value!r}") from None
    if now.tzinfo is None:
        raise ValueError("'now' must carry a UTC offset")
    return now


def _analyze_record(record: Any, analyzer: Analyzer) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ValueError("a line must be a JSON object")
    text, channel, subject = record.get("text"), record.get("channel", "chat"), record.get("subject")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if channel not in ("chat", "email"):
        raise ValueError("'channel' must be 'chat' or 'email'")
    if subject is not None and not isinstance(subject, str):
        raise ValueError("'subject' must be a string")
    analysis = analyzer.analyze(text, channel=channel, now=_now(record.get("now")), subject=subject)
    label = to_label(analysis)
    return {"id": record["id"], **label} if "id" in record else label


def analyze_stream(inp: TextIO, out: TextIO, analyzer: Analyzer) -> int:
    """One output line per non-blank input line; a bad line gives {"error": ...} and the rest goes on."""
    count = 0
    for number, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        try:
            result = _analyze_record(json.loads(line), analyzer)
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            result = {"error": f"line {number}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
    out.flush()
    return count


def _same_slot(name: str, expected: str | None, got: str | None) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if name == "service":
        return " ".join(expected.lower().split()) == " ".join(got.lower().split())
    if name == "ip":
        try:
            return ipaddress.ip_address(expected) == ipaddress.ip_address(got)
        except ValueError:
            return False
    if name == "start_time":
        a, b = datetime.fromisoformat(expected), datetime.fromisoformat(got)
        return a.astimezone(timezone.utc).replace(second=0, microsecond=0) == \
            b.astimezone(timezone.utc).replace(second=0, microsecond=0)
    return expected == got


def compare(expect: dict[str, Any], got: dict[str, Any]) -> dict[str, bool | None]:
    """Per field: right (True), wrong (False), or not applicable (None: a slot neither side has)."""
    result: dict[str, bool | None] = {f: expect.get(f) == got.get(f) for f in FIELDS}
    for name in SLOTS:
        e, g = expect.get("slots", {}).get(name), got.get("slots", {}).get(name)
        result[name] = None if e is None and g is None else _same_slot(name, e, g)
    return result


def score_file(path: str, out: TextIO, analyzer: Analyzer, *, show_errors: bool = False) -> dict[str, Any]:
    """Print per-language and overall accuracy of every field and slot; return the same numbers."""
    tallies: dict[str, dict[str, list[int]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            got = _analyze_record(record, analyzer)
            verdict = compare(record["expect"], got)
            for group in (record["expect"]["lang"], "all"):
                table = tallies.setdefault(group, {k: [0, 0] for k in FIELDS + SLOTS})
                for key, ok in verdict.items():
                    if ok is not None:
                        table[key][0] += int(ok)
                        table[key][1] += 1
            wrong = [k for k, ok in verdict.items() if ok is False]
            if show_errors and wrong:
                out.write(f"# {record.get('id')}: {', '.join(wrong)}: expected "
                          f"{json.dumps({k: record['expect'].get(k, record['expect']['slots'].get(k)) for k in wrong}, ensure_ascii=False)}"
                          f" got {json.dumps({k: got.get(k, got['slots'].get(k)) for k in wrong}, ensure_ascii=False)}\n")
    groups = [g for g in SUPPORTED if g in tallies] + ["all"]
    numbers: dict[str, Any] = {}
    out.write(f"{'':5}" + "".join(f"{k:>12}" for k in FIELDS + SLOTS) + "\n")
    for group in groups:
        row = {k: (c / n if n else None, c, n) for k, (c, n) in tallies.get(group, {}).items()}
        numbers[group] = {k: {"accuracy": acc, "correct": c, "total": n} for k, (acc, c, n) in row.items()}
        cells = "".join(f"{'-' if acc is None else f'{acc * 100:.1f}%'}{f' ({n})' if k in SLOTS else '':>0}".rjust(12)
                        for k, (acc, c, n) in row.items())
        out.write(f"{group:5}{cells}\n")
    return numbers
