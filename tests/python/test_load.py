"""The loader: idempotent reruns, row ids, absent, empty and disabled tables, the presence
table, one transaction per load (inputs in other formats: test_load_inputs.py).

Expected values are read off the hand-written fixture (tests/python/raw_fixture.py).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from chs.errors import UserError
from chs.loading import CsvOptions, load_raw
from chs.raw_tables import RAW_TABLES
from raw_fixture import ROWS, write_csv, write_fixture

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


OPTIONAL = [spec for spec in RAW_TABLES if not spec.required]
LOADED_AT = datetime(2025, 6, 1, 12)


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def _as_csv(raw: Path, name: str, **options) -> Path:
    """Replace the fixture's Parquet file of `name` by a CSV file of the same rows."""
    (raw / f"{name}.parquet").unlink()
    return write_csv(raw / f"{name}.csv", ROWS[name], **options)


def test_absent_optional_tables_load_empty_and_are_recorded_absent(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    for spec in OPTIONAL:
        (raw / spec.file).unlink()
    database = tmp_path / "w.duckdb"
    results = {r.relation: r for r in load_raw(raw, database, loaded_at=LOADED_AT)}
    assert {r.relation for r in results.values() if r.status == "absent"} == {
        "billing_invoices",
        "billing_payments",
        "support_tickets",
        "shop_orders",
        "surveys_survey_responses",
        "identity_customer_id_map",
    }
    # The empty tables have the contract's columns and types, then the loader's.
    assert _query(
        database,
        "select column_name, data_type from information_schema.columns"
        " where table_name = 'support_tickets' order by ordinal_position",
    ) == [
        ("ticket_id", "VARCHAR"),
        ("customer_id", "VARCHAR"),
        ("opened_at", "VARCHAR"),
        ("first_response_at", "VARCHAR"),
        ("resolved_at", "VARCHAR"),
        ("priority", "VARCHAR"),
        ("ticket_status", "VARCHAR"),
        ("channel", "VARCHAR"),
        ("is_escalated", "BOOLEAN"),
        ("satisfaction_rating", "BIGINT"),
        ("satisfaction_label", "VARCHAR"),
        ("_row_id", "BIGINT"),
        ("_batch_id", "VARCHAR"),
        ("_source_file", "VARCHAR"),
        ("_loaded_at", "TIMESTAMP"),
    ]
    assert _query(database, "select count(*) from raw.shop_orders") == [(0,)]
    assert _query(
        database,
        "select relation, is_present, row_count, source_files, file_format"
        " from raw._source_presence order by relation",
    ) == [
        ("billing_invoices", False, 0, None, None),
        ("billing_payments", False, 0, None, None),
        ("billing_subscriptions", True, 9, "billing/subscriptions.parquet", "parquet"),
        ("crm_customers", True, 8, "crm/customers.parquet", "parquet"),
        ("identity_customer_id_map", False, 0, None, None),
        ("product_features", True, 3, "product/features.parquet", "parquet"),
        ("product_usage_events", True, 7, "product/usage_events.parquet", "parquet"),
        ("shop_orders", False, 0, None, None),
        ("support_tickets", False, 0, None, None),
        ("surveys_survey_responses", False, 0, None, None),
    ]
    assert _query(
        database,
        "select source, table_name, loaded_at from raw._source_presence"
        " where relation = 'surveys_survey_responses'",
    ) == [("surveys", "survey_responses", LOADED_AT)]


def test_presence_table_has_the_agreed_columns(tmp_path):
    write_fixture(tmp_path / "raw")
    database = tmp_path / "w.duckdb"
    load_raw(tmp_path / "raw", database)
    assert _query(
        database,
        "select column_name, data_type from information_schema.columns"
        " where table_name = '_source_presence' order by ordinal_position",
    ) == [
        ("relation", "VARCHAR"),
        ("source", "VARCHAR"),
        ("table_name", "VARCHAR"),
        ("is_present", "BOOLEAN"),
        ("row_count", "BIGINT"),
        ("source_files", "VARCHAR"),
        ("file_format", "VARCHAR"),
        ("loaded_at", "TIMESTAMP"),
        ("provided_by", "VARCHAR"),
        ("is_required", "BOOLEAN"),
    ]


def test_empty_file_is_present_with_no_rows(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    surveys = raw / "surveys" / "survey_responses.parquet"
    pq.write_table(pq.read_table(surveys).slice(0, 0), surveys)
    write_csv(raw / "shop" / "orders.csv", [], columns=list(ROWS["shop/orders"][0])[:-1])
    (raw / "shop" / "orders.parquet").unlink()
    database = tmp_path / "w.duckdb"
    load_raw(raw, database, loaded_at=LOADED_AT)
    assert _query(
        database,
        "select relation, is_present, row_count, source_files, file_format"
        " from raw._source_presence where relation in ('surveys_survey_responses', 'shop_orders')"
        " order by 1",
    ) == [
        ("shop_orders", True, 0, "shop/orders.csv", "csv"),
        ("surveys_survey_responses", True, 0, "surveys/survey_responses.parquet", "parquet"),
    ]


def test_disabled_source_is_absent_although_delivered_until_enabled_again(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    database = tmp_path / "w.duckdb"
    presence = "select relation, is_present, row_count, source_files from raw._source_presence"
    first = {r.relation: r.status for r in load_raw(raw, database, disabled=["shop_orders"])}
    assert first["shop_orders"] == "disabled"
    assert _query(database, "select count(*) from raw.shop_orders") == [(0,)]
    assert _query(database, f"{presence} where relation = 'shop_orders'") == [
        ("shop_orders", False, 0, None)
    ]
    # The dotted name works too; the table stays empty and is not rebuilt.
    second = {r.relation: r.status for r in load_raw(raw, database, disabled=["shop.orders"])}
    assert second["shop_orders"] == "disabled"
    assert set(second.values()) == {"disabled", "unchanged"}
    third = {r.relation: r.status for r in load_raw(raw, database)}
    assert third["shop_orders"] == "loaded"
    assert _query(database, f"{presence} where relation = 'shop_orders'") == [
        ("shop_orders", True, 3, "shop/orders.parquet")
    ]


def test_disabling_a_required_or_unknown_table_is_refused(tmp_path):
    write_fixture(tmp_path / "raw")
    with pytest.raises(
        UserError, match=r"^cannot disable crm_customers: crm\.customers is required$"
    ):
        load_raw(tmp_path / "raw", tmp_path / "w.duckdb", disabled=["crm_customers"])
    with pytest.raises(UserError, match=r"^cannot disable 'crm_contacts': not a raw table"):
        load_raw(tmp_path / "raw", tmp_path / "w.duckdb", disabled=["crm_contacts"])
    assert not (tmp_path / "w.duckdb").exists()


def _damage_data_pages(path: Path) -> None:
    """Overwrite the middle of a Parquet file: its footer (schema, row count) stays readable,
    so the file passes the checks before the load and fails only when DuckDB reads it."""
    data = bytearray(path.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    for index in range(4, len(data) - footer):
        data[index] = 0xFF
    path.write_bytes(bytes(data))
    pq.read_metadata(path)  # still readable


def _dump(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
        return {
            name: sorted(con.execute(f"select * from raw.{name}").fetchall(), key=repr)
            for (name,) in tables
        }


def test_a_failing_table_rolls_back_the_whole_load(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    database = tmp_path / "w.duckdb"
    load_raw(raw, database, loaded_at=LOADED_AT)
    before = _dump(database)
    # The first table changes and would be reloaded; the last one is damaged.
    customers = raw / "crm" / "customers.parquet"
    pq.write_table(pq.read_table(customers).slice(0, 2), customers)
    _damage_data_pages(raw / "surveys" / "survey_responses.parquet")
    with pytest.raises(
        UserError,
        match=r"surveys/survey_responses\.parquet: not a readable Parquet file \(.*\);"
        r" the load was rolled back, nothing changed$",
    ):
        load_raw(raw, database, loaded_at=datetime(2025, 6, 2))
    assert _dump(database) == before
    assert len(before["crm_customers"]) == 8


def test_a_failing_first_load_leaves_no_warehouse(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    _damage_data_pages(raw / "surveys" / "survey_responses.parquet")
    with pytest.raises(UserError, match="the load was rolled back"):
        load_raw(raw, tmp_path / "w.duckdb")
    assert list(tmp_path.glob("w.duckdb*")) == []


def test_unchanged_csv_and_parts_are_skipped_and_a_changed_part_reloads(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    _as_csv(raw, "crm/customers")
    (raw / "support" / "tickets.parquet").unlink()
    write_csv(raw / "support" / "tickets" / "a.csv", ROWS["support/tickets"][:2])
    write_csv(raw / "support" / "tickets" / "b.csv", ROWS["support/tickets"][2:])
    database = tmp_path / "w.duckdb"
    load_raw(raw, database, loaded_at=LOADED_AT)
    second = load_raw(raw, database, loaded_at=datetime(2025, 6, 2))
    assert {r.status for r in second} == {"unchanged"}
    # One part loses a row: only its table is reloaded.
    write_csv(raw / "support" / "tickets" / "b.csv", ROWS["support/tickets"][2:3])
    third = {r.relation: r for r in load_raw(raw, database, loaded_at=datetime(2025, 6, 3))}
    assert (third["support_tickets"].status, third["support_tickets"].rows) == ("loaded", 3)
    assert {r.status for n, r in third.items() if n != "support_tickets"} == {"unchanged"}
    # Other CSV options read other values: the CSV tables are reloaded.
    fourth = {
        r.relation: r.status for r in load_raw(raw, database, csv=CsvOptions(encoding="latin-1"))
    }
    assert fourth["crm_customers"] == fourth["support_tickets"] == "loaded"
    assert fourth["product_features"] == "unchanged"
    assert _query(database, "select customer_name from raw.crm_customers where _row_id = 2") == [
        ("MÃ¼ller GmbH",)  # the UTF-8 bytes of ü read as two latin-1 characters
    ]
    log = _query(database, "select count(*) from raw._load_log where relation = 'support_tickets'")
    assert log == [(3,)]
