"""Bad input that the hand-written fixture does not already cover (see README, Bad input).

Each kind is either quarantined with a reason (and still accounted for) or refused with one
clear line naming the file and the problem.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from chs.dbt import DbtTarget, run_dbt
from chs.errors import UserError
from chs.loading import load_raw
from raw_fixture import write_fixture

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _rewrite(path: Path, change) -> None:
    pq.write_table(change(pq.read_table(path)), path)


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    raw = root / "raw"
    write_fixture(raw)
    # Wrong column type: seats delivered as text, one value not a number.
    subscriptions = raw / "billing" / "subscriptions.parquet"
    table = pq.read_table(subscriptions)
    seats = [str(v) for v in table.column("seats").to_pylist()]
    seats[0] = "twelve"
    table = table.set_column(table.schema.get_field_index("seats"), "seats", pa.array(seats))
    # Very large value: more seats than an integer holds.
    seats_big = table.column("seats").to_pylist()
    seats_big[1] = str(10**12)
    table = table.set_column(table.schema.get_field_index("seats"), "seats", pa.array(seats_big))
    pq.write_table(table, subscriptions)
    # Very large amount: beyond decimal(18, 2).
    _rewrite(
        raw / "billing" / "invoices.parquet",
        lambda t: t.set_column(
            t.schema.get_field_index("amount"),
            "amount",
            pa.array([1e30] + t.column("amount").to_pylist()[1:], pa.float64()),
        ),
    )
    # Extra column: kept in raw, ignored by the models.
    _rewrite(
        raw / "shop" / "orders.parquet",
        lambda t: t.append_column("coupon_code", pa.array(["A'1", None, "ß"])),
    )
    # Empty file of an optional table: no survey answers at all.
    _rewrite(raw / "surveys" / "survey_responses.parquet", lambda t: t.slice(0, 0))
    database = root / "warehouse.duckdb"
    results = {r.relation: r for r in load_raw(raw, database)}
    run_dbt(["build"], DbtTarget(database, root, profiles_dir=root / "profiles"), quiet=True)
    return {"root": root, "raw": raw, "database": database, "load": results}


def _query(database, sql):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_text_in_a_number_column_is_quarantined_as_invalid(bad_build):
    rows = _query(
        bad_build["database"],
        "select _row_id, row_status, quarantine_reason, quarantine_column"
        " from staging.base_billing__subscriptions where _row_id in (1, 2)",
    )
    assert sorted(rows) == [
        (1, "quarantined", "invalid_value", "seats"),  # 'twelve'
        (2, "quarantined", "invalid_value", "seats"),  # 10**12 overflows an integer
    ]


def test_numbers_delivered_as_text_are_still_read(bad_build):
    # Row 7 of the fixture: seats '3' as text, refused only for its empty customer id.
    assert _query(
        bad_build["database"],
        "select seats, quarantine_reason from staging.base_billing__subscriptions"
        " where _row_id = 7",
    ) == [(3, "missing_customer_id")]


def test_amount_too_large_for_money_is_quarantined(bad_build):
    assert _query(
        bad_build["database"],
        "select quarantine_reason, quarantine_column from staging.base_billing__invoices"
        " where _row_id = 1",
    ) == [("invalid_value", "amount")]


def test_extra_column_is_reported_and_ignored(bad_build):
    assert bad_build["load"]["shop_orders"].extra_columns == ("coupon_code",)
    assert _query(
        bad_build["database"], "select order_id from staging.stg_shop__orders order by 1"
    ) == [("O1",), ("O3",)]


def test_empty_optional_file_loads_and_reconciles(bad_build):
    assert bad_build["load"]["surveys_survey_responses"].rows == 0
    assert _query(
        bad_build["database"],
        "select raw_rows, staged_rows, quarantined_rows, duplicate_rows"
        " from data_quality.fct_staging_reconciliation"
        " where source_table = 'surveys.survey_responses'",
    ) == [(0, 0, 0, 0)]


def test_every_raw_row_is_still_accounted_for(bad_build):
    rows = _query(
        bad_build["database"],
        "select source_table, raw_rows - staged_rows - quarantined_rows - duplicate_rows"
        " from data_quality.fct_staging_reconciliation",
    )
    assert rows and all(diff == 0 for _, diff in rows)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("empty_customers", "crm/customers.parquet: the file has no rows"),
        ("not_parquet", "billing/payments.parquet: not a readable Parquet file"),
        ("missing_file", "product/features.parquet: missing raw file"),
        ("missing_column", "support/tickets.parquet: missing column(s) opened_at"),
    ],
)
def test_unusable_files_are_refused_with_one_line(tmp_path, breakage, message):
    raw = tmp_path / "raw"
    write_fixture(raw)
    if breakage == "empty_customers":
        _rewrite(raw / "crm" / "customers.parquet", lambda t: t.slice(0, 0))
    elif breakage == "not_parquet":
        (raw / "billing" / "payments.parquet").write_bytes(b"id,amount\n1,2\n")
    elif breakage == "missing_file":
        (raw / "product" / "features.parquet").unlink()
    else:
        _rewrite(raw / "support" / "tickets.parquet", lambda t: t.drop(["opened_at"]))
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_raw(raw, tmp_path / "w.duckdb")
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "load_raw.py"), "--raw-dir", str(raw),
         "--database", str(tmp_path / "cli.duckdb")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
