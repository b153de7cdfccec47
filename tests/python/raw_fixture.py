"""A small hand-written raw dataset in which every row's fate in staging is known in advance.

Each row carries `expect`: 'staged', 'duplicate', or the quarantine reason code. The tests
load these files, run dbt, and compare staging's verdict per raw row with `expect`. The
expectations were written by reading the rules in docs (not by running the models).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

S = pa.string()
TYPES = {
    "seats": pa.int64(),
    "mrr_amount": pa.float64(),
    "amount": pa.float64(),
    "is_key_feature": pa.bool_(),
    "event_id": pa.int64(),
    "is_escalated": pa.bool_(),
    "satisfaction_rating": pa.int64(),
    "score": pa.int64(),
}

CUSTOMER = dict(
    customer_name="Acme",
    contact_email="ops@acme.test",
    country_code="DE",
    segment="SMB",
    business_type="saas",
    signup_at="2025-01-06T09:00:00+01:00",
    csm_owner="csm_01",
    updated_at="2025-01-06T08:00:00Z",
)

ROWS: dict[str, list[dict]] = {
    "crm/customers": [
        dict(CUSTOMER, customer_id="C0000001", expect="staged"),
        dict(
            CUSTOMER,
            customer_id="C0000002",
            segment=" mid market",
            business_type="Webshop ",
            country_code=" nl",
            customer_name="Müller GmbH",
            expect="staged",
        ),
        # An older version of C0000001: the newer updated_at wins.
        dict(
            CUSTOMER,
            customer_id="C0000001",
            csm_owner="csm_09",
            updated_at="2025-01-01T00:00:00Z",
            expect="duplicate",
        ),
        dict(CUSTOMER, customer_id=None, expect="missing_key"),
        dict(CUSTOMER, customer_id="C0000003", segment="galactic", expect="unknown_category"),
        dict(CUSTOMER, customer_id="C0000004", signup_at="not a date", expect="staged"),
        dict(
            CUSTOMER,
            customer_id="C0000005",
            signup_at="2031-01-01T00:00:00Z",
            expect="staged",
        ),
        dict(
            CUSTOMER,
            customer_id="C0000006",
            customer_name="Robert'); drop table x;--",
            segment="ENTERPRISE ",
            expect="staged",
        ),
    ],
    "billing/subscriptions": [
        dict(
            subscription_id="S1",
            customer_id="C0000001",
            plan_name="growth",
            seats=10,
            mrr_amount=490.0,
            currency="eur",
            started_at="2025-01-06T09:00:00Z",
            ended_at=None,
            renews_on="2026-01-06",
            change_type="new",
            expect="duplicate",
        ),
        # An exact copy later in the file: the highest raw row id wins the tie.
        dict(
            subscription_id="S1",
            customer_id="C0000001",
            plan_name="growth",
            seats=10,
            mrr_amount=490.0,
            currency="eur",
            started_at="2025-01-06T09:00:00Z",
            ended_at=None,
            renews_on="2026-01-06",
            change_type="new",
            expect="staged",
        ),
        dict(
            subscription_id="S2",
            customer_id="C0000002",
            plan_name="Scale",
            seats=40,
            mrr_amount=1990.5,
            currency="USD",
            started_at="2025-02-01T00:00:00-05:00",
            ended_at="2025-01-01T00:00:00Z",
            renews_on="2026-02-01",
            change_type="upgrade",
            expect="inconsistent_timestamps",
        ),
        dict(
            subscription_id="S3",
            customer_id="C0000002",
            plan_name="scale",
            seats=-5,
            mrr_amount=10.0,
            currency="USD",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="downgrade",
            expect="out_of_range",
        ),
        dict(
            subscription_id="S4",
            customer_id="C9999999",
            plan_name="starter",
            seats=3,
            mrr_amount=49.0,
            currency="EUR",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="new",
            expect="unknown_customer_id",
        ),
        # C0000003 exists in the CRM export but was quarantined there.
        dict(
            subscription_id="S5",
            customer_id="C0000003",
            plan_name="starter",
            seats=3,
            mrr_amount=49.0,
            currency="EUR",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="new",
            expect="unknown_customer_id",
        ),
        dict(
            subscription_id="S6",
            customer_id="",
            plan_name="starter",
            seats=3,
            mrr_amount=49.0,
            currency="EUR",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="new",
            expect="missing_customer_id",
        ),
        # A plan name of the company's own (not in seeds/category_aliases.csv): plan names
        # are an open category, taken as they come (lower case, trimmed), never quarantined.
        dict(
            subscription_id="S7",
            customer_id="C0000004",
            plan_name=" Premier_Mthly ",
            seats=4,
            mrr_amount=120.0,
            currency="EUR",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="new",
            expect="staged",
        ),
        # C0000005's only period, with a seat count of 10^12 (too large for seats):
        # quarantined, yet it still makes the customer subscribed (its amounts unknown) and
        # flags the customer.
        dict(
            subscription_id="S8",
            customer_id="C0000005",
            plan_name="starter",
            seats=10**12,
            mrr_amount=120.0,
            currency="EUR",
            started_at="2025-02-01T00:00:00Z",
            ended_at=None,
            renews_on=None,
            change_type="new",
            expect="invalid_value",
        ),
    ],
    "billing/invoices": [
        dict(
            invoice_id="I1",
            customer_id="C0000001",
            subscription_id="S1",
            issued_at="2025-02-01T00:00:00Z",
            due_on="2025-02-15",
            amount=490.0,
            currency="EUR",
            invoice_status="paid",
            expect="staged",
        ),
        dict(
            invoice_id="I2",
            customer_id="C0000001",
            subscription_id="S1",
            issued_at="2025-03-01T00:00:00Z",
            due_on="2025-03-15",
            amount=-10.0,
            currency="EUR",
            invoice_status="open",
            expect="out_of_range",
        ),
        dict(
            invoice_id="I3",
            customer_id="C0000001",
            subscription_id="S1",
            issued_at="2025-04-01T00:00:00Z",
            due_on="soon",
            amount=490.0,
            currency="EUR",
            invoice_status="open",
            expect="invalid_value",
        ),
    ],
    "billing/payments": [
        dict(
            payment_id="P1",
            invoice_id="I1",
            customer_id="C0000001",
            attempted_at="2025-02-03T10:00:00-05:00",
            amount=490.0,
            currency="EUR",
            payment_status="succeeded",
            expect="staged",
        ),
        dict(
            payment_id="P2",
            invoice_id="I1",
            customer_id="C0000001",
            attempted_at="2025-02-10T10:00:00Z",
            amount=50.0,
            currency="EUR",
            payment_status="refunded",
            expect="staged",
        ),
        dict(
            payment_id="P3",
            invoice_id="I1",
            customer_id="C0000001",
            attempted_at="2025-02-11T10:00:00Z",
            amount=-20.0,
            currency="EUR",
            payment_status="Refunded",
            expect="staged",
        ),
        dict(
            payment_id="P4",
            invoice_id="I1",
            customer_id="C0000001",
            attempted_at="2025-02-12T10:00:00Z",
            amount=-5.0,
            currency="EUR",
            payment_status="failed",
            expect="out_of_range",
        ),
    ],
    "product/features": [
        dict(
            feature_key="dashboards",
            feature_name="Dashboards",
            feature_category="analytics",
            is_key_feature=False,
            released_on="2023-01-01",
            expect="duplicate",
        ),
        dict(
            feature_key="workflow_automation",
            feature_name="Workflow automation",
            feature_category="automation",
            is_key_feature=True,
            released_on="2023-06-01",
            expect="staged",
        ),
        dict(
            feature_key="dashboards",
            feature_name="Dashboards",
            feature_category="analytics",
            is_key_feature=False,
            released_on="2023-01-01",
            expect="staged",
        ),
    ],
    "product/usage_events": [
        dict(
            event_id=1,
            customer_id="C0000001",
            user_id="C0000001-U001",
            feature_key="dashboards",
            occurred_at="2025-03-04T10:22:01+02:00",
            received_at="2025-03-04T08:22:05Z",
            expect="duplicate",
        ),
        dict(
            event_id=1,
            customer_id="C0000001",
            user_id="C0000001-U001",
            feature_key="dashboards",
            occurred_at="2025-03-04T10:22:01+02:00",
            received_at="2025-03-04T08:22:05Z",
            expect="staged",
        ),
        dict(
            event_id=2,
            customer_id="C0000001",
            user_id="C0000001-U002",
            feature_key="teleportation",
            occurred_at="2025-03-04T10:22:01+02:00",
            received_at="2025-03-04T08:22:05Z",
            expect="unknown_reference",
        ),
        dict(
            event_id=3,
            customer_id="C0000001",
            user_id="C0000001-U002",
            feature_key="dashboards",
            occurred_at="2030-03-04T10:22:01+02:00",
            received_at="2025-03-04T08:22:05Z",
            expect="future_timestamp",
        ),
        dict(
            event_id=4,
            customer_id=None,
            user_id="C0000001-U002",
            feature_key="dashboards",
            occurred_at="2025-03-04T10:22:01+02:00",
            received_at="2025-03-04T08:22:05Z",
            expect="missing_customer_id",
        ),
        dict(
            event_id=5,
            customer_id="C0000002",
            user_id="C0000002-U001",
            feature_key="Workflow_Automation",
            occurred_at="31/02/2025 25:61",
            received_at="2025-03-04T08:22:05Z",
            expect="invalid_timestamp",
        ),
        # Arrives ten days late: still a good row.
        dict(
            event_id=6,
            customer_id="C0000002",
            user_id="C0000002-U001",
            feature_key="workflow_automation",
            occurred_at="2025-03-04T23:30:00-05:00",
            received_at="2025-03-15T00:00:00Z",
            expect="staged",
        ),
    ],
    "support/tickets": [
        dict(
            ticket_id="T1",
            customer_id="C0000001",
            opened_at="2025-03-03T09:00:00+01:00",
            first_response_at="2025-03-03T09:30:00+01:00",
            resolved_at="2025-03-04T12:00:00Z",
            priority="HIGH",
            ticket_status="solved",
            channel="E-mail",
            is_escalated=True,
            satisfaction_rating=4,
            expect="staged",
        ),
        dict(
            ticket_id="T2",
            customer_id="C0000001",
            opened_at="2025-03-05T09:00:00Z",
            first_response_at=None,
            resolved_at="2025-03-06T09:00:00Z",
            priority="low",
            ticket_status="closed",
            channel="chat",
            is_escalated=False,
            satisfaction_rating=7,
            expect="out_of_range",
        ),
        dict(
            ticket_id="T3",
            customer_id="C0000002",
            opened_at="2025-03-05T09:00:00Z",
            first_response_at=None,
            resolved_at="2025-03-01T09:00:00Z",
            priority="normal",
            ticket_status="solved",
            channel="phone",
            is_escalated=False,
            satisfaction_rating=None,
            expect="inconsistent_timestamps",
        ),
        dict(
            ticket_id="T4",
            customer_id="C0000002",
            opened_at="2025-03-07T09:00:00Z",
            first_response_at=None,
            resolved_at=None,
            priority="urgent",
            ticket_status="open",
            channel="WhatsApp",
            is_escalated=None,
            satisfaction_rating=None,
            expect="staged",
        ),
    ],
    "shop/orders": [
        dict(
            order_id="O1",
            customer_id="C0000002",
            ordered_at="2025-03-02T18:00:00+01:00",
            order_type="goods",
            amount=120.0,
            currency="EUR",
            order_status="completed",
            expect="staged",
        ),
        dict(
            order_id="O2",
            customer_id="C0000002",
            ordered_at="2025-03-03T18:00:00+01:00",
            order_type="goods",
            amount=-3.0,
            currency="EUR",
            order_status="completed",
            expect="out_of_range",
        ),
        dict(
            order_id="O3",
            customer_id="C0000002",
            ordered_at="2025-03-04T18:00:00+01:00",
            order_type="goods",
            amount=80.0,
            currency="EUR",
            order_status="canceled",
            expect="staged",
        ),
    ],
    "surveys/survey_responses": [
        dict(
            response_id="R1",
            customer_id="C0000001",
            respondent_id="C0000001-U001",
            survey_type="nps",
            score=9,
            responded_at="2025-03-01T10:00:00+05:30",
            survey_channel="email",
            expect="staged",
        ),
        dict(
            response_id="R2",
            customer_id="C0000001",
            respondent_id="C0000001-U002",
            survey_type="nps",
            score=11,
            responded_at="2025-03-01T10:00:00Z",
            survey_channel="email",
            expect="out_of_range",
        ),
        dict(
            response_id="R3",
            customer_id="C0000001",
            respondent_id="C0000001-U002",
            survey_type="CSAT",
            score=0,
            responded_at="2025-03-01T10:00:00Z",
            survey_channel="in_app",
            expect="out_of_range",
        ),
        dict(
            response_id="R4",
            customer_id="C0000002",
            respondent_id="C0000002-U001",
            survey_type="csat",
            score=5,
            responded_at="2025-03-01T10:00:00Z",
            survey_channel="in-app",
            expect="staged",
        ),
        dict(
            response_id="R5",
            customer_id="C0000002",
            respondent_id="C0000002-U001",
            survey_type="poll",
            score=5,
            responded_at="2025-03-01T10:00:00Z",
            survey_channel="in_app",
            expect="unknown_category",
        ),
    ],
    # The identity map as delivered. Keys are (source_system, external_id), the system
    # compared case-insensitively; among equal keys the last row wins (row_status breaks
    # ties by the highest raw row id). A vendor id sent to two customers is ambiguous.
    "identity/customer_id_map": [
        dict(
            source_system="stripe", external_id="cus_A", customer_id="C0000001", expect="duplicate"
        ),
        dict(source_system="stripe", external_id="cus_B", customer_id="C0000001", expect="staged"),
        dict(
            source_system="stripe",
            external_id="cus_C",
            customer_id="C0000001",
            expect="conflicting_id_mapping",
        ),
        dict(
            source_system="stripe",
            external_id="cus_C",
            customer_id="C0000002",
            expect="conflicting_id_mapping",
        ),
        dict(source_system="Stripe ", external_id="cus_A", customer_id="C0000001", expect="staged"),
        dict(source_system="zendesk", external_id="cus_A", customer_id="C0000002", expect="staged"),
        dict(
            source_system=None, external_id="cus_E", customer_id="C0000001", expect="missing_value"
        ),
        dict(source_system="stripe", external_id=" ", customer_id="C0000001", expect="missing_key"),
        dict(
            source_system="stripe",
            external_id="cus_D",
            customer_id=None,
            expect="missing_customer_id",
        ),
    ],
}


def write_fixture(raw_dir: Path) -> dict[str, list[str]]:
    """Write the fixture's Parquet files under raw_dir; return the expected verdicts per table."""
    expected = {}
    for name, rows in ROWS.items():
        columns = [key for key in rows[0] if key != "expect"]
        schema = pa.schema([(column, TYPES.get(column, S)) for column in columns])
        table = pa.Table.from_pylist(
            [{key: row[key] for key in columns} for row in rows], schema=schema
        )
        path = raw_dir / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        expected[name.replace("/", ".")] = [row["expect"] for row in rows]
    return expected


def csv_value(value: object) -> str:
    """A fixture value as a CSV field: null is an empty field, booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(
    path: Path,
    rows: list[dict],
    encoding: str = "utf-8",
    delimiter: str = ",",
    columns: list[str] | None = None,
) -> Path:
    """Write fixture rows (without `expect`) as a CSV file with a header row.

    `columns` renames the header (same order as the rows' keys), e.g. to capitalise one.
    """
    names = [key for key in rows[0] if key != "expect"] if rows else list(columns or [])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(columns or names)
        writer.writerows([[csv_value(row[name]) for name in names] for row in rows])
    return path


def write_fixture_csv(raw_dir: Path) -> dict[str, list[str]]:
    """Write every fixture table as `<source>/<table>.csv`; return the expected verdicts."""
    expected = {}
    for name, rows in ROWS.items():
        write_csv(raw_dir / f"{name}.csv", rows)
        expected[name.replace("/", ".")] = [row["expect"] for row in rows]
    return expected
