"""Write-audit-publish with real processes: serving file readers, failed runs, SIGKILL.

A published release must be readable by a DuckDB 1.x client, must not block or be blocked by
a reader holding the previous release open, must survive failed and killed runs untouched,
and the same inputs must publish byte-identical Parquet marts.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from chs.dbt import copy_project
from chs.publish import publish

PROJECT = Path(__file__).resolve().parents[2]
SCRIPTS = PROJECT / "scripts"
READER_PYTHON = PROJECT / ".venv-reader" / "bin" / "python"

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("version", duckdb.__version__, flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    n = con.execute("select count(*) from marts.fct_customer_health_current").fetchone()[0]
    print("rows", n, flush=True)
    time.sleep(0.05)
print("done", flush=True)
"""


def _pipeline(root: Path, *extra: str, raw: Path | None = None) -> list[str]:
    command = [
        sys.executable,
        str(SCRIPTS / "run_pipeline.py"),
        "--raw-dir", str(raw or root / "raw"),
        "--truth-dir", str(root / "truth"),
        "--database", str(root / "build" / "warehouse.duckdb"),
        "--serving-dir", str(root / "serving"),
        "--report-dir", str(root / "validation"),
        "--work-dir", str(root),
        "--as-of", "2025-08-31",  # the generated data's --end, also for --skip-generate runs
        *extra,
    ]  # fmt: skip
    return command


GENERATE = ["--customers", "80", "--start", "2025-03-03", "--end", "2025-08-31", "--seed", "21"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    result = subprocess.run(_pipeline(root, *GENERATE), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def _release(serving: Path) -> dict:
    return json.loads((serving / "release.json").read_text())


def _clone(published: Path, destination: Path) -> Path:
    shutil.copytree(published, destination, symlinks=True)
    return destination


def test_serving_holds_only_the_marts_and_opens_in_duckdb_1x(published):
    serving = published / "serving"
    release = _release(serving)
    script = (
        "import json, sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'names = [r[0] for r in con.execute("select table_name from information_schema.tables"\n'
        "    \" where table_schema = 'marts'\").fetchall()]\n"
        "print(json.dumps({'version': duckdb.__version__, 'tables': {n: con.execute("
        "f'select count(*) from marts.{n}').fetchone()[0] for n in names}}))\n"
    )
    result = subprocess.run(
        [str(READER_PYTHON), "-c", script, str(serving / "customer_health.duckdb")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["version"].startswith("1.1.")
    assert seen["tables"] == release["tables"]
    assert "fct_customer_health_current" in seen["tables"]
    assert not any(name.startswith(("stg_", "base_", "int_")) for name in seen["tables"])
    # No PII: no column of any published table holds names or e-mail addresses.
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        columns = {r[0] for r in con.execute("select column_name from duckdb_columns()").fetchall()}
        assert not columns & {"contact_email", "customer_name"}
        for table in seen["tables"]:
            text_columns = [
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where table_name = ?"
                    " and data_type = 'VARCHAR'",
                    [table],
                ).fetchall()
            ]
            for column in text_columns:
                hits = con.execute(
                    f"select count(*) from marts.{table} where {column} like '%@%'"
                ).fetchone()[0]
                assert hits == 0, (table, column)
    for name, digest in release["sha256"].items():
        assert (serving / name).is_file(), name
        assert len(digest) == 64


def test_a_reader_holding_the_file_neither_blocks_nor_is_blocked(published, tmp_path):
    root = _clone(published, tmp_path / "clone")
    serving = root / "serving"
    before = _release(serving)["tables"]["fct_customer_health_current"]
    # A second build whose current mart differs, to see which release a reader gets.
    changed = root / "changed.duckdb"
    shutil.copy(root / "build" / "warehouse.duckdb", changed)
    with duckdb.connect(str(changed)) as con:
        con.execute(
            "delete from marts.fct_customer_health_current where customer_id in"
            " (select customer_id from marts.fct_customer_health_current order by 1 limit 5)"
        )
    reader = subprocess.Popen(
        [str(READER_PYTHON), "-c", READER, str(serving / "customer_health.duckdb"), "6"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().startswith("version 1.")
    assert reader.stdout.readline() == f"rows {before}\n"
    started = time.monotonic()
    release = publish(changed, serving)
    publish_seconds = time.monotonic() - started
    assert reader.poll() is None, "the reader should still be running during the publish"
    assert release.tables["fct_customer_health_current"] == before - 5
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        now = con.execute("select count(*) from marts.fct_customer_health_current").fetchone()[0]
    assert now == before - 5
    out, err = reader.communicate(timeout=30)
    assert reader.returncode == 0, err
    counts = {line for line in out.splitlines() if line.startswith("rows")}
    assert counts == {f"rows {before}"}  # the reader kept its release throughout
    assert out.endswith("done\n")
    assert publish_seconds < 60


def test_failed_runs_leave_the_publication_untouched(published, tmp_path):
    root = _clone(published, tmp_path / "clone")
    serving = root / "serving"
    before = _release(serving)

    # A required raw file goes missing: the loader refuses with one line.
    broken_raw = tmp_path / "raw"
    shutil.copytree(root / "raw", broken_raw)
    (broken_raw / "product" / "usage_events.parquet").unlink()
    result = subprocess.run(
        _pipeline(root, "--skip-generate", raw=broken_raw), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "product/usage_events.parquet: missing raw file" in result.stderr
    assert _release(serving) == before

    # The weights seed no longer sums to one: dbt's tests fail the build.
    project = copy_project(tmp_path / "project")
    weights = project / "seeds" / "indicator_weights.csv"
    with weights.open() as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["weight"] = str(float(rows[0]["weight"]) + 0.2)
    with weights.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = subprocess.run(
        _pipeline(root, "--skip-generate", "--project-dir", str(project)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "dbt build --full-refresh failed" in result.stderr
    assert _release(serving) == before
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_customer_health_weekly").fetchone()[0]


def test_killed_run_recovers_and_republishes_identical_marts(published, tmp_path):
    root = _clone(published, tmp_path / "clone")
    serving = root / "serving"
    before = _release(serving)
    process = subprocess.Popen(
        _pipeline(root, "--skip-generate"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    for line in process.stdout:
        if line.startswith("==> dbt build"):
            break
    time.sleep(3)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert _release(serving) == before
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_customer_health_current").fetchone()[0]

    rerun = subprocess.run(_pipeline(root, "--skip-generate"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    after = _release(serving)
    assert after["release_id"] != before["release_id"]
    assert after["tables"] == before["tables"]
    assert after["sha256"] == before["sha256"]  # byte-identical Parquet marts


def test_a_jump_in_the_marts_blocks_publication_until_accepted(published, tmp_path):
    root = _clone(published, tmp_path / "clone")
    serving = root / "serving"
    before = _release(serving)
    bigger = [*GENERATE]
    bigger[1] = "400"  # five times the customers of the published run
    result = subprocess.run(_pipeline(root, *bigger), capture_output=True, text=True)
    assert result.returncode == 1
    assert "marts.distribution_vs_previous" in result.stdout
    assert "--accept-distribution-change" in result.stderr
    assert _release(serving) == before

    accepted = subprocess.run(
        _pipeline(root, "--skip-generate", "--accept-distribution-change"),
        capture_output=True,
        text=True,
    )
    assert accepted.returncode == 0, accepted.stdout[-3000:] + accepted.stderr[-3000:]
    after = _release(serving)
    assert after["release_id"] != before["release_id"]
    assert (
        after["tables"]["fct_customer_health_current"]
        > 3 * (before["tables"]["fct_customer_health_current"])
    )
