"""The alert export (chs.export, scripts/export_alerts.py) on a hand-made alerts mart.

tests/python/test_pipeline.py runs it on a real build; these cases are fast and pin the
details: the look-back window, records that stand on their own (message, event date, ARR at
risk or ARR opportunity), the ledger that makes reruns send nothing twice and names the
release, reading the publication rather than the build, and one-line errors for a missing
publication, warehouse or mart, for a mart without the alerts' words, and for a warehouse
another process holds open.
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
from chs.export import LEDGER_FIELDS, export_alerts, published_database
from chs.publish import publish
from duckdb_holder import held_open

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NOW = datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)
LATER = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


COLUMNS = (
    "alert_id varchar, week_start date, customer_id varchar, rule_key varchar,"
    " alert_message varchar, event_date date, arr_at_risk double, arr_opportunity double"
)
ALERT_ROWS = [
    # A payment that failed weeks before the export: the record names its date.
    (
        "a1",
        date(2026, 1, 5),
        "C0000001",
        "payment_failed",
        "A payment of EUR 240 failed on 2026-01-07",
        date(2026, 1, 7),
        2400.0,
        None,
    ),
    (
        "a2",
        date(2026, 2, 16),
        "C0000002",
        "entered_red",
        "Entered the red band in the week to 2026-02-22 with a score of 36.4 (red: below 40);"
        " yellow the week before",
        date(2026, 2, 22),
        1200.0,
        None,
    ),
    (
        "a3",
        date(2026, 2, 23),
        "C0000001",
        "nps_detractor",
        "NPS 3 on 2026-02-24 (detractor: 6 or lower)",
        date(2026, 2, 24),
        2400.0,
        None,
    ),
    # An opportunity: its ARR is arr_opportunity, not at risk.
    (
        "a4",
        date(2026, 2, 23),
        "C0000003",
        "expansion_ready",
        "Green and improving in the week to 2026-03-01, with 94 % of seats in use over 28 days"
        " (threshold 90 %)",
        date(2026, 3, 1),
        None,
        3600.0,
    ),
]


def _warehouse(path: Path, rows: list[tuple], columns: str = COLUMNS) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_customer_health_alerts ({columns})")
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into marts.fct_customer_health_alerts values ({marks})", rows)
    return path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return _warehouse(tmp_path / "warehouse.duckdb", ALERT_ROWS)


def _as_csv(record: dict) -> dict:
    """A record as csv.DictReader reads it back: text, None as the empty string."""
    return {key: "" if value is None else str(value) for key, value in record.items()}


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
        "rule_key": "payment_failed",
        "alert_message": "A payment of EUR 240 failed on 2026-01-07",
        "event_date": "2026-01-07",
        "arr_at_risk": 2400.0,
        "arr_opportunity": None,
        "exported_at": "2026-03-09T08:00:00+00:00",
    }
    assert export_alerts(database, out, lookback_weeks=52, now=LATER) == [older]
    assert export_alerts(database, out, lookback_weeks=52, now=LATER) == []
    lines = (out / "alerts-20260302T083015Z.jsonl").read_text().splitlines()
    assert [json.loads(line)["alert_id"] for line in lines] == ["a2", "a3", "a4"]
    with (out / "alerts-20260309T080000Z.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle)) == [_as_csv(older)]
    ledger = _ledger(out)
    assert [(row["alert_id"], row["file"]) for row in ledger] == [
        ("a2", "alerts-20260302T083015Z"),
        ("a3", "alerts-20260302T083015Z"),
        ("a4", "alerts-20260302T083015Z"),
        ("a1", "alerts-20260309T080000Z"),
    ]
    # A file that is no release: no release id, the file it was read from.
    assert {(row["release_id"], row["source"]) for row in ledger} == {("", str(database))}
    assert not list(out.glob("*.partial"))


def _ledger(out: Path) -> list[dict]:
    with (out / "exported_alerts.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == LEDGER_FIELDS
        return list(reader)


def test_records_stand_on_their_own(database: Path, tmp_path: Path) -> None:
    """Each record carries the alert in words and the date of its event, in JSON and CSV alike,
    and ARR either at risk or as an opportunity, never both."""
    out = tmp_path / "exports"
    records = export_alerts(database, out, lookback_weeks=2, now=NOW)
    (jsonl,) = out.glob("alerts-*.jsonl")
    (table,) = out.glob("alerts-*.csv")
    from_json = [json.loads(line) for line in jsonl.read_text().splitlines()]
    with table.open(newline="") as handle:
        from_csv = list(csv.DictReader(handle))
    assert from_json == records
    assert from_csv == [_as_csv(record) for record in records]
    assert [(r["event_date"], r["alert_message"]) for r in from_json] == [
        (str(row[5]), row[4]) for row in ALERT_ROWS[1:]
    ]
    assert [(r["arr_at_risk"], r["arr_opportunity"]) for r in from_json] == [
        (1200.0, None),
        (2400.0, None),
        (None, 3600.0),
    ]
    assert (from_csv[2]["arr_at_risk"], from_csv[2]["arr_opportunity"]) == ("", "3600.0")
    assert not any("this week" in r["alert_message"] for r in from_json)


def test_a_mart_without_the_alerts_words_is_refused(tmp_path: Path) -> None:
    """A release built before alerts carried their message and event date: its records would
    not stand on their own, so nothing is sent and the ledger stays untouched."""
    old = _warehouse(
        tmp_path / "old.duckdb",
        [("a1", date(2026, 2, 23), "C0000001", "payment_failed")],
        columns="alert_id varchar, week_start date, customer_id varchar, rule_key varchar",
    )
    out = tmp_path / "exports"
    with pytest.raises(UserError, match="has no alert_message, event_date: its alerts would not"):
        export_alerts(old, out, now=NOW)
    assert not out.exists()


def test_a_ledger_of_an_older_export_gets_the_new_columns(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    (out / "exported_alerts.csv").write_text(
        "alert_id,exported_at,file\r\na2,2026-02-23T08:00:00+00:00,alerts-20260223T080000Z\r\n"
    )
    assert [r["alert_id"] for r in export_alerts(database, out, lookback_weeks=2, now=NOW)] == [
        "a3",
        "a4",
    ]
    ledger = _ledger(out)
    assert [(row["alert_id"], row["file"], row["release_id"]) for row in ledger] == [
        ("a2", "alerts-20260223T080000Z", ""),
        ("a3", "alerts-20260302T083015Z", ""),
        ("a4", "alerts-20260302T083015Z", ""),
    ]
    assert ledger[0]["source"] == ""


def test_user_errors(database: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="warehouse not found"):
        export_alerts(tmp_path / "missing.duckdb", tmp_path)
    with pytest.raises(UserError, match="at least 1"):
        export_alerts(database, tmp_path, lookback_weeks=0)
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(UserError, match="no alerts mart"):
        export_alerts(tmp_path / "empty.duckdb", tmp_path)
    with pytest.raises(UserError, match="nothing published yet"):
        published_database(tmp_path / "serving")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "export_alerts.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_reads_the_publication_never_the_build(database: Path, tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    release = publish(database, serving, now=NOW)
    # A later build that failed validation: its new alert was never published.
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into marts.fct_customer_health_alerts values ('a5', '2026-03-02',"
            " 'C0000004', 'entered_red', 'Entered the red band in the week to 2026-03-08',"
            " '2026-03-08', 600, null)"
        )
    out = tmp_path / "exports"
    res = _run("--serving-dir", str(serving), "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout == (
        f"exported 3 new alerts of release {release.release_id}"  # default look-back: 4 weeks
        f" to {out}/alerts-*.csv and .jsonl\n"
    )
    assert res.stderr == ""
    served = str(serving.resolve() / "releases" / release.release_id / "customer_health.duckdb")
    assert [(r["alert_id"], r["release_id"], r["source"]) for r in _ledger(out)] == [
        ("a2", release.release_id, served),
        ("a3", release.release_id, served),
        ("a4", release.release_id, served),
    ]
    res = _run("--serving-dir", str(serving), "--out-dir", str(out))
    assert res.stdout == f"no new alerts to export (release {release.release_id})\n"

    # Only someone who names the build file gets its unpublished alert, with a note.
    res = _run("--database", str(database), "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"exported 1 new alerts of {database} to ")
    assert res.stderr == (
        f"note: {database} is not a published release; its alerts may never have been published\n"
    )
    last = _ledger(out)[-1]
    assert (last["alert_id"], last["release_id"], last["source"]) == (
        "a5",
        "",
        str(database.resolve()),
    )
    res = _run("--serving-dir", str(serving), "--database", str(database))
    assert res.returncode == 2  # one source or the other


def test_cli_errors_are_one_line(database: Path, tmp_path: Path) -> None:
    res = _run("--serving-dir", str(tmp_path / "serving"), "--out-dir", str(tmp_path))
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr.splitlines() == [
        f"error: {tmp_path / 'serving'}: nothing published yet: run the pipeline (make demo) first"
    ]
    res = _run("--database", str(tmp_path / "missing.duckdb"), "--out-dir", str(tmp_path))
    assert res.returncode == 1
    assert res.stderr.splitlines() == [
        f"error: {tmp_path / 'missing.duckdb'}: warehouse not found (run the pipeline first)"
    ]


def _assert_in_use(res: subprocess.CompletedProcess, path: Path, pid: int) -> None:
    """One line naming the file and the holder's pid (DuckDB names the program too)."""
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"error: {path} is in use by another process (PID {pid}, python")
    assert line.endswith("): close the other connection and rerun")


def test_a_warehouse_held_by_another_process_is_one_line(database: Path, tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    publish(database, serving, now=NOW)
    out = tmp_path / "exports"
    with held_open(database) as pid:
        _assert_in_use(_run("--database", str(database), "--out-dir", str(out)), database, pid)
        assert not out.exists()
        # The publication does not depend on the build file: the default export still works.
        res = _run("--serving-dir", str(serving), "--out-dir", str(out))
        assert res.returncode == 0, res.stderr
    # A client that opened the served file read-write (some SQL tools do by default).
    written = sorted(out.iterdir())
    served = (serving / "customer_health.duckdb").resolve()
    with held_open(served) as pid:
        _assert_in_use(_run("--serving-dir", str(serving), "--out-dir", str(out)), served, pid)
    assert sorted(out.iterdir()) == written
