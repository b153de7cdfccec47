"""The whole job end to end on a small generated dataset: generate, load, freshness, build.

The generator's dirt manifest says which rows were damaged and how; staging must give each of
them the documented verdict, and every raw row must be accounted for.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from chs.export import export_alerts
from chs.generator.output import GENERATED_TABLES
from chs.raw_tables import RAW_TABLES

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# dirt kind -> verdicts staging may give the damaged row (docs/raw_data.md, Dirt catalogue)
QUARANTINED_AS = {
    "missing_customer_id": {"missing_customer_id", "missing_key"},
    "unknown_customer_id": {"unknown_customer_id"},
    "out_of_range": {"out_of_range"},
    "invalid_timestamp": {"invalid_timestamp", "missing_value"},
    "future_timestamp": {"future_timestamp"},
}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    command = [
        sys.executable,
        str(SCRIPTS / "run_pipeline.py"),
        "--customers", "150",
        "--start", "2025-06-02",
        "--end", "2025-10-26",
        "--seed", "11",
        "--dirt-rate", "0.05",
        "--raw-dir", str(root / "raw"),
        "--truth-dir", str(root / "truth"),
        "--database", str(root / "warehouse.duckdb"),
        "--serving-dir", str(root / "serving"),
        "--report-dir", str(root / "validation"),
        "--work-dir", str(root),
    ]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    return {"root": root, "first": first.stdout, "second": second.stdout}


def _con(pipeline):
    return duckdb.connect(str(pipeline["root"] / "warehouse.duckdb"), read_only=True)


def test_summary_names_every_source_table_and_reason(pipeline):
    out = pipeline["first"]
    assert "Loaded, staged and quarantined rows" in out
    for spec in RAW_TABLES:
        assert f"{spec.source}.{spec.table}" in out
    assert "unknown_customer_id" in out and "out_of_range" in out


def test_rerun_on_the_same_files_loads_nothing_new(pipeline):
    assert pipeline["second"].count(" unchanged") == len(GENERATED_TABLES)
    assert " loaded\n" not in pipeline["second"]


def test_every_raw_row_is_staged_quarantined_or_a_duplicate(pipeline):
    with _con(pipeline) as con:
        for spec in GENERATED_TABLES:
            raw = con.execute(f"select count(*) from raw.{spec.relation}").fetchone()[0]
            staged = con.execute(
                f"select count(*) from staging.stg_{spec.source}__{spec.table}"
            ).fetchone()[0]
            quarantined = con.execute(
                "select count(*) from data_quality.fct_quarantined_rows where source_table = ?",
                [f"{spec.source}.{spec.table}"],
            ).fetchone()[0]
            duplicates = con.execute(
                f"select count(*) from staging.base_{spec.source}__{spec.table}"
                " where row_status = 'duplicate'"
            ).fetchone()[0]
            assert raw > 0
            assert raw == staged + quarantined + duplicates, spec.relation


def test_each_injected_fault_gets_its_documented_verdict(pipeline):
    manifest = pipeline["root"] / "truth" / "dirt_manifest.parquet"
    checked = 0
    with _con(pipeline) as con:
        for spec in GENERATED_TABLES:
            if spec.table == "features":
                continue
            base = f"staging.base_{spec.source}__{spec.table}"
            entries = con.execute(
                f"select row_key, dirt_kind from read_parquet('{manifest}') where \"table\" = ?",
                [spec.table],
            ).fetchall()
            assert entries, f"no dirt injected into {spec.table}"
            verdicts: dict[str, set] = {}
            for key, status, reason in con.execute(
                f"select cast(raw.{spec.key} as varchar), base.row_status,"
                " base.quarantine_reason"
                f" from raw.{spec.relation} as raw inner join {base} as base using (_row_id)"
            ).fetchall():
                verdicts.setdefault(key, set()).add(reason or status)
            kinds_by_key: dict[str, set] = {}
            for key, kind in entries:
                kinds_by_key.setdefault(key, set()).add(kind)
            for key, kinds in kinds_by_key.items():
                got = verdicts.get(key, set())
                faults = kinds & QUARANTINED_AS.keys()
                # A bad signup date keeps a customer staged, and a null-id customer copy is a
                # raw row of its own: both are checked in the next tests.
                if faults and spec.table != "customers":
                    # With several faults in one row, the first failed check names it.
                    allowed = set().union(*(QUARANTINED_AS[kind] for kind in faults))
                    assert got & allowed, (spec.table, key, kinds, got)
                    checked += 1
                if kinds == {"duplicate_row"}:
                    assert got == {"staged", "duplicate"}, (spec.table, key, got)
                    checked += 1
                if kinds <= {"category_variant", "refund_sign", "late_arriving"}:
                    assert got == {"staged"}, (spec.table, key, kinds, got)
                    checked += 1
        signup = con.execute(
            "select count(*) from staging.stg_crm__customers as c"
            f" inner join read_parquet('{manifest}') as m on m.row_key = c.customer_id"
            " where m.\"table\" = 'customers'"
            " and m.dirt_kind in ('invalid_timestamp', 'future_timestamp')"
            " and (c.signup_at is not null or c.signup_at_issue is null)"
        ).fetchone()[0]
        assert signup == 0
    assert checked > 500


def test_no_refund_is_positive_and_no_customer_row_without_id_is_staged(pipeline):
    manifest = pipeline["root"] / "truth" / "dirt_manifest.parquet"
    with _con(pipeline) as con:
        positive_refunds = con.execute(
            "select count(*) from staging.stg_billing__payments where is_refund and amount > 0"
        ).fetchone()[0]
        # The generator adds a copy of a real customer with a null id: refused as missing_key.
        null_id_rows = con.execute(
            "select base.row_status, base.quarantine_reason, count(*)"
            " from raw.crm_customers as raw inner join staging.base_crm__customers as base"
            " using (_row_id) where nullif(trim(raw.customer_id), '') is null group by 1, 2"
        ).fetchall()
        injected = con.execute(
            f"select count(*) from read_parquet('{manifest}')"
            " where \"table\" = 'customers' and dirt_kind = 'missing_customer_id'"
        ).fetchone()[0]
    assert positive_refunds == 0
    assert injected > 0
    assert null_id_rows == [("quarantined", "missing_key", injected)]


def test_late_events_are_kept_with_both_timestamps(pipeline):
    manifest = pipeline["root"] / "truth" / "dirt_manifest.parquet"
    with _con(pipeline) as con:
        lags = con.execute(
            "select date_diff('hour', e.occurred_at, e.received_at)"
            " from staging.stg_product__usage_events as e"
            f" inner join read_parquet('{manifest}') as m"
            " on m.row_key = cast(e.event_id as varchar)"
            " where m.\"table\" = 'usage_events' and m.dirt_kind = 'late_arriving'"
        ).fetchall()
    assert len(lags) > 100
    assert all(48 <= lag <= 21 * 24 for (lag,) in lags)


def test_alert_export_is_idempotent_and_self_contained(pipeline, tmp_path):
    database = pipeline["root"] / "warehouse.duckdb"
    first = export_alerts(database, tmp_path, lookback_weeks=52)
    second = export_alerts(database, tmp_path, lookback_weeks=52)
    assert first and second == []
    with _con(pipeline) as con:
        expected = con.execute(
            "select alert_id from marts.fct_customer_health_alerts where week_start >"
            " (select max(week_start) from marts.fct_customer_health_alerts)"
            " - interval 364 day"
        ).fetchall()
    assert sorted(r["alert_id"] for r in first) == sorted(a for (a,) in expected)
    (jsonl,) = tmp_path.glob("alerts-*.jsonl")
    (table,) = tmp_path.glob("alerts-*.csv")
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    with table.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (tmp_path / "exported_alerts.csv").open(newline="") as handle:
        ledger = list(csv.DictReader(handle))
    assert len(records) == len(rows) == len(ledger) == len(first)
    assert len({r["alert_id"] for r in records}) == len(records)
    for record in records:
        for field in (
            "alert_id",
            "customer_id",
            "csm_owner",
            "rule_key",
            "playbook_name",
            "alert_message",
            "event_date",
        ):
            assert record[field], (field, record)
        assert "contact_email" not in record and "customer_name" not in record
        # The record is read weeks later: it names its date, never "this week".
        assert "this week" not in record["alert_message"], record
        week_start = date.fromisoformat(record["week_start"])
        event_date = date.fromisoformat(record["event_date"])
        assert week_start - timedelta(days=14) <= event_date <= week_start + timedelta(days=6)
        # ARR either at risk or as an opportunity, never both.
        is_opportunity = record["severity"] == "opportunity"
        assert (record["arr_at_risk"] is None) or not is_opportunity, record
        assert record["arr_opportunity"] is None or is_opportunity, record
    assert not any("@" in line for line in jsonl.read_text().splitlines())


# A company that has only the required tables, exported as CSV: the pipeline loads them, creates
# the optional ones empty, checks freshness and the extract's age, and builds.
CSV_END = "2025-08-31"


@pytest.fixture(scope="module")
def required_csv(tmp_path_factory):
    from chs.generator import generate

    root = tmp_path_factory.mktemp("required_csv")
    generate(customers=40, start="2025-06-02", end=CSV_END, seed=7, dirt_rate=0.02,
             out=root / "generated", truth_out=root / "truth", quiet=True)  # fmt: skip
    for spec in RAW_TABLES:
        if spec.required:
            target = root / "raw" / f"{spec.stem}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            duckdb.sql(
                f"copy (from read_parquet('{root / 'generated' / spec.file}')) to '{target}'"
                " (header)"
            )
    return root


def _run_csv(root, *extra):
    command = [
        sys.executable,
        str(SCRIPTS / "run_pipeline.py"),
        "--skip-generate",
        "--raw-dir", str(root / "raw"),
        "--database", str(root / "warehouse.duckdb"),
        "--serving-dir", str(root / "serving"),
        "--report-dir", str(root / "validation"),
        "--work-dir", str(root),
        *extra,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True)


def test_required_tables_as_csv_go_through_the_pipeline(required_csv):
    run = _run_csv(required_csv, "--as-of", CSV_END)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    for spec in RAW_TABLES:
        if spec.required:
            assert f"loaded     (csv: {spec.stem}.csv)" in out, spec.relation
        else:
            assert f"{spec.relation:<28}{0:>12,} rows  absent" in out, spec.relation
    absent = (
        "absent sources: billing.invoices, billing.payments, support.tickets, shop.orders,"
        " surveys.survey_responses (their indicators are missing, not zero)"
    )
    assert out.count(absent) == 2  # after the load and in the run summary
    assert "==> checking source freshness (4 tables with rows)" in out
    # Clean activity lies in [--start, --end + 1 day) UTC (docs/raw_data.md); future dirt is
    # years later and ignored: the newest event is on the last day.
    assert f"product.usage_events: newest occurred_at {CSV_END} " in out
    assert f", 0 day(s) before {CSV_END}\n" in out
    with duckdb.connect(str(required_csv / "warehouse.duckdb"), read_only=True) as con:
        presence = con.execute(
            "select relation, is_present, file_format from raw._source_presence order by 1"
        ).fetchall()
        assert con.execute("select count(*) from marts.fct_customer_health_current").fetchone()[0]
    assert presence == [
        ("billing_invoices", False, None),
        ("billing_payments", False, None),
        ("billing_subscriptions", True, "csv"),
        ("crm_customers", True, "csv"),
        ("identity_customer_id_map", False, None),
        ("product_features", True, "csv"),
        ("product_usage_events", True, "csv"),
        ("shop_orders", False, None),
        ("support_tickets", False, None),
        ("surveys_survey_responses", False, None),
    ]


def test_empty_delivered_table_warns_unless_strict_and_a_stale_extract_stops(required_csv):
    columns = ",".join(next(s for s in RAW_TABLES if s.relation == "support_tickets").columns)
    tickets = required_csv / "raw" / "support" / "tickets.csv"
    tickets.parent.mkdir()
    tickets.write_text(columns + "\n")
    strict = _run_csv(required_csv, "--as-of", CSV_END, "--strict-freshness")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [
        "error: source freshness: support.tickets delivered without rows, so not fresh"
        " (--strict-freshness; without it this is a warning)"
    ]
    stale = _run_csv(required_csv, "--as-of", "2025-09-15")  # 15 days after the last event
    assert stale.returncode == 1
    assert "    warning: support.tickets was delivered without rows;" in stale.stdout
    assert "shop.orders, surveys.survey_responses (their" in stale.stdout
    assert "support.tickets," not in stale.stdout.split("absent sources:")[1].splitlines()[0]
    assert stale.stderr.splitlines() == [
        "error: stale extract: the newest activity (product.usage_events) is 15 days older than"
        " the as-of date 2025-09-15 (limit 14 days); load a newer export, set --as-of to the"
        " export's date, or accept it with --allow-stale-data"
    ]
    assert "    product.usage_events: newest occurred_at 2025-08-31 " in stale.stdout
    assert ", 15 day(s) before 2025-09-15 (older than the limit)\n" in stale.stdout
    assert "==> validating raw data" not in stale.stdout
