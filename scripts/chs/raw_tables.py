"""The raw contract: the tables the project reads, their keys, and their columns with types.

This is the one definition of the contract. The generator (chs.generator) writes its Parquet
files with exactly these schemas, the loader and the raw validation read it, and
tests/python/test_project_layout.py checks the dbt sources (models/staging/*/_*__sources.yml)
and the column tables of docs/raw_data.md against it.

A table is `required` (nothing can be scored without it: its file must exist and have rows) or
optional (a company without a help desk or a shop delivers no file: the loader creates the raw
table empty and records it as absent in `_source_presence`). `activity_at` names the column
that dates a table's activity; the newest such value says how recent an extract is.

Types are Arrow type names, as `pyarrow.type_for_alias` reads them: "string", "int64",
"double", "bool" and "timestamp[us]". Timestamps and dates of the raw contract are ISO-8601
strings (docs/raw_data.md, Conventions); the tables connectors land (chs.landed) also hold
timestamps typed, in UTC without a zone, as Fivetran lands them.

`optional` names columns a file may lack (a field the source system does not have): the loader
fills a missing one with nulls of its type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

STRING, INT64, DOUBLE, BOOL = "string", "int64", "double", "bool"
TIMESTAMP = "timestamp[us]"
COLUMN_TYPES = (STRING, INT64, DOUBLE, BOOL, TIMESTAMP)


@dataclass(frozen=True)
class RawTable:
    source: str
    table: str
    key: str
    fields: tuple[tuple[str, str], ...]  # (column, type) in file order
    required: bool = False
    activity_at: str | None = None  # the column dating the table's activity, if it has one
    optional: tuple[str, ...] = ()  # columns a file may lack: loaded as nulls

    def __post_init__(self) -> None:
        unknown = [column for column, kind in self.fields if kind not in COLUMN_TYPES]
        if unknown or self.key not in self.columns:
            raise ValueError(f"{self.relation}: unknown types of {unknown} or key not a column")
        if not set(self.optional) <= set(self.columns) or self.key in self.optional:
            raise ValueError(f"{self.relation}: optional columns {self.optional} not all columns")
        if self.activity_at is not None and self.activity_at not in self.columns:
            raise ValueError(f"{self.relation}: activity_at {self.activity_at} is not a column")

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in file order."""
        return tuple(column for column, _ in self.fields)

    @property
    def relation(self) -> str:
        """Table name in the raw schema of the warehouse."""
        return f"{self.source}_{self.table}"

    @property
    def name(self) -> str:
        """The table as people and dbt name it: `source.table`."""
        return f"{self.source}.{self.table}"

    @property
    def stem(self) -> str:
        """Path relative to the raw data folder without extension: `<stem>.parquet`,
        `<stem>.csv` or the folder `<stem>/` of parts."""
        return f"{self.source}/{self.table}"

    @property
    def file(self) -> str:
        """Path of the Parquet file relative to the raw data folder (as the generator writes)."""
        return f"{self.stem}.parquet"

    def kind(self, column: str) -> str:
        """The contract type of one column."""
        return dict(self.fields)[column]

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
        required=True,
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
        required=True,
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
        activity_at="attempted_at",
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
        required=True,
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
        required=True,
        activity_at="occurred_at",
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
            ("satisfaction_label", STRING),
        ),
        activity_at="opened_at",
        optional=("satisfaction_label",),
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
        activity_at="ordered_at",
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
        activity_at="responded_at",
    ),
    RawTable(
        "identity",
        "customer_id_map",
        "external_id",
        (
            ("source_system", STRING),
            ("external_id", STRING),
            ("customer_id", STRING),
        ),
    ),
)

LOADER_COLUMNS = ("_row_id", "_batch_id", "_source_file", "_loaded_at")
REQUIRED_TABLES: tuple[RawTable, ...] = tuple(spec for spec in RAW_TABLES if spec.required)
