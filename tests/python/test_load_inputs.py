"""The loader's inputs: CSV read as text, folders of parts, encodings, renamed columns.

Expected values are read off the hand-written fixture (tests/python/raw_fixture.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from chs.loading import CsvOptions, load_raw
from raw_fixture import ROWS, write_csv, write_fixture

LOADED_AT = datetime(2025, 6, 1, 12)


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def _as_csv(raw: Path, name: str, **options) -> Path:
    """Replace the fixture's Parquet file of `name` by a CSV file of the same rows."""
    (raw / f"{name}.parquet").unlink()
    return write_csv(raw / f"{name}.csv", ROWS[name], **options)


def test_csv_is_read_as_text_in_file_order(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    _as_csv(raw, "product/features")
    database = tmp_path / "w.duckdb"
    results = {r.relation: r for r in load_raw(raw, database, loaded_at=LOADED_AT)}
    features = results["product_features"]
    assert (features.rows, features.status, features.file_format, features.source_files) == (
        3,
        "loaded",
        "csv",
        "product/features.csv",
    )
    # Booleans arrive as the text of the file; staging casts them.
    assert _query(
        database,
        "select _row_id, feature_key, is_key_feature, _source_file from raw.product_features"
        " order by _row_id",
    ) == [
        (1, "dashboards", "false", "product/features.csv"),
        (2, "workflow_automation", "true", "product/features.csv"),
        (3, "dashboards", "false", "product/features.csv"),
    ]
    types = _query(
        database,
        "select distinct data_type from information_schema.columns"
        " where table_name = 'product_features' and column_name not like '\\_%' escape '\\'",
    )
    assert types == [("VARCHAR",)]


def test_folder_of_parts_numbers_rows_across_parts_in_name_order(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    # usage_events (7 rows): Parquet parts of 4 and 3 rows, written in reverse name order.
    events = pq.read_table(raw / "product" / "usage_events.parquet")
    (raw / "product" / "usage_events.parquet").unlink()
    folder = raw / "product" / "usage_events"
    folder.mkdir()
    pq.write_table(events.slice(4), folder / "part-0002.parquet")
    pq.write_table(events.slice(0, 4), folder / "part-0001.parquet")
    (folder / "_SUCCESS").write_text("")  # written by Spark; ignored
    # tickets (4 rows): CSV parts of 1 and 3 rows.
    (raw / "support" / "tickets.parquet").unlink()
    write_csv(raw / "support" / "tickets" / "a.csv", ROWS["support/tickets"][:1])
    write_csv(raw / "support" / "tickets" / "b.csv", ROWS["support/tickets"][1:])
    database = tmp_path / "w.duckdb"
    results = {r.relation: r for r in load_raw(raw, database, loaded_at=LOADED_AT)}

    assert results["product_usage_events"].rows == 7
    assert results["product_usage_events"].source_files == (
        "product/usage_events/part-0001.parquet,product/usage_events/part-0002.parquet"
    )
    part1, part2 = (
        "product/usage_events/part-0001.parquet",
        "product/usage_events/part-0002.parquet",
    )
    assert _query(
        database, "select _row_id, event_id, _source_file from raw.product_usage_events order by 1"
    ) == [
        (1, 1, part1),
        (2, 1, part1),
        (3, 2, part1),
        (4, 3, part1),
        (5, 4, part2),
        (6, 5, part2),
        (7, 6, part2),
    ]
    assert _query(
        database, "select _row_id, ticket_id, _source_file from raw.support_tickets order by 1"
    ) == [
        (1, "T1", "support/tickets/a.csv"),
        (2, "T2", "support/tickets/b.csv"),
        (3, "T3", "support/tickets/b.csv"),
        (4, "T4", "support/tickets/b.csv"),
    ]
    presence = _query(
        database,
        "select file_format, source_files, row_count from raw._source_presence"
        " where relation = 'support_tickets'",
    )
    assert presence == [("csv", "support/tickets/a.csv,support/tickets/b.csv", 4)]


@pytest.mark.parametrize(
    ("encoding", "name"), [("latin-1", "Müller GmbH"), ("cp1252", "Müller – Söhne GmbH")]
)
def test_csv_in_another_encoding_reads_with_its_encoding(tmp_path, encoding, name):
    raw = tmp_path / "raw"
    write_fixture(raw)
    rows = [dict(row) for row in ROWS["crm/customers"]]
    rows[1]["customer_name"] = name
    (raw / "crm" / "customers.parquet").unlink()
    write_csv(raw / "crm" / "customers.csv", rows, encoding=encoding, delimiter=";")
    database = tmp_path / "w.duckdb"
    load_raw(raw, database, csv=CsvOptions(delimiter=";", encoding=encoding))
    assert _query(database, "select customer_name from raw.crm_customers where _row_id = 2") == [
        (name,)
    ]


def test_a_column_differing_only_in_case_is_renamed_and_reported(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    columns = [key for key in ROWS["crm/customers"][0] if key != "expect"]
    _as_csv(
        raw, "crm/customers", columns=[c.replace("customer_id", "Customer_ID") for c in columns]
    )
    tickets = raw / "support" / "tickets.parquet"
    pq.write_table(pq.read_table(tickets).rename_columns(
        ["ticket_id", "customer_id", " Opened_At "] + pq.read_schema(tickets).names[3:]
    ), tickets)  # fmt: skip
    database = tmp_path / "w.duckdb"
    results = {r.relation: r for r in load_raw(raw, database)}
    assert results["crm_customers"].renamed_columns == (("Customer_ID", "customer_id"),)
    assert results["support_tickets"].renamed_columns == ((" Opened_At ", "opened_at"),)
    assert _query(database, "select customer_id from raw.crm_customers where _row_id = 1") == [
        ("C0000001",)
    ]
    assert _query(database, "select opened_at from raw.support_tickets where _row_id = 1") == [
        ("2025-03-03T09:00:00+01:00",)
    ]
