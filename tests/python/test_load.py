"""The loader: idempotent reruns, row ids, clear one-line errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from chs.errors import UserError
from chs.loading import load_raw
from chs.raw_tables import RAW_TABLES
from raw_fixture import ROWS, write_fixture

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_rerun_on_same_files_changes_nothing(tmp_path):
    write_fixture(tmp_path / "raw")
    database = tmp_path / "w.duckdb"
    first = load_raw(tmp_path / "raw", database, loaded_at=datetime(2025, 6, 1, 12))
    assert {r.status for r in first} == {"loaded"}
    assert {r.relation: r.rows for r in first} == {
        name.replace("/", "_"): len(rows) for name, rows in ROWS.items()
    }
    second = load_raw(tmp_path / "raw", database, loaded_at=datetime(2025, 6, 2, 12))
    assert {r.status for r in second} == {"unchanged"}
    with duckdb.connect(str(database), read_only=True) as con:
        loaded = con.execute("select distinct _loaded_at from raw.crm_customers").fetchall()
        row_ids = con.execute("select _row_id from raw.crm_customers order by 1").fetchall()
        log_rows = con.execute("select count(*) from raw._load_log").fetchone()[0]
    assert loaded == [(datetime(2025, 6, 1, 12),)]
    assert [r[0] for r in row_ids] == list(range(1, len(ROWS["crm/customers"]) + 1))
    assert log_rows == len(RAW_TABLES)


def test_changed_file_replaces_only_its_table(tmp_path):
    write_fixture(tmp_path / "raw")
    database = tmp_path / "w.duckdb"
    load_raw(tmp_path / "raw", database, loaded_at=datetime(2025, 6, 1))
    orders = tmp_path / "raw" / "shop" / "orders.parquet"
    table = pq.read_table(orders)
    pq.write_table(table.slice(0, 1), orders)
    results = {r.relation: r for r in load_raw(tmp_path / "raw", database)}
    assert results["shop_orders"].status == "loaded"
    assert results["shop_orders"].rows == 1
    assert {r.status for name, r in results.items() if name != "shop_orders"} == {"unchanged"}


def test_missing_required_file_is_named(tmp_path):
    write_fixture(tmp_path / "raw")
    (tmp_path / "raw" / "product" / "usage_events.parquet").unlink()
    with pytest.raises(
        UserError,
        match=r"product/usage_events\.parquet: missing raw file for required table"
        r" product\.usage_events \(give usage_events\.parquet, usage_events\.csv or a folder",
    ):
        load_raw(tmp_path / "raw", tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()


def test_missing_column_is_named(tmp_path):
    write_fixture(tmp_path / "raw")
    path = tmp_path / "raw" / "billing" / "payments.parquet"
    pq.write_table(pq.read_table(path).drop(["amount"]), path)
    with pytest.raises(UserError, match=r"payments\.parquet: missing column\(s\) amount"):
        load_raw(tmp_path / "raw", tmp_path / "w.duckdb")


def test_cli_error_is_one_line_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "load_raw.py"), "--raw-dir", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere'}: raw data folder does not exist"
    ]
