"""bench/chat_load.py still runs end to end and reports what docs/benchmarks.md reads off it: a tiny
run (a few visitors, seconds per phase) against the real echo and chatbot servers on PostgreSQL.
Its figures are not checked against any target: speed is measured by the benchmark, not by tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.scale.cluster import REPO


def test_a_tiny_run_reports_both_servers_round_by_round(pg_database: str, tmp_path: Path) -> None:
    # (pg_database: PostgreSQL is there, or the test fails under CI; the run makes a database of its own)
    out = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "chat_load.py"), "--visitors", "12", "--workers", "1",
         "--rate", "4", "--duration", "1", "--warmup", "0", "--saturate", "1", "--rounds", "2",
         "--concurrency", "4", "--json", str(out)],
        check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    report = json.loads(out.read_text())

    for name in ("echo", "chatbot"):
        target = report[name]
        assert target["connected"] == 12 and target["connect_errors"] == 0
        saturate = target["saturate"]
        assert saturate["rounds"] == 2 and len(saturate["per_round"]) == 2 and saturate["errors"] == 0
        assert saturate["turns"] > 0 and all(r["turns_per_second"] > 0 for r in saturate["per_round"])
    assert report["chatbot"]["sustain"]["errors"] == 0
    assert report["chatbot"]["sustain"]["answered"] == report["chatbot"]["sustain"]["sent"] == 4
    ratios = report["ratio_to_echo_per_round"]
    assert len(ratios) == 2 and all(r > 0 for r in ratios)
    assert report["ratio_to_echo"] == round(
        report["chatbot"]["saturate"]["turns_per_second"] / report["echo"]["saturate"]["turns_per_second"], 3)
    assert "ratio of saturation throughput to the bare echo" in run.stdout
