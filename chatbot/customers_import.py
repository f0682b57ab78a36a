"""`chatbot customers import FILE`: the client area's export into the registry, from CSV or JSON.

CSV (UTF-8, with or without BOM; ``,`` or ``;`` as spreadsheets in French, German or Polish write it):
one row per service with the customer's columns repeated, or a row without service columns for a
customer without services::

    external_id,name,email,lang,notify_invoices,notify_support,notify_abuse,order_number,service_name,ips
    C1001,Camille Dubois,camille@example.fr,fr,,ops@example.fr,,3392017,Cloud VPS S,51.210.14.7

JSON: an array of customers, or one customer per line (JSON Lines)::

    {"external_id": "C1001", "name": "…", "email": "…", "lang": "fr", "notify_support": "…",
     "services": [{"order_number": "3392017", "name": "Cloud VPS S", "ips": ["51.210.14.7"]}]}

Each record is validated on its own: a bad one is reported with its line and the reason, and
skipped; the others are imported. Records are committed in batches; if a batch meets a conflict
made meanwhile by someone else, it is replayed one record at a time so that only the conflicting
record is lost. Large files show a progress bar on stderr.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.customers import CustomerRecord, RowError, Tally, customer_record, upsert
from chatbot.db import create_engine, session_factory
from chatbot.settings import Settings

CUSTOMER_COLUMNS = ("external_id", "name", "email", "lang", "notify_invoices", "notify_support", "notify_abuse")
SERVICE_COLUMNS = ("order_number", "service_name", "ips")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
BATCH = 200
PROGRESS_FROM = 1000  # records: smaller files are done before a bar would be read

Raw = tuple[int, Any, Any]  # line, the customer's fields, its services


class ImportFileError(Exception):
    """The file as a whole cannot be read (size, encoding, header, JSON syntax)."""


@dataclass
class Report:
    records: int = 0
    tally: Tally = field(default_factory=Tally)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_file(path: Path, fmt: str | None, max_bytes: int) -> list[Raw]:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFileError(f"{path} is {size:,} bytes, more than the limit of {max_bytes:,} "
                                  f"(--max-bytes); split it into several files")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    fmt = fmt or ("json" if path.suffix.lower() in (".json", ".jsonl", ".ndjson") else "csv")
    return list(_json_records(text) if fmt == "json" else _csv_records(text))


def _csv_records(text: str) -> Iterator[Raw]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in CUSTOMER_COLUMNS + SERVICE_COLUMNS]
    if unknown or "email" not in header:
        raise ImportFileError(f"line 1: the header must name the columns {', '.join(CUSTOMER_COLUMNS + SERVICE_COLUMNS)}"
                              f" (email is required){'; unknown: ' + ', '.join(unknown) if unknown else ''}")
    reader.fieldnames = header
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        if None in row:
            yield start, {"__error__": "more cells than columns"}, []
            continue
        values = {k: (v or "").strip() for k, v in row.items()}
        if not any(values.values()):
            continue  # a blank line in a spreadsheet export
        service = {"order_number": values.get("order_number"), "name": values.get("service_name"),
                   "ips": values.get("ips")}
        yield start, {k: values.get(k) or None for k in CUSTOMER_COLUMNS}, [service] if any(service.values()) else []


def _json_records(text: str) -> Iterator[Raw]:
    decoder = json.JSONDecoder()
    body = text.lstrip()
    pos = len(text) - len(body)
    if not body.startswith("["):  # JSON Lines
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield _json_item(number, json.loads(line))
                except json.JSONDecodeError as exc:
                    yield number, {"__error__": f"not valid JSON: {exc.msg}"}, []
        return
    items: list[Raw] = []
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise ImportFileError("the JSON array is not closed")
        if text[pos] == "]":
            break
        starts_on = text.count("\n", 0, pos) + 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
        items.append(_json_item(starts_on, item))
    yield from items


def _json_item(line: int, item: Any) -> Raw:
    if not isinstance(item, dict):
        return line, {"__error__": "each customer must be a JSON object"}, []
    services = item.get("services") or []
    if not isinstance(services, list) or not all(isinstance(s, dict) for s in services):
        return line, {"__error__": "services must be a list of objects"}, []
    unknown = set(item) - set(CUSTOMER_COLUMNS) - {"services"}
    if unknown:
        return line, {"__error__": f"unknown field(s): {', '.join(sorted(unknown))}"}, []
    return line, item, services


class Progress:
    """A bar on a terminal, a line every 10 % in a log; nothing for a small file."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done, self._shown = total, stream, 0, -1
        self.active = total >= PROGRESS_FROM
        self.tty = stream.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.active:
            return
        percent = self.done * 100 // self.total
        if percent == self._shown or (not self.tty and percent % 10):
            return
        self._shown = percent
        if self.tty:
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            self.stream.write(f"\rimporting [{bar}] {percent:3d}% {self.done}/{self.total}")
        else:
            self.stream.write(f"importing: {percent}% ({self.done}/{self.total})\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.active and self.tty:
            self.stream.write("\n")


async def import_records(sessions: async_sessionmaker[AsyncSession], raws: list[Raw],
                         progress: Progress) -> Report:
    report = Report(records=len(raws))
    batch: list[tuple[int, CustomerRecord]] = []
    async with sessions() as s:
        for line, raw, services in raws:
            try:
                if "__error__" in raw:
                    raise RowError(raw["__error__"])
                batch.append((line, customer_record(raw, services)))
            except RowError as exc:
                report.errors.append((line, str(exc)))
            if len(batch) >= BATCH:
                await _commit_batch(s, batch, report)
                batch = []
            progress.step()
        await _commit_batch(s, batch, report)
    progress.finish()
    report.errors.sort()
    return report


async def _commit_batch(s: AsyncSession, batch: list[tuple[int, CustomerRecord]], report: Report) -> None:
    before, errors_before = replace(report.tally), len(report.errors)
    try:
        for line, rec in batch:
            try:
                await upsert(s, rec, report.tally)
            except RowError as exc:
                report.errors.append((line, str(exc)))
        await s.commit()
        return
    except (IntegrityError, DBAPIError):
        await s.rollback()
    report.tally, report.errors[errors_before:] = before, []
    for line, rec in batch:  # replay alone, so that only the conflicting record is lost
        try:
            await upsert(s, rec, report.tally)
            await s.commit()
        except RowError as exc:
            report.errors.append((line, str(exc)))
        except (IntegrityError, DBAPIError) as exc:
            await s.rollback()
            report.errors.append((line, f"conflicts with a change made meanwhile ({type(exc.orig).__name__})"))


def summary(path: Path, report: Report) -> str:
    t = report.tally
    imported = report.records - len(report.errors)
    return (f"{path.name}: {report.records} records read, {imported} imported, {len(report.errors)} skipped\n"
            f"customers: {t.customers_created} created, {t.customers_updated} updated; "
            f"services: {t.services_created} created, {t.services_updated} updated; "
            f"{t.unchanged} records unchanged")


def register(sub: Any) -> None:
    """``chatbot customers import FILE`` (called by chatbot/cli.py)."""
    customers = sub.add_parser("customers", help="the customer registry")
    commands = customers.add_subparsers(dest="customers_command", required=True)
    imp = commands.add_parser("import", help="add or update customers and services from a CSV or JSON file")
    imp.add_argument("file")
    imp.add_argument("--format", choices=("csv", "json"), help="default: from the file name (.json/.jsonl: json)")
    imp.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files (50 MB)")
    imp.set_defaults(run=_run)


def _run(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status: 0 all imported, 1 some records skipped, 2 the file or the database is unusable."""
    path = Path(args.file)
    try:
        raws = read_file(path, args.format, args.max_bytes)
    except ImportFileError as exc:
        print(f"chatbot: {path}: {exc}", file=sys.stderr)
        return 2

    async def run() -> Report:
        engine = create_engine(settings.database_url)
        try:
            return await import_records(session_factory(engine), raws, Progress(len(raws), sys.stderr))
        finally:
            await engine.dispose()

    try:
        report = asyncio.run(run())
    except DBAPIError as exc:
        print(f"chatbot: database error ({type(exc.orig).__name__}); is it migrated (chatbot db upgrade)?",
              file=sys.stderr)
        return 2
    for line, reason in report.errors:
        print(f"{path}:{line}: {reason}", file=sys.stderr)
    print(summary(path, report))
    return 1 if report.errors else 0
