"""Hostile customer-import files: any bytes are either read or refused with a sentence; hostile rows
are stored verbatim or rejected one by one — never a crash, never a half-imported row."""
from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from chatbot.customers_import import ImportFileError, Progress, import_records, read_file
from chatbot.models import Customer
from tests.hardening.conftest import within

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
HEADER = b"external_id,name,email,lang,order_number,service_name,ips\n"


@FUZZ
@given(body=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)),
       fmt=st.sampled_from(["csv", "json"]), header=st.booleans())
def test_any_file_is_read_or_refused_with_a_reason(tmp_path_factory, body: bytes, fmt: str, header: bool) -> None:
    path = Path(tmp_path_factory.mktemp("imp")) / f"customers.{fmt}"
    path.write_bytes((HEADER if header and fmt == "csv" else b"") + body)
    try:
        rows = within(10, lambda: read_file(path, fmt, 1_000_000))
    except ImportFileError as exc:
        assert str(exc), "a refusal says why"
        return
    assert isinstance(rows, list)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(HEADER + b"x" * 5000)
    try:
        read_file(path, "csv", 1000)
    except ImportFileError as exc:
        assert "limit" in str(exc)
    else:
        raise AssertionError("a file over the limit was read")


HOSTILE = ["'; DROP TABLE customers; --", "Robert\x00Tables", "<script>alert(1)</script>", "a" * 5000,
           "line\r\nBcc: x@example.com", "\u202egnp.exe", "", None, 12, ["list"], {"nested": "obj"}]


async def test_hostile_rows_are_stored_verbatim_or_rejected_alone(sessions, tmp_path: Path) -> None:
    rows = []
    for i, value in enumerate(HOSTILE):
        rows.append({"external_id": f"X{i}", "name": value, "email": f"user{i}@example.com"})
        rows.append({"external_id": value, "name": "Someone", "email": f"other{i}@example.com"})
        rows.append({"external_id": f"Y{i}", "name": "Someone", "email": value})
    path = tmp_path / "hostile.jsonl"  # one row per line: a reported error names its row
    path.write_text("\n".join(json.dumps(r) for r in rows))
    report = await import_records(sessions, read_file(path, "json", 10_000_000), Progress(0, io.StringIO()))
    async with sessions() as s:
        stored = {c.email: c for c in (await s.scalars(select(Customer))).all()}
    rejected = {line for line, _ in report.errors}
    assert report.records == len(rows)
    for line, row in enumerate(rows, 1):
        email = row["email"].lower() if isinstance(row["email"], str) else None
        assert (line in rejected) != (email in stored), f"row {line} {row!r}: stored exactly or reported"
        if email in stored:
            c = stored[email]
            assert "\x00" not in c.name + c.external_id, "PostgreSQL and SQLite keep the same text"
    assert "'; DROP TABLE customers; --" in {c.name for c in stored.values()}, "SQL text is data"
