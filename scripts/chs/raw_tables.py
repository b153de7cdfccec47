"""The raw contract: the tables the project reads, their keys, and their columns with types.

This is the one definition of the contract. The generator (chs.generator) writes its Parquet
files with exactly these schemas, the loader and the raw validation read it, and
tests/python/test_project_layout.py checks the dbt sources (models/staging/*/_*__sources.yml)
and the column tables of docs/raw_data.md against it.

Types are Arrow type names, as `pyarrow.type_for_alias` reads them: "string", "int64",
"double" and "bool". Timestamps and dates are ISO-8601 strings (docs/raw_data.md, Conventions).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

STRING, INT64, DOUBLE, BOOL = "string", "int64", "double", "bool"
COLUMN_TYPES = (STRING, INT64, DOUBLE, BOOL)


@dataclass(frozen=True)
class RawTable:
    source: str
    table: str
    key: str
    fields: tuple[tuple[str, str], ...]  # (column, type) in file order

    def __post_init__(self) -> None:
        unknown = [column for column, kind in self.fields if kind not in COLUMN_TYPES]
        if unknown or self.key not in self.columns:
            raise ValueError(f"{self.relation}: unknown types of {unknown} or key not a column")

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in file order."""
        return tuple(column for column, _ in self.fields)

    @property
    def relation(self) -> str:
        """Table name in the raw schema of the warehouse."""
        return f"{self.source}_{self.table}"

    @property
    def file(self) -> str:
        """Path of the Parquet file relative to the raw data folder."""
        return f"{self.source}/{self.table}.parquet"

    def arrow_schema(self) -> pa.Schema:
        """The Parquet (Arrow) schema of the table's file."""
        return pa.schema(
            [pa.field(column, pa.type_for_alias(kind)) for column, kind in self.fields]
        )


RAW_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "crm",
        "customers",
        "customer_id",
        (
            ("customer_id", STRING),
            ("customer_name", STRING),
            ("contact_email", STRING),
            ("country_code", STRING),
            ("segment", STRING),
            ("business_type", STRING),
            ("signup_at", STRING),
            ("csm_owner", STRING),
            ("updated_at", STRING),
        ),
    ),
    RawTable(
        "billing",
        "subscriptions",
        "subscription_id",
        (
            ("subscription_id", STRING),
            ("customer_id", STRING),
            ("plan_name", STRING),
            ("seats", INT64),
            ("mrr_amount", DOUBLE),
            ("currency", STRING),
            ("started_at", STRING),
            ("ended_at", STRING),
            ("renews_on", STRING),
            ("change_type", STRING),
        ),
    ),
    RawTable(
        "billing",
        "invoices",
        "invoice_id",
        (
            ("invoice_id", STRING),
            ("customer_id", STRING),
            ("subscription_id", STRING),
            ("issued_at", STRING),
            ("due_on", STRING),
            ("amount", DOUBLE),
            ("currency", STRING),
            ("invoice_status", STRING),
        ),
    ),
    RawTable(
        "billing",
        "payments",
        "payment_id",
        (
            ("payment_id", STRING),
            ("invoice_id", STRING),
            ("customer_id", STRING),
            ("attempted_at", STRING),
            ("amount", DOUBLE),
            ("currency", STRING),
            ("payment_status", STRING),
        ),
    ),
    RawTable(
        "product",
        "features",
        "feature_key",
        (
            ("feature_key", STRING),
            ("feature_name", STRING),
            ("feature_category", STRING),
            ("is_key_feature", BOOL),
            ("released_on", STRING),
        ),
    ),
    RawTable(
        "product",
        "usage_events",
        "event_id",
        (
            ("event_id", INT64),
            ("customer_id", STRING),
            ("user_id", STRING),
            ("feature_key", STRING),
            ("occurred_at", STRING),
            ("received_at", STRING),
        ),
    ),
    RawTable(
        "support",
        "tickets",
        "ticket_id",
        (
            ("ticket_id", STRING),
            ("customer_id", STRING),
            ("opened_at", STRING),
            ("first_response_at", STRING),
            ("resolved_at", STRING),
            ("priority", STRING),
            ("ticket_status", STRING),
            ("channel", STRING),
            ("is_escalated", BOOL),
            ("satisfaction_rating", INT64),
        ),
    ),
    RawTable(
        "shop",
        "orders",
        "order_id",
        (
            ("order_id", STRING),
            ("customer_id", STRING),
            ("ordered_at", STRING),
            ("order_type", STRING),
            ("amount", DOUBLE),
            ("currency", STRING),
            ("order_status", STRING),
        ),
    ),
    RawTable(
        "surveys",
        "survey_responses",
        "response_id",
        (
            ("response_id", STRING),
            ("customer_id", STRING),
            ("respondent_id", STRING),
            ("survey_type", STRING),
            ("score", INT64),
            ("responded_at", STRING),
            ("survey_channel", STRING),
        ),
    ),
)

LOADER_COLUMNS = ("_row_id", "_batch_id", "_source_file", "_loaded_at")
