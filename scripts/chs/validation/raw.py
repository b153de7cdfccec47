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

from chs.load import REQUIRED_NON_EMPTY
from chs.raw_tables import LOADER_COLUMNS, RAW_TABLES, RawTable
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
COUNTRY_CODES = ("US", "DE", "GB", "FR", "NL", "ES", "SE", "CA", "BR", "IN", "JP", "AU")
CURRENCIES = ("EUR", "GBP", "USD")

# Numeric columns with a range: (min, max, mostly). Bounds include the out-of-range values the
# generator injects as dirt (staging quarantines them); `mostly` bounds how many may miss.
RAW_RANGES: dict[str, dict[str, tuple[float | None, float | None, float]]] = {
    "billing_subscriptions": {"seats": (0, None, 0.9), "mrr_amount": (0, None, 0.9)},
    "billing_invoices": {"amount": (0, None, 0.95)},
    "support_tickets": {"satisfaction_rating": (0, 7, 0.95)},
    "shop_orders": {"amount": (0, None, 0.9)},
    "surveys_survey_responses": {"score": (-1, 11, 0.95)},
}
# Categorical columns: allowed values as the source systems spell them, and `mostly`
# (spelling variants such as ' DE' or 'SCALE ' are dirt that staging standardises).
RAW_ALLOWED: dict[str, dict[str, tuple[tuple[str, ...], float]]] = {
    "crm_customers": {
        "segment": (("SMB", "Mid-Market", "Enterprise"), 0.9),
        "business_type": (("saas", "webshop"), 0.9),
        "country_code": (COUNTRY_CODES, 0.9),
    },
    "billing_subscriptions": {
        "plan_name": (("starter", "growth", "scale", "enterprise"), 0.9),
        "currency": (CURRENCIES, 0.95),
        "change_type": (("new", "renewal", "upgrade", "downgrade"), 0.95),
    },
    "billing_invoices": {
        "currency": (CURRENCIES, 0.95),
        "invoice_status": (("paid", "open", "void"), 0.95),
    },
    "billing_payments": {
        "currency": (CURRENCIES, 0.95),
        "payment_status": (("succeeded", "failed", "refunded"), 0.95),
    },
    "support_tickets": {
        "priority": (("low", "normal", "high", "urgent"), 0.9),
        "ticket_status": (("open", "pending", "solved", "closed"), 0.95),
        "channel": (("email", "chat", "phone", "portal"), 0.9),
    },
    "shop_orders": {
        "order_type": (("goods", "add_on"), 0.95),
        "order_status": (("completed", "cancelled", "returned"), 0.9),
        "currency": (CURRENCIES, 0.95),
    },
    "surveys_survey_responses": {
        "survey_type": (("nps", "csat"), 0.95),
        "survey_channel": (("email", "in_app"), 0.95),
    },
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
# Numeric columns. Staging casts numbers delivered as text (and quarantines what does not fit),
# so these are fetched cast to double; the profile bounds the share that is not a number.
RAW_NUMBERS = ("seats", "mrr_amount", "amount", "satisfaction_rating", "score")
# pandas dtypes (as GX names them) of the other columns fetched from DuckDB
# (see chs.validation.gx._pandas_dtype).
TEXT = ["StringDtype"]
INTEGER = ["Int64Dtype"]
BOOLEAN = ["BooleanDtype"]
TIMESTAMP = ["datetime64[us]", "datetime64[ns]"]
RAW_TYPES: dict[str, list[str]] = {
    "event_id": INTEGER,
    "is_key_feature": BOOLEAN,
    "is_escalated": BOOLEAN,
    "_row_id": INTEGER,
    "_loaded_at": TIMESTAMP,
}


def _raw_suite(
    spec: RawTable, present: set[str], max_age_hours: float, now: datetime, schema: str
) -> SuiteSpec:
    table = f"{quote(schema)}.{quote(spec.relation)}"
    expected = list(spec.columns) + list(LOADER_COLUMNS)
    columns = [column for column in expected if column in present]
    ranges = {k: v for k, v in RAW_RANGES.get(spec.relation, {}).items() if k in present}
    numbers = [column for column in columns if column in RAW_NUMBERS]
    allowed = {k: v for k, v in RAW_ALLOWED.get(spec.relation, {}).items() if k in present}
    timestamps = [c for c in RAW_TIMESTAMPS.get(spec.relation, ()) if c in present]
    checks = [Check("columns", f"select * from {table} limit 0", columns_present(expected))]

    # Profile: one row of table-wide measures, so null rates are nulls over all rows.
    measures = ["count(*) as row_count"]
    # Tables the loader requires to have rows must have rows; the others (no tickets, no
    # orders, no survey answers yet) may be empty, as the loader and staging accept them.
    least_rows = 1 if spec.relation in REQUIRED_NON_EMPTY else 0
    profile: list[tuple[str, float | None, float | None]] = [("row_count", least_rows, None)]
    keys = [spec.key] + (["customer_id"] if spec.key != "customer_id" else [])
    for key in (k for k in keys if k in present):
        measures.append(
            f"avg(case when nullif(trim(cast({quote(key)} as varchar)), '') is null"
            f" then 1.0 else 0.0 end) as {key}_null_share"
        )
        profile.append((f"{key}_null_share", 0, MAX_NULL_SHARE))
    for column in numbers:
        # Numbers delivered as text are cast by staging: most of them must be numbers.
        measures.append(
            f"coalesce((count({quote(column)}) - count(try_cast({quote(column)} as double)))"
            f" / nullif(count({quote(column)}), 0), 0) as {column}_unparseable_share"
        )
        profile.append((f"{column}_unparseable_share", 0, MAX_UNPARSEABLE_SHARE))
    if "_loaded_at" in present:
        measures.append(
            "date_diff('second', max(_loaded_at), cast(? as timestamp)) / 3600.0"
            " as hours_since_load"
        )
        profile.append(("hours_since_load", None, max_age_hours))
    checks.append(
        Check(
            "profile",
            f"select {', '.join(measures)} from {table}",
            lambda: [between(column, low, high) for column, low, high in profile],
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
            if column not in numbers:  # numbers are fetched cast to double (see below)
                found.append(
                    gxe.ExpectColumnValuesToBeInTypeList(
                        column=column, type_list=RAW_TYPES.get(column, TEXT)
                    )
                )
        found += [not_null(column) for column in LOADER_COLUMNS if column in present]
        found += [between(column, *bounds) for column, bounds in ranges.items()]
        found += [
            gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), mostly=mostly)
            for column, (values, mostly) in allowed.items()
        ]
        found += [
            gxe.ExpectColumnValuesToMatchRegex(column=column, regex=TIMESTAMP_PATTERN, mostly=0.9)
            for column in timestamps
        ]
        return found

    selected = [
        f"try_cast({quote(c)} as double) as {quote(c)}" if c in numbers else quote(c)
        for c in columns
    ]
    if selected:
        checks.append(
            Check("rows", f"select {', '.join(selected)} from {table}", row_expectations, True)
        )
    return SuiteSpec(f"{schema}.{spec.relation}", checks)


def validate_raw(
    database: Path,
    report_dir: Path,
    schema: str = "raw",
    max_age_hours: float = 72,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the raw tables of `database` (schema `schema`) before dbt runs."""
    now = datetime.now(UTC)

    def specs(con: Connection) -> list[SuiteSpec]:
        existing = existing_columns(con)
        relations = [f"{schema}.{spec.relation}" for spec in RAW_TABLES]
        found = [tables_suite(f"{schema}.tables", relations)]
        for spec in RAW_TABLES:
            present = existing.get(f"{schema}.{spec.relation}")
            if present is not None:
                found.append(_raw_suite(spec, present, max_age_hours, now, schema))
        return found

    return run_stage("raw", database, report_dir, specs, chunk_rows, progress)
