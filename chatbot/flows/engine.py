"""The slot-filling engine. A flow is data: the slots it needs, how to read each one from what the
customer writes, and the question that asks for it. The engine never knows about channels: the
channel only says how many questions fit in one reply (chat: one, email: all)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Sequence

# A parser reads slot values from free text; it returns only what it found.
Parser = Callable[[str, "ParseContext"], dict[str, Any]]


@dataclass(frozen=True)
class ParseContext:
    now: datetime
    known_services: Sequence[str] = ()


@dataclass(frozen=True)
class Slot:
    name: str
    keys: tuple[str, ...]  # the slot is filled when any of these values is known
    parser: Parser
    prompt: str  # message id of the question
    validator: Callable[[dict[str, Any]], bool] = lambda values: True
    # An optional detail never holds the flow open: it is asked once, and only by a channel that
    # asks everything in one reply (email), where one more line costs the customer nothing.
    optional: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    slots: tuple[Slot, ...]
    completed: str  # message id said when every slot is filled or skipped


@dataclass
class FlowState:
    """Stored in the conversation: which flow runs, what is known, what the customer could not give."""

    flow: str | None = None
    values: dict[str, Any] | None = None
    skipped: list[str] | None = None
    asked: list[str] | None = None  # the slots the last reply asked for

    @classmethod
    def load(cls, raw: dict[str, Any]) -> FlowState:
        return cls(
            raw.get("flow"),
            dict(raw.get("values") or {}),
            list(raw.get("skipped") or []),
            list(raw.get("asked") or []),
        )

    def dump(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "values": self.values or {},
            "skipped": self.skipped or [],
            "asked": self.asked or [],
        }

    def skip_asked(self) -> None:
        """The customer cannot give what was asked: do not ask it again."""
        self.skipped = sorted(set(self.skipped or []) | set(self.asked or []))


def is_filled(slot: Slot, values: dict[str, Any]) -> bool:
    return any(values.get(k) not in (None, "") for k in slot.keys) and slot.validator(values)


def missing(flow: Flow, state: FlowState, *, optional: bool = False) -> list[Slot]:
    """The required slots still unknown (and, with ``optional``, the optional ones not yet asked)."""
    values, skipped = state.values or {}, set(state.skipped or [])
    return [s for s in flow.slots
            if not is_filled(s, values) and s.name not in skipped and (optional or not s.optional)]


def fill(flow: Flow, state: FlowState, text: str, ctx: ParseContext, found: dict[str, Any]) -> list[str]:
    """Merge values found in ``text`` into the state; later values correct earlier ones.

    ``found`` holds what the understanding step already extracted from the whole message; each
    slot's own parser then reads the text too, so a bare answer ("9h ce matin") is understood.
    Returns the names of the keys that changed.
    """
    values = state.values if state.values is not None else {}
    changed: list[str] = []
    for slot in flow.slots:
        parsed = {k: v for k, v in found.items() if k in slot.keys and v not in (None, "")}
        if not parsed:
            parsed = {k: v for k, v in slot.parser(text, ctx).items() if v not in (None, "")}
        for key, value in parsed.items():
            if values.get(key) != value:
                values[key] = value
                changed.append(key)
    state.values = values
    return changed


def next_questions(flow: Flow, state: FlowState, limit: int | None) -> list[Slot]:
    """What to ask now: one required slot at a time, or (limit None) everything still unknown."""
    if limit is not None:
        return missing(flow, state)[:limit]
    pending = missing(flow, state, optional=True)
    return pending if any(not s.optional for s in pending) else []


def mark_asked(state: FlowState, slots: list[Slot]) -> None:
    state.asked = [s.name for s in slots]
    # an optional detail is asked once: the answer, if any, is taken whenever it comes
    state.skipped = sorted(set(state.skipped or []) | {s.name for s in slots if s.optional})
