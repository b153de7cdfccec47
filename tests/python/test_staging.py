"""Staging on the hand-written fixture: every raw row's verdict, reconciliation, UTC parsing."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest
from chs.raw_tables import RAW_TABLES
from chs.report import data_issue_summary


def _query(database, sql, params=None):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _base_model(source_table: str) -> str:
    source, table = source_table.split(".")
    return f"staging.base_{source}__{table}"


@pytest.mark.parametrize("spec", RAW_TABLES, ids=lambda spec: spec.relation)
def test_every_raw_row_gets_the_expected_verdict(fixture_build, spec):
    source_table = f"{spec.source}.{spec.table}"
    expected = fixture_build["expected"][source_table]
    rows = _query(
        fixture_build["database"],
        f"select _row_id, row_status, quarantine_reason from {_base_model(source_table)}"
        " order by _row_id",
    )
    verdicts = [reason if status == "quarantined" else status for _, status, reason in rows]
    assert [row_id for row_id, _, _ in rows] == list(range(1, len(expected) + 1))
    assert verdicts == expected


def test_reconciliation_accounts_for_every_raw_row(fixture_build):
    rows = _query(
        fixture_build["database"],
        "select source_table, raw_rows, staged_rows, quarantined_rows, duplicate_rows"
        " from data_quality.fct_staging_reconciliation",
    )
    assert len(rows) == len(RAW_TABLES)
    for source_table, raw, staged, quarantined, duplicates in rows:
        verdicts = Counter(fixture_build["expected"][source_table])
        assert raw == sum(verdicts.values())
        assert staged == verdicts["staged"]
        assert duplicates == verdicts["duplicate"]
        assert quarantined == raw - staged - duplicates
        raw_count = _query(
            fixture_build["database"],
            f"select count(*) from raw.{source_table.replace('.', '_')}",
        )[0][0]
        assert raw_count == raw


def test_quarantine_mart_lists_each_refused_row_with_its_reason(fixture_build):
    rows = _query(
        fixture_build["database"],
        "select source_table, quarantine_reason, count(*) from data_quality.fct_quarantined_rows"
        " group by 1, 2",
    )
    actual = {(table, reason): count for table, reason, count in rows}
    expected = Counter(
        (table, verdict)
        for table, verdicts in fixture_build["expected"].items()
        for verdict in verdicts
        if verdict not in ("staged", "duplicate")
    )
    assert actual == dict(expected)


def test_identity_map_holds_the_staged_mappings(fixture_build):
    # The fixture's delivered map (raw_fixture.py) less its refused rows; the seed is empty.
    rows = _query(
        fixture_build["database"],
        "select source_system, external_id, customer_id, mapped_by"
        " from staging.stg_identity__customer_id_map order by 1, 2",
    )
    assert rows == [
        ("stripe", "cus_A", "C0000001", "delivered"),
        ("stripe", "cus_B", "C0000001", "delivered"),
        ("zendesk", "cus_A", "C0000002", "delivered"),
    ]


def test_timestamps_with_offsets_become_utc(fixture_build):
    database = fixture_build["database"]
    # 2025-02-03T10:00:00-05:00 is 15:00 UTC.
    assert _query(
        database,
        "select cast(attempted_at as varchar) from staging.stg_billing__payments"
        " where payment_id = 'P1'",
    ) == [("2025-02-03 15:00:00",)]
    # 2025-03-04T10:22:01+02:00 is 08:22:01 UTC.
    assert _query(
        database,
        "select cast(occurred_at as varchar) from staging.stg_product__usage_events"
        " where event_id = 1",
    ) == [("2025-03-04 08:22:01",)]
    # 2025-03-04T23:30:00-05:00 is the next day, 04:30 UTC.
    assert _query(
        database,
        "select cast(occurred_at as varchar) from staging.stg_product__usage_events"
        " where event_id = 6",
    ) == [("2025-03-05 04:30:00",)]


def test_refunds_are_negative_and_categories_standardised(fixture_build):
    database = fixture_build["database"]
    assert _query(
        database,
        "select payment_id, cast(amount as double), is_refund, is_refund_sign_corrected"
        " from staging.stg_billing__payments order by payment_id",
    ) == [("P1", 490.0, False, False), ("P2", -50.0, True, True), ("P3", -20.0, True, False)]
    assert _query(
        database,
        "select customer_id, segment, business_type, country_code"
        " from staging.stg_crm__customers order by customer_id",
    ) == [
        ("C0000001", "smb", "saas", "DE"),
        ("C0000002", "mid_market", "webshop", "NL"),
        ("C0000004", "smb", "saas", "DE"),
        ("C0000005", "smb", "saas", "DE"),
        ("C0000006", "enterprise", "saas", "DE"),
    ]
    # The newest CRM version of C0000001 wins over the older one.
    assert _query(
        database, "select csm_owner from staging.stg_crm__customers where customer_id = 'C0000001'"
    ) == [("csm_01",)]
    assert _query(
        database,
        "select priority, channel from staging.stg_support__tickets where ticket_id = 'T1'",
    ) == [("high", "email")]


def test_open_categories_are_taken_as_they_come(fixture_build):
    # Plan names and channels belong to the company: an unknown one is staged, standardised
    # for case and spacing, where an unknown segment (scoring depends on it) is quarantined.
    database = fixture_build["database"]
    assert _query(
        database,
        "select plan_name from staging.stg_billing__subscriptions where subscription_id = 'S7'",
    ) == [("premier_mthly",)]
    assert _query(
        database, "select channel from staging.stg_support__tickets where ticket_id = 'T4'"
    ) == [("whatsapp",)]


def test_bad_signup_dates_keep_the_customer_and_name_the_problem(fixture_build):
    assert _query(
        fixture_build["database"],
        "select customer_id, cast(signup_at as varchar), signup_at_issue"
        " from staging.stg_crm__customers order by customer_id",
    ) == [
        ("C0000001", "2025-01-06 08:00:00", None),
        ("C0000002", "2025-01-06 08:00:00", None),
        ("C0000004", None, "invalid_timestamp"),
        ("C0000005", None, "future_timestamp"),
        ("C0000006", "2025-01-06 08:00:00", None),
    ]


def test_names_with_quotes_and_sql_survive_unchanged(fixture_build):
    names = {
        row[0]
        for row in _query(
            fixture_build["database"], "select customer_name from staging.stg_crm__customers"
        )
    }
    assert names == {"Acme", "Müller GmbH", "Robert'); drop table x;--"}


def test_a_quarantined_amount_does_not_change_a_customers_status(fixture_build):
    # S8, C0000005's only period, has 10^12 seats: staging quarantines it,
    # but the period still makes C0000005 a subscribed customer, with seats and MRR unknown.
    database = fixture_build["database"]
    assert _query(
        database,
        "select quarantine_reason, quarantine_column from data_quality.fct_quarantined_rows"
        " where source_table = 'billing.subscriptions' and record_id = 'S8'",
    ) == [("invalid_value", "seats")]
    assert _query(
        database,
        "select seats, mrr_amount, has_quarantined_amounts"
        " from intermediate.int_subscription_periods where subscription_id = 'S8'",
    ) == [(None, None, True)]
    assert _query(
        database,
        "select has_open_subscription, has_data_issues, data_issues"
        " from marts.dim_customers where customer_id = 'C0000005'",
    ) == [
        (
            True,
            True,
            "quarantined rows: billing.subscriptions invalid_value;"
            " a subscription period with unknown seats or MRR",
        )
    ]
    # C0000004's plan name is its own (open category), not a data issue.
    assert _query(
        database, "select has_data_issues from marts.dim_customers where customer_id = 'C0000004'"
    ) == [(False,)]


def test_summary_names_the_unknown_values_of_closed_categories(fixture_build):
    lines = data_issue_summary(fixture_build["database"]).splitlines()
    unknown = [line.split() for line in lines if "rows:" in line]
    # raw_fixture.py: segment 'galactic' (one customer row) and survey type 'poll' (one answer)
    assert ["crm.customers.segment", "1", "rows:", "'galactic'"] in unknown
    assert ["surveys.survey_responses.survey_type", "1", "rows:", "'poll'"] in unknown
