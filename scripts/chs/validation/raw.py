"""The raw gate: the raw tables, before dbt runs.

The data is dirty on purpose (about 2 % per kind of dirt, which staging routes to quarantine),
so this gate is lenient: it catches grossly broken input, such as a table where most scores
are out of range or most keys missing, not the dirt staging handles. Row-level expectations
run chunk by chunk (see chs.validation.gx); table-wide measures (null shares, load age,
duplicated rows) are aggregates DuckDB computes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import great_expectations.expectations as gxe

from chs.dbt import PROJECT_DIR
from chs.errors import UserError
from chs.raw_tables import BOOL, DOUBLE, INT64, LOADER_COLUMNS, RAW_TABLES, STRING, RawTable
from chs.registry import category_spellings
from chs.validation.checks import (
    FRAME_LIMIT,
    Check,
    SuiteSpec,
    between,
    columns_present,
    no_rows,
    not_null,
    quote,
    tables_suite,
)
from chs.validation.results import ValidationReport
from chs.validation.runner import CHUNK_ROWS, Connection, Progress, existing_columns, run_stage

MAX_NULL_SHARE = 0.1  # key columns: at most this share missing (null or '')
MAX_UNPARSEABLE_SHARE = 0.1  # numeric columns delivered as text: share that is not a number
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$"
CATEGORY_MOSTLY = 0.95  # categorical columns: share of values that must be a known spelling

# Numeric columns with a range: (min, max, mostly). Bounds include the out-of-range values the
# generator injects as dirt (staging quarantines them); `mostly` bounds how many may miss.
RAW_RANGES: dict[str, dict[str, tuple[float | None, float | None, float]]] = {
    "billing_subscriptions": {"seats": (0, None, 0.9), "mrr_amount": (0, None, 0.9)},
    "billing_invoices": {"amount": (0, None, 0.95)},
    "support_tickets": {"satisfaction_rating": (0, 7, 0.95)},
    "shop_orders": {"amount": (0, None, 0.9)},
    "surveys_survey_responses": {"score": (-1, 11, 0.95)},
}
# Closed categorical columns (the ones scoring depends on: staging quarantines an unknown value
# through category_checks) and the category of seeds/category_aliases.csv staging joins each
# with (category_alias_join in models/staging/*/base/*.sql). The accepted spellings are read
# from the seed; a test checks this wiring against the base models. Open categories (plan
# names, channels, ticket statuses: open_category_checks) take any value and are not checked.
# Columns staging checks with a rule in SQL instead (country_code: two letters; currency:
# three) have no check here: the rule lives in the `checks` list of their base model, and
# staging quarantines what breaks it.
RAW_CATEGORIES: dict[str, dict[str, str]] = {
    "crm_customers": {"segment": "segment", "business_type": "business_type"},
    "billing_subscriptions": {"change_type": "subscription_change"},
    "billing_invoices": {"invoice_status": "invoice_status"},
    "billing_payments": {"payment_status": "payment_status"},
    "support_tickets": {
        "priority": "ticket_priority",
        "satisfaction_label": "ticket_satisfaction_label",
    },
    "shop_orders": {"order_status": "order_status"},
    "surveys_survey_responses": {"survey_type": "survey_type"},
}
# ISO-8601 timestamp strings (with Z or an offset); the main timestamps receive invalid values.
RAW_TIMESTAMPS: dict[str, tuple[str, ...]] = {
    "crm_customers": ("signup_at", "updated_at"),
    "billing_subscriptions": ("started_at",),
    "billing_invoices": ("issued_at",),
    "billing_payments": ("attempted_at",),
    "product_usage_events": ("occurred_at", "received_at"),
    "support_tickets": ("opened_at",),
    "shop_orders": ("ordered_at",),
    "surveys_survey_responses": ("responded_at",),
}
# pandas dtypes (as GX names them) of the columns fetched from DuckDB
# (see chs.validation.gx._pandas_dtype), by the raw contract's type.
TEXT = ["StringDtype"]
INTEGER = ["Int64Dtype"]
BOOLEAN = ["BooleanDtype"]
TIMESTAMP = ["datetime64[us]", "datetime64[ns]"]
# Integers and booleans may arrive as text: CSV files are loaded as text (chs.loading), and
# staging casts text to the column's type and quarantines what does not fit.
CONTRACT_DTYPES = {STRING: TEXT, INT64: INTEGER + TEXT, BOOL: BOOLEAN + TEXT}
LOADER_DTYPES = {
    "_row_id": INTEGER,
    "_batch_id": TEXT,
    "_source_file": TEXT,
    "_loaded_at": TIMESTAMP,
}


def numbers(spec: RawTable) -> list[str]:
    """The contract's numeric measures (every int64 or double column but the key).

    Staging casts numbers delivered as text (and quarantines what does not fit), so these are
    fetched cast to double; the profile bounds the share that is not a number.
    """
    return [c for c, kind in spec.fields if kind in (INT64, DOUBLE) and c != spec.key]


def dtypes(spec: RawTable) -> dict[str, list[str]]:
    """The pandas dtypes the columns other than numbers() must arrive in."""
    typed = {c: CONTRACT_DTYPES[kind] for c, kind in spec.fields if kind in CONTRACT_DTYPES}
    return typed | LOADER_DTYPES


def standardised(column: str) -> str:
    """The frame column holding `column` as staging matches it against the category seed."""
    return f"lower(trim({column}))"


def _standardised_sql(column: str) -> str:
    # As the base models prepare `<column>_raw`: lower() of macros/staging/trimmed.sql.
    return f"lower(nullif(trim(cast({quote(column)} as varchar)), ''))"


def _allowed(
    spec: RawTable, present: set[str], spellings: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Known spellings of each categorical column of the table that is present."""
    allowed: dict[str, list[str]] = {}
    for column, category in RAW_CATEGORIES.get(spec.relation, {}).items():
        if column not in present:
            continue
        if category not in spellings:
            raise UserError(
                f"seeds/category_aliases.csv: no category {category!r}"
                f" (the raw gate checks {spec.relation}.{column} against it)"
            )
        allowed[column] = spellings[category]
    return allowed


def _profile(
    spec: RawTable, table: str, present: set[str], numbers: list[str], max_age_hours: float
) -> tuple[str, list[tuple[str, float | None, float | None]]]:
    """One row of table-wide measures (so null shares are nulls over all rows) and bounds."""
    measures = ["count(*) as row_count"]
    # Tables the loader requires to have rows must have rows; the others (no tickets, no
    # orders, no survey answers yet) may be empty, as the loader and staging accept them.
    least_rows = 1 if spec.required else 0
    bounds: list[tuple[str, float | None, float | None]] = [("row_count", least_rows, None)]
    keys = [spec.key] + (["customer_id"] if spec.key != "customer_id" else [])
    for key in (k for k in keys if k in present):
        measures.append(
            f"avg(case when nullif(trim(cast({quote(key)} as varchar)), '') is null"
            f" then 1.0 else 0.0 end) as {key}_null_share"
        )
        bounds.append((f"{key}_null_share", 0, MAX_NULL_SHARE))
    for column in numbers:
        # Numbers delivered as text are cast by staging: most of them must be numbers.
        measures.append(
            f"coalesce((count({quote(column)}) - count(try_cast({quote(column)} as double)))"
            f" / nullif(count({quote(column)}), 0), 0) as {column}_unparseable_share"
        )
        bounds.append((f"{column}_unparseable_share", 0, MAX_UNPARSEABLE_SHARE))
    if "_loaded_at" in present:
        measures.append(
            "date_diff('second', max(_loaded_at), cast(? as timestamp)) / 3600.0"
            " as hours_since_load"
        )
        bounds.append(("hours_since_load", None, max_age_hours))
    return f"select {', '.join(measures)} from {table}", bounds


def _raw_suite(
    spec: RawTable,
    present: set[str],
    spellings: dict[str, list[str]],
    max_age_hours: float,
    now: datetime,
    schema: str,
) -> SuiteSpec:
    table = f"{quote(schema)}.{quote(spec.relation)}"
    expected = list(spec.columns) + list(LOADER_COLUMNS)
    columns = [column for column in expected if column in present]
    ranges = {k: v for k, v in RAW_RANGES.get(spec.relation, {}).items() if k in present}
    measures = [column for column in columns if column in numbers(spec)]
    types = dtypes(spec)
    allowed = _allowed(spec, present, spellings)
    timestamps = [c for c in RAW_TIMESTAMPS.get(spec.relation, ()) if c in present]
    checks = [Check("columns", f"select * from {table} limit 0", columns_present(expected))]

    profile_sql, profile_bounds = _profile(spec, table, present, measures, max_age_hours)
    checks.append(
        Check(
            "profile",
            profile_sql,
            lambda: [between(column, low, high) for column, low, high in profile_bounds],
            params=(now.replace(tzinfo=None),) if "_loaded_at" in present else (),
        )
    )
    if "_row_id" in present:
        checks.append(
            Check(
                "duplicates",
                f"select _row_id, count(*) as copies from {table} group by 1"
                f" having count(*) > 1 order by copies desc, 1 limit {FRAME_LIMIT}",
                lambda: [no_rows()],
            )
        )

    def row_expectations() -> list[gxe.Expectation]:
        found: list[gxe.Expectation] = []
        for column in columns:
            if column not in measures:  # measures are fetched cast to double (see numbers())
                found.append(
                    gxe.ExpectColumnValuesToBeInTypeList(column=column, type_list=types[column])
                )
        found += [not_null(column) for column in LOADER_COLUMNS if column in present]
        found += [between(column, *bounds) for column, bounds in ranges.items()]
        found += [
            gxe.ExpectColumnValuesToBeInSet(
                column=standardised(column), value_set=values, mostly=CATEGORY_MOSTLY
            )
            for column, values in allowed.items()
        ]
        found += [
            gxe.ExpectColumnValuesToMatchRegex(column=column, regex=TIMESTAMP_PATTERN, mostly=0.9)
            for column in timestamps
        ]
        return found

    selected = [
        f"try_cast({quote(c)} as double) as {quote(c)}" if c in measures else quote(c)
        for c in columns
    ]
    selected += [f"{_standardised_sql(c)} as {quote(standardised(c))}" for c in allowed]
    if selected:
        checks.append(
            Check("rows", f"select {', '.join(selected)} from {table}", row_expectations, True)
        )
    return SuiteSpec(f"{schema}.{spec.relation}", checks)


def _native_tables(con: Connection, schema: str) -> list[RawTable]:
    """The raw-contract tables the load wrote as delivered. A table a source adapter delivers
    (`_source_presence.provided_by`) is not in the raw schema: its landed tables are, and
    staging checks them through the adapter."""
    adapted = {
        relation
        for (relation,) in con.execute(
            f"select relation from {schema}._source_presence where provided_by != 'native'"
        ).fetchall()
    }
    return [spec for spec in RAW_TABLES if spec.relation not in adapted]


def validate_raw(
    database: Path,
    report_dir: Path,
    schema: str = "raw",
    max_age_hours: float = 72,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
    project_dir: Path = PROJECT_DIR,
) -> ValidationReport:
    """Validate the raw tables of `database` (schema `schema`) before dbt runs.

    Categorical values are checked against the seeds of `project_dir`.
    """
    now = datetime.now(UTC)
    spellings = category_spellings(project_dir)

    def specs(con: Connection) -> list[SuiteSpec]:
        existing = existing_columns(con)
        native = _native_tables(con, schema)
        relations = [f"{schema}.{spec.relation}" for spec in native]
        found = [tables_suite(f"{schema}.tables", relations)]
        for spec in native:
            present = existing.get(f"{schema}.{spec.relation}")
            if present is not None:
                found.append(_raw_suite(spec, present, spellings, max_age_hours, now, schema))
        return found

    return run_stage("raw", database, report_dir, specs, chunk_rows, progress)
