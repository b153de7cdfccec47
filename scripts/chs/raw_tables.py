"""The raw tables the project reads: where their Parquet files lie and which columns they need.

The loader and the tests read this list; the generator (scripts/generate_data.py) and the dbt
sources (models/staging/*/_*__sources.yml) keep their own, and
tests/python/test_project_layout.py checks that all three agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    source: str
    table: str
    key: str
    columns: tuple[str, ...]

    @property
    def relation(self) -> str:
        """Table name in the raw schema of the warehouse."""
        return f"{self.source}_{self.table}"

    @property
    def file(self) -> str:
        """Path of the Parquet file relative to the raw data folder."""
        return f"{self.source}/{self.table}.parquet"


RAW_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "crm",
        "customers",
        "customer_id",
        (
            "customer_id",
            "customer_name",
            "contact_email",
            "country_code",
            "segment",
            "business_type",
            "signup_at",
            "csm_owner",
            "updated_at",
        ),
    ),
    RawTable(
        "billing",
        "subscriptions",
        "subscription_id",
        (
            "subscription_id",
            "customer_id",
            "plan_name",
            "seats",
            "mrr_amount",
            "currency",
            "started_at",
            "ended_at",
            "renews_on",
            "change_type",
        ),
    ),
    RawTable(
        "billing",
        "invoices",
        "invoice_id",
        (
            "invoice_id",
            "customer_id",
            "subscription_id",
            "issued_at",
            "due_on",
            "amount",
            "currency",
            "invoice_status",
        ),
    ),
    RawTable(
        "billing",
        "payments",
        "payment_id",
        (
            "payment_id",
            "invoice_id",
            "customer_id",
            "attempted_at",
            "amount",
            "currency",
            "payment_status",
        ),
    ),
    RawTable(
        "product",
        "features",
        "feature_key",
        ("feature_key", "feature_name", "feature_category", "is_key_feature", "released_on"),
    ),
    RawTable(
        "product",
        "usage_events",
        "event_id",
        ("event_id", "customer_id", "user_id", "feature_key", "occurred_at", "received_at"),
    ),
    RawTable(
        "support",
        "tickets",
        "ticket_id",
        (
            "ticket_id",
            "customer_id",
            "opened_at",
            "first_response_at",
            "resolved_at",
            "priority",
            "ticket_status",
            "channel",
            "is_escalated",
            "satisfaction_rating",
        ),
    ),
    RawTable(
        "shop",
        "orders",
        "order_id",
        (
            "order_id",
            "customer_id",
            "ordered_at",
            "order_type",
            "amount",
            "currency",
            "order_status",
        ),
    ),
    RawTable(
        "surveys",
        "survey_responses",
        "response_id",
        (
            "response_id",
            "customer_id",
            "respondent_id",
            "survey_type",
            "score",
            "responded_at",
            "survey_channel",
        ),
    ),
)

LOADER_COLUMNS = ("_row_id", "_batch_id", "_source_file", "_loaded_at")
