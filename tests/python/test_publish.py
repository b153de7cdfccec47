"""Write-audit-publish with real processes: serving file readers, failed runs, SIGKILL.

A published release (the marts and the data-quality marts) must be readable by a DuckDB 1.x
client, must not block or be blocked by a reader holding the previous release open, must
survive failed and killed runs untouched, and the same inputs must publish byte-identical
Parquet files. A build warehouse held open by another process stops the publish with one line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from chs.dbt import copy_project
from chs.errors import UserError
from chs.publish import publish, release_id_of
from chs.report import score_summary, staging_summary
from duckdb_holder import held_open

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


# Run with the DuckDB 1.x reader: every table of the marts and data_quality schemas, its rows
# in the served file and in its Parquet file.
READ_RELEASE = """
import json, sys, duckdb
serving = sys.argv[1]
con = duckdb.connect(serving + "/customer_health.duckdb", read_only=True)
seen = {"version": duckdb.__version__}
for schema, folder in (("marts", "parquet"), ("data_quality", "parquet/data_quality")):
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()]
    seen[schema] = {n: con.execute(f"select count(*) from {schema}.{n}").fetchone()[0]
                    for n in names}
    seen[schema + "_parquet"] = {n: con.execute(
        f"select count(*) from read_parquet('{serving}/{folder}/{n}.parquet')").fetchone()[0]
        for n in names}
print(json.dumps(seen))
"""


def test_serving_holds_the_marts_and_data_quality_and_opens_in_duckdb_1x(published):
    serving = published / "serving"
    release = _release(serving)
    result = subprocess.run(
        [str(READER_PYTHON), "-c", READ_RELEASE, str(serving)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["version"].startswith("1.1.")
    assert seen["marts"] == seen["marts_parquet"] == release["tables"]
    assert "fct_customer_health_current" in seen["marts"]
    assert not any(name.startswith(("stg_", "base_", "int_")) for name in seen["marts"])
    # The data-quality marts: whatever the build's data_quality schema holds, same rows.
    with duckdb.connect(str(published / "build" / "warehouse.duckdb"), read_only=True) as con:
        names = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'data_quality'"
        ).fetchall()
        built = {
            name: con.execute(f"select count(*) from data_quality.{name}").fetchone()[0]
            for (name,) in names
        }
    assert {"fct_quarantined_rows", "fct_staging_reconciliation"} <= set(built)
    assert seen["data_quality"] == seen["data_quality_parquet"] == release["data_quality"] == built
    assert release["data_quality"]["fct_quarantined_rows"] > 0
    # No PII: no column of any published table holds names or e-mail addresses.
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        columns = {r[0] for r in con.execute("select column_name from duckdb_columns()").fetchall()}
        assert not columns & {"contact_email", "customer_name"}
        text_columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns()"
            " where not internal and data_type = 'VARCHAR'"
        ).fetchall()
        assert {schema for schema, _, _ in text_columns} == {"marts", "data_quality"}
        for schema, table, column in text_columns:
            hits = con.execute(
                f"select count(*) from {schema}.{table} where {column} like '%@%'"
            ).fetchone()[0]
            assert hits == 0, (schema, table, column)
    files = {f"parquet/{name}.parquet" for name in release["tables"]}
    files |= {f"parquet/data_quality/{name}.parquet" for name in release["data_quality"]}
    assert set(release["sha256"]) == files
    for name, digest in release["sha256"].items():
        assert hashlib.sha256((serving / name).read_bytes()).hexdigest() == digest, name
    assert release_id_of(serving / "customer_health.duckdb") == release["release_id"]
    assert release_id_of(published / "build" / "warehouse.duckdb") is None


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
    assert after["sha256"] == before["sha256"]  # byte-identical Parquet, marts and data quality


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


def _small_build(path: Path, *, data_quality: bool = True) -> Path:
    """A hand-made build warehouse: one mart, and two data-quality tables (one of them a table
    the project may add later), rows inserted out of order."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_alerts (alert_id varchar, week_start date)")
        con.execute(
            "insert into marts.fct_alerts values"
            " ('a2', '2026-02-16'), ('a1', '2026-01-05'), ('a3', '2026-02-23')"
        )
        if data_quality:
            con.execute("create schema data_quality")
            con.execute(
                "create table data_quality.fct_quarantined_rows"
                " (source_table varchar, raw_row_id bigint, quarantine_reason varchar)"
            )
            con.execute(
                "insert into data_quality.fct_quarantined_rows values"
                " ('support.tickets', 7, 'out_of_range'), ('crm.customers', 3, 'missing_key')"
            )
            con.execute("create table data_quality.fct_later_check as select 1 as checked")
    return path


def test_publish_copies_whatever_the_data_quality_schema_holds(tmp_path):
    build = _small_build(tmp_path / "build.duckdb")
    serving = tmp_path / "serving"
    release = publish(build, serving, now=datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    assert release.data_quality == {"fct_quarantined_rows": 2, "fct_later_check": 1}
    manifest = _release(serving)
    assert set(manifest) == {
        "release_id",
        "published_at",
        "source",
        "storage_version",
        "tables",
        "data_quality",
        "sha256",
    }
    assert manifest["release_id"] == "20260302T083000Z"
    assert manifest["tables"] == {"fct_alerts": 3}
    assert manifest["data_quality"] == {"fct_later_check": 1, "fct_quarantined_rows": 2}
    assert set(manifest["sha256"]) == {
        "parquet/fct_alerts.parquet",
        "parquet/data_quality/fct_later_check.parquet",
        "parquet/data_quality/fct_quarantined_rows.parquet",
    }
    with duckdb.connect(str(serving / "customer_health.duckdb"), read_only=True) as con:
        assert con.execute("select * from data_quality.fct_quarantined_rows").fetchall() == [
            ("crm.customers", 3, "missing_key"),
            ("support.tickets", 7, "out_of_range"),
        ]  # sorted on all columns, as the marts
        parquet = serving / "parquet" / "data_quality" / "fct_quarantined_rows.parquet"
        assert con.execute(f"select raw_row_id from '{parquet}'").fetchall() == [(3,), (7,)]
    # The same build publishes byte-identical files.
    again = publish(build, serving, now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert _release(serving)["release_id"] == again.release_id != release.release_id
    assert _release(serving)["sha256"] == manifest["sha256"]

    # A warehouse without the schema publishes its marts and no data-quality tables.
    bare = publish(_small_build(tmp_path / "bare.duckdb", data_quality=False), serving)
    assert bare.data_quality == {} == _release(serving)["data_quality"]
    assert set(_release(serving)["sha256"]) == {"parquet/fct_alerts.parquet"}


PUBLISH = (
    "import sys\n"
    "from pathlib import Path\n"
    "from chs.errors import run_cli\n"
    "from chs.publish import publish\n"
    "run_cli(lambda: publish(Path(sys.argv[1]), Path(sys.argv[2])) and 0)\n"
)


def test_a_build_warehouse_held_by_another_process_is_one_line(tmp_path):
    build = _small_build(tmp_path / "build.duckdb")
    serving = tmp_path / "serving"
    publish(build, serving)
    before = sorted(p.name for p in (serving / "releases").iterdir())
    with held_open(build) as pid:
        with pytest.raises(UserError) as raised:
            publish(build, serving)
        message = str(raised.value)
        assert message.startswith(f"{build} is in use by another process (PID {pid}, python")
        assert message.endswith("): close the other connection and rerun")
        assert "\n" not in message
        for summary in (staging_summary, score_summary):
            with pytest.raises(UserError, match=f"in use by another process \\(PID {pid}"):
                summary(build)
        # As a command: one line on stderr, no traceback.
        result = subprocess.run(
            [sys.executable, "-c", PUBLISH, str(build), str(serving)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(SCRIPTS)},
            timeout=60,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [f"error: {message}"]
    # Nothing was written: no new release, no partial folder.
    assert sorted(p.name for p in (serving / "releases").iterdir()) == before
