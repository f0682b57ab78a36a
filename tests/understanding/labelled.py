"""The labelled messages of tests/data/*.jsonl, read once: the real texts on which the tests compare
the understanding's fast paths with the plain ones they replace."""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"


@functools.cache
def records() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(line) for path in sorted(DATA.glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def texts() -> list[str]:
    return [record["text"] for record in records()]
