"""`chatbot customers import`: bad records are reported with their line and skipped, the rest is
imported, a second run changes nothing, and nobody's order, IP or address is taken over."""
from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chatbot import customers_import
from chatbot.cli import main
from chatbot.customers_import import ImportFileError, Progress, import_records, read_file
from chatbot.db import create_engine, session_factory
from chatbot.models import Customer, Service

HEADER = "external_id,name,email,lang,notify_invoices,notify_support,notify_abuse,order_number,service_name,ips\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


async def run_import(sessions: Any, path: Path) -> customers_import.Report:
    raws = read_file(path, None, customers_import.DEFAULT_MAX_BYTES)
    return await import_records(sessions, raws, Progress(len(raws), io.StringIO()))


async def snapshot(sessions: Any) -> list[tuple[Any, ...]]:
    async with sessions() as db:
        rows = (await db.execute(select(Customer.external_id, Customer.name, Customer.email, Customer.lang,
                                        Customer.notify_support, Service.order_number, Service.name, Service.ips)
                                 .outerjoin(Service, Service.customer_id == Customer.id)
                                 .order_by(Customer.external_id, Service.order_number))).all()
    return [tuple(r) for r in rows]


async def test_bad_records_are_reported_with_their_line_and_the_rest_is_imported(sessions, tmp_path) -> None:
    path = write(tmp_path, "export.csv", HEADER + (
        "C2001,Anna Nowak,Anna.Nowak@Example.PL,pl,,ops@example.pl,,100001,VPS SSD-2,203.0.113.5 2001:DB8::1\n"
        "C2001,Anna Nowak,anna.nowak@example.pl,pl,,,,100002,Cloud VPS S,\n"
        "C2002,Bob,bob@,en,,,,,,\n"
        "C2003,Carla,carla@example.es,it,,,,,,\n"
        "C2004,Dan,dan@example.com,en,,,,100003,VPS,300.1.2.3\n"
        "C2005,Eve,eve@example.com,en,,,,abc,VPS,\n"
        "\n"
        "C2006,Finn,finn@example.com,en,,,,,,\n"))
    report = await run_import(sessions, path)
    assert report.errors == [
        (4, "email is not a valid email address: 'bob@'"),
        (5, "lang must be one of fr, pl, es, de, en"),
        (6, "not a valid IP address: '300.1.2.3'"),
        (7, "order_number must be digits (like 123456 or #123456), got 'abc'"),
    ]
    async with sessions() as db:
        anna = await db.scalar(select(Customer).where(Customer.external_id == "C2001"))
        finn = await db.scalar(select(Customer).where(Customer.external_id == "C2006"))
        assert await db.scalar(select(Customer).where(Customer.external_id == "C2002")) is None
    assert anna.email == "anna.nowak@example.pl" and anna.notify_support == "ops@example.pl" and anna.lang == "pl"
    assert {(s.order_number, s.name, tuple(s.ips)) for s in anna.services} == {
        ("100001", "VPS SSD-2", ("203.0.113.5", "2001:db8::1")), ("100002", "Cloud VPS S", ())}
    assert finn is not None and finn.services == []


async def test_importing_the_same_file_twice_changes_nothing(sessions, tmp_path) -> None:
    records = [
        {"external_id": "J1", "name": "Jo Smith", "email": "jo@example.com", "lang": "en",
         "notify_invoices": "accounts@example.com",
         "services": [{"order_number": "#200001", "name": "Dedicated E-2236", "ips": ["198.51.100.7"]}]},
        {"external_id": "J2", "name": "Kasia", "email": "kasia@example.pl", "services": []},
    ]
    path = write(tmp_path, "export.json", json.dumps(records, indent=2))
    first = await run_import(sessions, path)
    assert first.errors == [] and first.tally.customers_created == 2 and first.tally.services_created == 1
    before = await snapshot(sessions)
    second = await run_import(sessions, path)
    assert second.errors == [] and second.tally.unchanged == 2
    assert (second.tally.customers_created, second.tally.customers_updated, second.tally.services_created,
            second.tally.services_updated) == (0, 0, 0, 0)
    assert await snapshot(sessions) == before


async def test_nobody_takes_over_another_customers_order_ip_or_address(sessions, tmp_path) -> None:
    before = await snapshot(sessions)  # the demo customers
    path = write(tmp_path, "export.jsonl", "\n".join(json.dumps(r) for r in [
        {"external_id": "X1", "name": "Mallory", "email": "mallory@example.com",
         "services": [{"order_number": "3392017", "name": "Cloud VPS S"}]},  # Camille's order
        {"external_id": "X2", "name": "Mallory", "email": "mallory2@example.com",
         "services": [{"order_number": "999001", "name": "VPS", "ips": ["51.210.14.7"]}]},  # Camille's IP
        {"external_id": "X3", "name": "Mallory", "email": "mallory3@example.com",
         "notify_support": "camille.dubois@example.fr"},  # Camille's registered address
        {"external_id": "X4", "name": "Mallory", "email": "marek@kowalski-it.example.pl"},  # Marek's
        {"name": "Camille D.", "email": "camille.dubois@example.fr"},  # by email: an update is fine
    ]))
    report = await run_import(sessions, path)
    assert report.errors == [
        (1, "order 3392017 belongs to another customer (C1001)"),
        (2, "IP 51.210.14.7 is already on order 3392017 of another customer"),
        (3, "address camille.dubois@example.fr already belongs to customer C1001"),
        (4, "email marek@kowalski-it.example.pl is already registered to customer C1002"),
    ]
    after = await snapshot(sessions)
    assert next(r for r in after if r[0] == "C1001")[1] == "Camille D."
    assert [r[:1] + r[2:] for r in after] == [r[:1] + r[2:] for r in before], "nothing else moved"


async def test_spreadsheet_csv_with_semicolons_a_bom_and_a_cell_on_two_lines(sessions, tmp_path) -> None:
    text = HEADER.replace(",", ";") + 'C3001;"Zoë\nMüller";zoe@example.de;de;;;;;;\nC3002;Ünal;unal@example.de;de-DE;;;;;;\n'
    report = await run_import(sessions, write(tmp_path, "excel.csv", text, encoding="utf-8-sig"))
    assert report.errors == [(2, "name contains control characters")]
    async with sessions() as db:
        unal = await db.scalar(select(Customer).where(Customer.external_id == "C3002"))
    assert unal.name == "Ünal" and unal.lang == "de"


def test_unusable_files_are_refused_as_a_whole(tmp_path) -> None:
    with pytest.raises(ImportFileError, match="more than the limit"):
        read_file(write(tmp_path, "big.csv", HEADER + "x" * 2000), None, 1000)
    with pytest.raises(ImportFileError, match="unknown: colour"):
        read_file(write(tmp_path, "cols.csv", "email,colour\na@example.com,red\n"), None, 10**6)
    with pytest.raises(ImportFileError, match="line 3: not valid JSON"):
        read_file(write(tmp_path, "bad.json", '[\n {"email": "a@example.com"},\n {"email": }\n]'), None, 10**6)
    (tmp_path / "latin1.csv").write_bytes(HEADER.encode() + "C1,Zo\xeb,z@example.com\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_file(tmp_path / "latin1.csv", None, 10**6)


def test_the_command_shows_progress_reports_bad_lines_and_exits_non_zero(
        database_url, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHATBOT_DATABASE_URL", database_url)
    monkeypatch.setattr(customers_import, "PROGRESS_FROM", 20)  # "large" for this test
    rows = [f"P{i:04d},Customer {i},c{i}@example.com,en,,,,{300000 + i},VPS,\n" for i in range(40)]
    rows[9] = "P0009,Customer 9,not-an-address,en,,,,,,\n"
    path = write(tmp_path, "big.csv", HEADER + "".join(rows))
    assert main(["customers", "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "big.csv: 40 records read, 39 imported, 1 skipped" in out
    assert f"{path}:11: email is not a valid email address: 'not-an-address'" in err
    assert [line for line in err.splitlines() if line.startswith("importing:")][-1] == "importing: 100% (40/40)"
    assert main(["customers", "import", str(path)]) == 1, "the same bad line again"
    assert "39 records unchanged" in capsys.readouterr().out

    async def count() -> int:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as db:
                return len((await db.scalars(select(Service).where(Service.order_number.like("3%")))).all())
        finally:
            await engine.dispose()
    assert asyncio.run(count()) == 39
    assert main(["customers", "import", str(tmp_path / "missing.csv")]) == 2
