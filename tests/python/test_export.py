"""The alert export (chs.export, scripts/export_alerts.py) on a hand-made alerts mart.

tests/python/test_pipeline.py runs it on a real build; these cases are fast and pin the
details: the look-back window, the ledger that makes reruns send nothing twice, and one-line
errors for a missing warehouse or mart.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from chs.errors import UserError
from chs.export import export_alerts

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NOW = datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)
LATER = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def _warehouse(path: Path, rows: list[tuple[str, date, str, str]]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_customer_health_alerts"
            " (alert_id varchar, week_start date, customer_id varchar, rule_key varchar)"
        )
        con.executemany("insert into marts.fct_customer_health_alerts values (?, ?, ?, ?)", rows)
    return path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return _warehouse(
        tmp_path / "warehouse.duckdb",
        [
            ("a1", date(2026, 1, 5), "C0000001", "score_drop"),
            ("a2", date(2026, 2, 16), "C0000002", "low_band"),
            ("a3", date(2026, 2, 23), "C0000001", "low_band"),
            ("a4", date(2026, 2, 23), "C0000003", "payment_failures"),
        ],
    )


def test_exports_the_latest_weeks_once(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    first = export_alerts(database, out, lookback_weeks=2, now=NOW)
    assert [r["alert_id"] for r in first] == ["a2", "a3", "a4"]
    assert first[0]["week_start"] == "2026-02-16"
    assert first[0]["exported_at"] == "2026-03-02T08:30:15+00:00"
    older = {
        "alert_id": "a1",
        "week_start": "2026-01-05",
        "customer_id": "C0000001",
        "rule_key": "score_drop",
        "exported_at": "2026-03-09T08:00:00+00:00",
    }
    assert export_alerts(database, out, lookback_weeks=52, now=LATER) == [older]
    assert export_alerts(database, out, lookback_weeks=52, now=LATER) == []
    lines = (out / "alerts-20260302T083015Z.jsonl").read_text().splitlines()
    assert [json.loads(line)["alert_id"] for line in lines] == ["a2", "a3", "a4"]
    with (out / "alerts-20260309T080000Z.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle)) == [older]
    with (out / "exported_alerts.csv").open(newline="") as handle:
        ledger = list(csv.DictReader(handle))
    assert [(row["alert_id"], row["file"]) for row in ledger] == [
        ("a2", "alerts-20260302T083015Z"),
        ("a3", "alerts-20260302T083015Z"),
        ("a4", "alerts-20260302T083015Z"),
        ("a1", "alerts-20260309T080000Z"),
    ]
    assert not list(out.glob("*.partial"))


def test_user_errors(database: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="warehouse not found"):
        export_alerts(tmp_path / "missing.duckdb", tmp_path)
    with pytest.raises(UserError, match="at least 1"):
        export_alerts(database, tmp_path, lookback_weeks=0)
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(UserError, match="no alerts mart"):
        export_alerts(tmp_path / "empty.duckdb", tmp_path)


def test_cli_prints_one_line(database: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(SCRIPTS / "export_alerts.py"), *args, "--out-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )

    res = run("--database", str(database))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("exported 3 new alerts")  # the default look-back: 4 weeks
    assert run("--database", str(database)).stdout.strip() == "no new alerts to export"
    res = run("--database", str(tmp_path / "missing.duckdb"))
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'missing.duckdb'}: warehouse not found (run the pipeline first)"
    ]
