"""Bad input that the hand-written fixture does not already cover (see README, Bad input).

Each kind is either quarantined with a reason (and still accounted for) or refused with one
clear line naming the file and the problem.
"""

from __future__ import annotations

import re
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
from raw_fixture import ROWS, write_csv, write_fixture, write_fixture_csv

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


@pytest.fixture(scope="module")
def csv_build(tmp_path_factory):
    """The hand-written fixture delivered as CSV (usage events as a folder of two parts)."""
    root = tmp_path_factory.mktemp("csv_input")
    raw = root / "raw"
    expected = write_fixture_csv(raw)
    (raw / "product" / "usage_events.csv").unlink()
    events = ROWS["product/usage_events"]
    write_csv(raw / "product" / "usage_events" / "part-1.csv", events[:3])
    write_csv(raw / "product" / "usage_events" / "part-2.csv", events[3:])
    database = root / "warehouse.duckdb"
    load_raw(raw, database)
    run_dbt(["build"], DbtTarget(database, root, profiles_dir=root / "profiles"), quiet=True)
    return {"database": database, "expected": expected}


def test_csv_input_gets_the_documented_verdict_for_every_row(csv_build):
    # Every value arrives as text; staging casts it and must give the same verdicts as for
    # the Parquet fixture (tests/python/test_staging.py).
    for source_table, expected in csv_build["expected"].items():
        source, table = source_table.split(".")
        rows = _query(
            csv_build["database"],
            f"select _row_id, row_status, quarantine_reason from staging.base_{source}__{table}"
            " order by _row_id",
        )
        verdicts = [reason if status == "quarantined" else status for _, status, reason in rows]
        assert [row_id for row_id, _, _ in rows] == list(range(1, len(expected) + 1))
        assert verdicts == expected, source_table


def _tickets_csv_without_a_value(raw: Path) -> None:
    """tickets.csv whose second data row (line 3 of the file) lost its last value."""
    path = write_csv(raw / "support" / "tickets.csv", ROWS["support/tickets"])
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n")


def _columns(name: str, old: str, new: str) -> list[str]:
    return [new if c == old else c for c in ROWS[name][0] if c != "expect"]


def _break(raw: Path, breakage: str) -> None:
    tickets = raw / "support" / "tickets.parquet"
    customers = raw / "crm" / "customers.parquet"
    if breakage == "empty_customers":
        _rewrite(customers, lambda t: t.slice(0, 0))
    elif breakage == "not_parquet":
        (raw / "billing" / "payments.parquet").write_bytes(b"id,amount\n1,2\n")
    elif breakage == "truncated_parquet":
        payments = raw / "billing" / "payments.parquet"
        payments.write_bytes(payments.read_bytes()[:-20])
    elif breakage == "missing_file":
        (raw / "product" / "features.parquet").unlink()
    elif breakage == "missing_column":
        _rewrite(tickets, lambda t: t.drop(["opened_at"]))
    elif breakage == "wrong_extension":
        tickets.rename(tickets.with_suffix(".xlsx"))
    elif breakage == "latin1_as_utf8":
        customers.unlink()
        write_csv(customers.with_suffix(".csv"), ROWS["crm/customers"], encoding="latin-1")
    elif breakage == "csv_missing_column":
        tickets.unlink()
        rows = [
            {k: v for k, v in row.items() if k != "opened_at"} for row in ROWS["support/tickets"]
        ]
        write_csv(tickets.with_suffix(".csv"), rows)
    elif breakage == "ragged_csv":
        tickets.unlink()
        _tickets_csv_without_a_value(raw)
    elif breakage == "mixed_parts":
        tickets.rename(raw / "support" / "part-1.parquet")
        (raw / "support" / "tickets").mkdir()
        (raw / "support" / "part-1.parquet").rename(raw / "support" / "tickets" / "1.parquet")
        write_csv(raw / "support" / "tickets" / "2.csv", ROWS["support/tickets"])
    elif breakage == "ambiguous_case":
        customers.unlink()
        columns = _columns("crm/customers", "customer_id", "Customer_ID")
        columns[columns.index("segment")] = "CUSTOMER_ID"
        write_csv(customers.with_suffix(".csv"), ROWS["crm/customers"], columns=columns)
    elif breakage == "case_clash":
        _rewrite(tickets, lambda t: t.append_column("Ticket_ID", t.column("ticket_id")))
    elif breakage == "empty_required_csv":
        customers.unlink()
        write_csv(customers.with_suffix(".csv"), [], columns=_columns("crm/customers", "", ""))
    else:
        raise AssertionError(breakage)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("empty_customers", "crm/customers.parquet: the file has no rows"),
        ("not_parquet", "billing/payments.parquet: not a readable Parquet file"),
        ("truncated_parquet", "billing/payments.parquet: not a readable Parquet file"),
        ("missing_file", "product/features.parquet: missing raw file"),
        ("missing_column", "support/tickets.parquet: missing column(s) opened_at"),
        ("wrong_extension", "support/tickets.xlsx: neither Parquet (.parquet) nor CSV (.csv)"),
        # Header (9 names, 97 characters, 8 commas, newline) = 106 bytes; row 1 ("Acme", 85
        # characters in 9 values, 8 commas, newline) = 94 bytes; then "M" of "Müller": the ü
        # (0xfc in latin-1) is byte 106 + 94 + 1 = 201, on line 3.
        ("latin1_as_utf8",
         "crm/customers.csv: byte 0xfc at offset 201 (line 3) is not valid utf-8"),
        ("csv_missing_column", "support/tickets.csv: missing column(s) opened_at"),
        ("ragged_csv",
         "support/tickets.csv: CSV Error on Line: 3; Expected Number of Columns: 10 Found: 9"),
        ("mixed_parts", "support/tickets/: parts in two formats (csv, parquet)"),
        # In file order: CUSTOMER_ID replaces segment (4th), Customer_ID is the last column.
        ("ambiguous_case", "crm/customers.csv: more than one spelling of column(s) customer_id"
                           " (found CUSTOMER_ID and Customer_ID)"),
        ("case_clash", "support/tickets.parquet: column Ticket_ID clashes with ticket_id"),
        ("empty_required_csv",
         "crm/customers.csv: the file has no rows; crm.customers cannot be empty"),
    ],
)  # fmt: skip
def test_unusable_files_are_refused_with_one_line(tmp_path, breakage, message):
    raw = tmp_path / "raw"
    write_fixture(raw)
    _break(raw, breakage)
    with pytest.raises(UserError, match=re.escape(message)):
        load_raw(raw, tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()
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


def test_two_inputs_for_one_table_are_both_named(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    write_csv(raw / "support" / "tickets.csv", ROWS["support/tickets"])
    with pytest.raises(UserError) as refused:
        load_raw(raw, tmp_path / "w.duckdb")
    assert str(refused.value) == (
        f"two inputs for support.tickets: {raw}/support/tickets.csv and"
        f" {raw}/support/tickets.parquet; keep exactly one"
    )


def _load_cli(raw: Path, database: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "load_raw.py"), "--raw-dir", str(raw),
         "--database", str(database), *options],
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_latin1_csv_needs_its_encoding_named(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    (raw / "crm" / "customers.parquet").unlink()
    write_csv(raw / "crm" / "customers.csv", ROWS["crm/customers"], encoding="latin-1")
    refused = _load_cli(raw, tmp_path / "w.duckdb")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"error: {raw}/crm/customers.csv: byte 0xfc at offset 201 (line 3) is not valid utf-8;"
        " if the file is not UTF-8, name its encoding with --csv-encoding (e.g. latin-1, cp1252)"
    ]
    loaded = _load_cli(raw, tmp_path / "w.duckdb", "--csv-encoding", "latin-1")
    assert loaded.returncode == 0, loaded.stderr
    assert "crm_customers                          8 rows  loaded" in loaded.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        name = con.execute("select customer_name from raw.crm_customers where _row_id = 2")
        assert name.fetchall() == [("Müller GmbH",)]


def test_cli_disables_optional_sources_and_refuses_required_ones(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    database = tmp_path / "w.duckdb"
    loaded = _load_cli(
        raw, database, "--disable-source", "shop_orders", "--disable-source", "support.tickets"
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines()[-1] == (
        "absent sources: support.tickets, shop.orders (their indicators are missing, not zero)"
    )
    refused = _load_cli(raw, database, "--disable-source", "product_usage_events")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: cannot disable product_usage_events: product.usage_events is required"
    ]
    bad_option = _load_cli(raw, database, "--csv-encoding", "klingon")
    assert bad_option.stderr.splitlines() == ["error: unknown CSV encoding 'klingon'"]
