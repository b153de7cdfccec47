"""Great Expectations gates: the raw tables before dbt runs, the marts before they are published.

Validation runs on pandas DataFrames fetched from DuckDB (GX's SQL datasource on DuckDB gives
false failures) and stays memory-bounded however large the tables are:

- Row-level expectations (nulls, ranges, allowed values, types, formats) run chunk by chunk on
  a stream of Arrow record batches (`chunk_rows` rows each). The per-chunk GX results are
  combined into one result per expectation: element, missing and unexpected counts are added
  up and `mostly` is decided on the totals, so a chunk's failure fails the expectation only
  when the whole table does.
- Set-level checks (uniqueness of a grain, row counts, null rates, freshness, bands consistent
  with scores, contributions adding up, moves against the previous run) let DuckDB compute a
  small aggregate frame, which GX then validates as a whole (e.g. the frame of duplicated keys
  must have no rows).

Each run writes its results as JSON (`validation-<stage>-<UTC time>.json` and
`latest-<stage>.json` in the report folder) and GX's HTML Data Docs (`data_docs/index.html`),
from a file-backed GX project kept in the report folder (`gx/`), never in the repository.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pyarrow as pa
import yaml
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from chs.dbt import PROJECT_DIR
from chs.errors import UserError
from chs.load import REQUIRED_NON_EMPTY
from chs.raw_tables import LOADER_COLUMNS, RAW_TABLES, RawTable

CHUNK_ROWS = 250_000  # rows per chunk of row-level validation: bounds memory
SAMPLE_ROWS = 20  # rows of a failing aggregate frame kept in the report
FRAME_LIMIT = 1000  # most rows an aggregate frame of offending keys holds
DATA_DOCS_SITE = "chs_data_docs"
DUCKDB_MEMORY_LIMIT = "2GB"  # DuckDB's share of the machine while validating
MAX_NULL_SHARE = 0.1  # raw key columns: at most this share missing (null or '')
MAX_UNPARSEABLE_SHARE = 0.1  # raw numeric columns delivered as text: share that is not a number
SCORE_TOLERANCE = 1e-4  # contributions vs computed_score (scores are rounded to 6 decimals)
WEIGHT_MAX = 1.000001  # shares and weights: 1 plus float rounding, as in the dbt tests
PREVIOUS = "chs_previous_run"  # the previous run's database, attached for the comparison

Progress = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's combined result, in words and as GX reported it."""

    check: str  # the frame it ran on: columns, rows, profile, duplicates, ...
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    column: str | None
    success: bool
    observed: str
    expected: str
    result: dict[str, Any] = field(default_factory=dict)
    sample: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "expectation": self.expectation,
            "column": self.column,
            "success": self.success,
            "observed": self.observed,
            "expected": self.expected,
            "result": self.result,
            "sample": self.sample,
        }


@dataclass(frozen=True)
class SuiteResult:
    """All expectations about one table (or one comparison), across the frames they ran on."""

    name: str
    outcomes: list[ExpectationOutcome]

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


@dataclass
class ValidationReport:
    stage: str
    database: Path
    suite_results: list[SuiteResult]
    success: bool
    json_path: Path
    html_dir: Path

    def summary(self) -> str:
        """Failing suites with each failed expectation (observed vs expected); passing: a line."""
        failed = [suite for suite in self.suite_results if not suite.success]
        verdict = "passed" if self.success else "FAILED"
        lines = [
            f"Validation of the {self.stage} data in {self.database}: {verdict}"
            f" ({len(self.suite_results) - len(failed)} of {len(self.suite_results)} suites passed)"
        ]
        for suite in failed:
            lines.append(
                f"FAIL {suite.name}: {len(suite.failures)} of {len(suite.outcomes)}"
                " expectations failed"
            )
            for outcome in suite.failures:
                column = f" on column {outcome.column}" if outcome.column else ""
                lines.append(f"  - {outcome.expectation}{column} [{outcome.check}]")
                lines.append(f"      observed: {outcome.observed}")
                lines.append(f"      expected: {outcome.expected}")
                for row in outcome.sample[:5]:
                    values = ", ".join(f"{key}={value}" for key, value in row.items())
                    lines.append(f"      e.g. {values}")
        for suite in self.suite_results:
            if suite.success:
                lines.append(f"ok   {suite.name} ({len(suite.outcomes)} expectations)")
        lines.append(f"Results:   {self.json_path}")
        lines.append(f"Data Docs: {self.html_dir / 'index.html'}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# What is validated: a suite is a list of checks, each a frame DuckDB computes plus the
# expectations GX validates on it.


@dataclass(frozen=True)
class Check:
    name: str
    sql: str
    expectations: Callable[[], list[gxe.Expectation]]  # fresh objects for every run
    chunked: bool = False  # stream the frame in chunks (row-level checks on whole tables)
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    checks: list[Check]


def _between(
    column: str, low: float | None, high: float | None, mostly: float | None = None
) -> gxe.Expectation:
    extra = {} if mostly is None else {"mostly": mostly}  # GX refuses mostly=None
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **extra)


def _not_null(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column)


def _no_rows() -> gxe.Expectation:
    return gxe.ExpectTableRowCountToEqual(value=0)


def _columns_present(columns: Sequence[str]) -> Callable[[], list[gxe.Expectation]]:
    return lambda: [gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=False)]


def _quote(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


# Raw tables. The data is dirty on purpose (about 2 % per kind of dirt, which staging routes
# to quarantine), so the raw gate is lenient: it catches grossly broken input, such as a table
# where most scores are out of range or most keys missing, not the dirt staging handles.
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
# pandas dtypes (as GX names them) of the other columns fetched from DuckDB; see _pandas_dtype.
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
    table = f"{_quote(schema)}.{_quote(spec.relation)}"
    expected = list(spec.columns) + list(LOADER_COLUMNS)
    columns = [column for column in expected if column in present]
    ranges = {k: v for k, v in RAW_RANGES.get(spec.relation, {}).items() if k in present}
    numbers = [column for column in columns if column in RAW_NUMBERS]
    allowed = {k: v for k, v in RAW_ALLOWED.get(spec.relation, {}).items() if k in present}
    timestamps = [c for c in RAW_TIMESTAMPS.get(spec.relation, ()) if c in present]
    checks = [Check("columns", f"select * from {table} limit 0", _columns_present(expected))]

    # Profile: one row of table-wide measures, so null rates are nulls over all rows.
    measures = ["count(*) as row_count"]
    # Tables the loader requires to have rows must have rows; the others (no tickets, no
    # orders, no survey answers yet) may be empty, as the loader and staging accept them.
    least_rows = 1 if spec.relation in REQUIRED_NON_EMPTY else 0
    profile: list[tuple[str, float | None, float | None]] = [("row_count", least_rows, None)]
    keys = [spec.key] + (["customer_id"] if spec.key != "customer_id" else [])
    for key in (k for k in keys if k in present):
        measures.append(
            f"avg(case when nullif(trim(cast({_quote(key)} as varchar)), '') is null"
            f" then 1.0 else 0.0 end) as {key}_null_share"
        )
        profile.append((f"{key}_null_share", 0, MAX_NULL_SHARE))
    for column in numbers:
        # Numbers delivered as text are cast by staging: most of them must be numbers.
        measures.append(
            f"coalesce((count({_quote(column)}) - count(try_cast({_quote(column)} as double)))"
            f" / nullif(count({_quote(column)}), 0), 0) as {column}_unparseable_share"
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
            lambda: [_between(column, low, high) for column, low, high in profile],
            params=(now.replace(tzinfo=None),) if "_loaded_at" in present else (),
        )
    )
    if "_row_id" in present:
        checks.append(
            Check(
                "duplicates",
                f"select _row_id, count(*) as copies from {table} group by 1"
                f" having count(*) > 1 order by copies desc, 1 limit {FRAME_LIMIT}",
                lambda: [_no_rows()],
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
        found += [_not_null(column) for column in LOADER_COLUMNS if column in present]
        found += [_between(column, *bounds) for column, bounds in ranges.items()]
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
        f"try_cast({_quote(c)} as double) as {_quote(c)}" if c in numbers else _quote(c)
        for c in columns
    ]
    if selected:
        checks.append(
            Check("rows", f"select {', '.join(selected)} from {table}", row_expectations, True)
        )
    return SuiteSpec(f"{schema}.{spec.relation}", checks)


# Marts.
MARTS = (
    "fct_customer_health_weekly",
    "fct_customer_health_current",
    "fct_customer_health_components",
)
BANDS = ("red", "yellow", "green", "not_scored")
FAMILY_SCORES = tuple(
    f"{family}_score"
    for family in ("usage", "support", "surveys", "billing", "orders", "commercial")
)


def mart_columns(project_dir: Path = PROJECT_DIR) -> dict[str, list[str]]:
    """Columns of every mart as documented in models/marts/**/_*__models.yml."""
    columns: dict[str, list[str]] = {}
    for path in sorted((project_dir / "models" / "marts").glob("**/_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models") or []:
            columns[model["name"]] = [column["name"] for column in model.get("columns") or []]
    return columns


def _duplicates_sql(table: str, grain: Sequence[str]) -> str:
    keys = ", ".join(grain)
    positions = ", ".join(str(i + 1) for i in range(len(grain)))
    return (
        f"select {keys}, count(*) as copies from {table} group by {positions}"
        f" having count(*) > 1 order by copies desc, {positions} limit {FRAME_LIMIT}"
    )


def _bands_sql(table: str, grain: Sequence[str]) -> str:
    """Rows whose health_band is not the band of health_score in reference.score_bands.

    A score belongs to the band with the highest min_score at or below it; no score means
    not_scored. Overridden rows show the override band and are left out.
    """
    keys = ", ".join(f"r.{key}" for key in grain)
    return f"""
        with bands as (select band, min_score from reference.score_bands),
        rows_to_check as (
            select {", ".join(grain)}, health_score, health_band
            from {table}
            where not coalesce(is_overridden, false)
        ),
        expected as (
            select {keys}, r.health_score, r.health_band,
                coalesce(arg_max(b.band, b.min_score), 'not_scored') as expected_band
            from rows_to_check as r
            left join bands as b on b.min_score <= r.health_score
            group by all
        )
        select * from expected
        where health_band is distinct from expected_band
        order by {", ".join(str(i + 1) for i in range(len(grain)))}
        limit {FRAME_LIMIT}
    """


def _score_row_expectations(grain: Sequence[str]) -> list[gxe.Expectation]:
    return [
        *(_not_null(key) for key in grain),
        *(_between(c, 0, 100) for c in ("health_score", "computed_score", *FAMILY_SCORES)),
        _between("completeness", 0, WEIGHT_MAX),
        _not_null("health_band"),
        gxe.ExpectColumnValuesToBeInSet(column="health_band", value_set=list(BANDS)),
        gxe.ExpectColumnValuesToBeInSet(column="computed_band", value_set=list(BANDS)),
    ]


def _score_mart_suite(name: str, grain: Sequence[str], columns: list[str]) -> SuiteSpec:
    table = f"marts.{name}"
    selected = [*grain, "health_band", "computed_band", "health_score", "computed_score"]
    selected += [*FAMILY_SCORES, "completeness"]
    return SuiteSpec(
        table,
        [
            Check("columns", f"select * from {table} limit 0", _columns_present(columns)),
            Check(
                "profile",
                f"select count(*) as row_count from {table}",
                lambda: [_between("row_count", 1, None)],
            ),
            Check("grain", _duplicates_sql(table, grain), lambda: [_no_rows()]),
            Check(
                "rows",
                f"select {', '.join(selected)} from {table}",
                lambda: _score_row_expectations(grain),
                chunked=True,
            ),
            Check("bands", _bands_sql(table, grain), lambda: [_no_rows()]),
        ],
    )


def _components_suite(columns: list[str]) -> SuiteSpec:
    table = "marts.fct_customer_health_components"
    grain = ("customer_id", "week_start", "indicator_key")
    contributions = f"""
        with contributions as (
            select customer_id, week_start, sum(contribution) as contribution_sum
            from {table}
            group by 1, 2
        )
        select w.customer_id, w.week_start, w.computed_score, c.contribution_sum
        from marts.fct_customer_health_weekly as w
        left join contributions as c
            on w.customer_id = c.customer_id and w.week_start = c.week_start
        where w.computed_score is not null
            and (c.contribution_sum is null
                or abs(c.contribution_sum - w.computed_score) > {SCORE_TOLERANCE})
        order by 1, 2
        limit {FRAME_LIMIT}
    """
    return SuiteSpec(
        table,
        [
            Check("columns", f"select * from {table} limit 0", _columns_present(columns)),
            Check(
                "profile",
                f"select count(*) as row_count from {table}",
                lambda: [_between("row_count", 1, None)],
            ),
            Check("grain", _duplicates_sql(table, grain), lambda: [_no_rows()]),
            Check(
                "rows",
                f"select {', '.join(grain)}, normalised_score, effective_weight, contribution"
                f" from {table}",
                lambda: [
                    *(_not_null(key) for key in grain),
                    _between("normalised_score", 0, 100),
                    _between("effective_weight", 0, WEIGHT_MAX),
                    _between("contribution", 0, 100),
                ],
                chunked=True,
            ),
            Check("contributions", contributions, lambda: [_no_rows()]),
        ],
    )


def _comparison_suite(current: str, previous: str, tolerance: float) -> SuiteSpec:
    """Red share of the latest week and customers in the current mart, against the last run.

    A move is the ratio of the larger to the smaller value minus one, so halving and doubling
    are both a move of 1.0 (100 %). Shares below one percentage point count as one, so a
    handful of red customers appearing in a green portfolio is not a jump from zero.
    """

    def red_share(catalog: str) -> str:
        weekly = f"{catalog}.marts.fct_customer_health_weekly"
        return (
            f"(select coalesce(avg(case when health_band = 'red' then 1.0 else 0.0 end), 0)"
            f" from {weekly} where week_start = (select max(week_start) from {weekly}))"
        )

    def customers(catalog: str) -> str:
        return f"(select count(*) from {catalog}.marts.fct_customer_health_current)"

    sql = f"""
        with measures as (
            select 'red_share_latest_week' as measure,
                {red_share(previous)} as previous_value,
                {red_share(current)} as current_value,
                0.01 as floor_value
            union all
            select 'customers_in_current_mart',
                {customers(previous)}, {customers(current)}, 1
        )
        select measure, previous_value, current_value,
            greatest(previous_value, current_value, floor_value)
                / greatest(least(previous_value, current_value), floor_value) - 1
                as relative_move
        from measures
    """
    return SuiteSpec(
        "marts.distribution_vs_previous",
        [
            Check(
                "comparison",
                sql,
                lambda: [
                    gxe.ExpectTableRowCountToEqual(value=2),
                    _not_null("relative_move"),
                    _between("relative_move", 0, tolerance),
                ],
            )
        ],
    )


# --------------------------------------------------------------------------------------------
# Running GX on frames


def _pandas_dtype(arrow_type: pa.DataType) -> object | None:
    """Nullable pandas dtypes, so a column's dtype does not depend on the chunk's nulls."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if (
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    ):
        return pd.StringDtype()
    return None


def _to_pandas(data: pa.RecordBatch | pa.Table, offset: int = 0) -> pd.DataFrame:
    frame = data.to_pandas(types_mapper=_pandas_dtype)
    # Row positions across the whole stream, so GX's unexpected indexes point at real rows.
    frame.index = pd.RangeIndex(offset, offset + len(frame))
    return frame


def _frames(
    con: duckdb.DuckDBPyConnection, check: Check, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    result = con.execute(check.sql, list(check.params))
    if not check.chunked:
        yield _to_pandas(result.to_arrow_table())
        return
    reader = result.to_arrow_reader(chunk_rows)
    offset = 0
    for batch in reader:
        if batch.num_rows == 0:
            continue
        yield _to_pandas(batch, offset)
        offset += batch.num_rows
    if offset == 0:  # an empty table still gets its expectations evaluated
        yield _to_pandas(reader.schema.empty_table())


@dataclass
class _Tally:
    """One expectation's results over the chunks of a frame."""

    first: ExpectationValidationResult
    counted: bool = False  # a column-map expectation with element/unexpected counts
    success: bool = True
    result: dict[str, Any] = field(default_factory=dict)
    exception_info: dict[str, Any] | None = None
    element_count: int = 0
    missing_count: int = 0
    unexpected_count: int = 0
    partial_unexpected_list: list[Any] = field(default_factory=list)
    partial_unexpected_index_list: list[Any] = field(default_factory=list)
    partial_unexpected_counts: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, chunk: ExpectationValidationResult) -> None:
        info = chunk.exception_info or {}
        if info.get("raised_exception") and self.exception_info is None:
            self.exception_info = info
        result = chunk.result or {}
        if "unexpected_count" in result:
            self.counted = True
            self.element_count += result.get("element_count") or 0
            self.missing_count += result.get("missing_count") or 0
            self.unexpected_count += result.get("unexpected_count") or 0
            room = SAMPLE_ROWS - len(self.partial_unexpected_list)
            self.partial_unexpected_list += list(result.get("partial_unexpected_list") or [])[:room]
            room = SAMPLE_ROWS - len(self.partial_unexpected_index_list)
            indexes = result.get("partial_unexpected_index_list") or []
            self.partial_unexpected_index_list += list(indexes)[:room]
            for item in result.get("partial_unexpected_counts") or []:
                key = repr(item["value"])
                if key in self.partial_unexpected_counts:
                    self.partial_unexpected_counts[key][1] += item["count"]
                elif len(self.partial_unexpected_counts) < SAMPLE_ROWS:
                    self.partial_unexpected_counts[key] = [item["value"], item["count"]]
        elif not self.result or (self.success and not chunk.success):
            self.result = dict(result)  # e.g. observed_value: kept from the first failing chunk
        self.success = self.success and bool(chunk.success)

    def finish(self) -> ExpectationValidationResult:
        config = self.first.expectation_config
        success = self.success
        result = self.result
        if self.counted:
            # Decide `mostly` on the totals, as GX would on the whole table.
            nonmissing = self.element_count - self.missing_count
            mostly = config.kwargs.get("mostly")
            mostly = 1.0 if mostly is None else float(mostly)
            share_ok = nonmissing == 0 or (nonmissing - self.unexpected_count) / nonmissing >= (
                mostly
            )
            success = share_ok if self.exception_info is None else False
            result = {
                "element_count": self.element_count,
                "unexpected_count": self.unexpected_count,
                "unexpected_percent": _percent(self.unexpected_count, nonmissing),
                "partial_unexpected_list": self.partial_unexpected_list,
                "partial_unexpected_index_list": self.partial_unexpected_index_list,
                "partial_unexpected_counts": [
                    {"value": value, "count": count}
                    for value, count in self.partial_unexpected_counts.values()
                ],
            }
            if config.type != "expect_column_values_to_not_be_null":
                result["missing_count"] = self.missing_count
                result["missing_percent"] = _percent(self.missing_count, self.element_count)
                result["unexpected_percent_total"] = _percent(
                    self.unexpected_count, self.element_count
                )
                result["unexpected_percent_nonmissing"] = result["unexpected_percent"]
        elif self.exception_info is not None:
            success = False
        return ExpectationValidationResult(
            success=success,
            expectation_config=config,
            result=result,
            meta=self.first.meta,
            exception_info=self.exception_info
            or {"raised_exception": False, "exception_traceback": None, "exception_message": None},
        )


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


class _GxProject:
    """A file-backed GX project in the report folder: suites, results and Data Docs."""

    def __init__(self, report_dir: Path, run_name: str, run_time: datetime) -> None:
        self.html_dir = report_dir / "data_docs"
        self.context = gx.get_context(mode="file", project_root_dir=str(report_dir))
        self.context.enable_analytics(False)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.context.variables.save()
        sites = self.context.get_site_names()
        if "local_site" in sites:  # the default site would write inside gx/uncommitted
            self.context.delete_data_docs_site("local_site")
        if DATA_DOCS_SITE not in sites:
            self.context.add_data_docs_site(
                site_name=DATA_DOCS_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.html_dir.resolve()),
                    },
                },
            )
        source = self.context.data_sources.add_or_update_pandas("customer_health_frames")
        asset = source.add_dataframe_asset("frames")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
        self.run_id = RunIdentifier(run_name=run_name, run_time=run_time)

    def validate(
        self, suite_name: str, expectations: list[gxe.Expectation], frames: Iterator[pd.DataFrame]
    ) -> tuple[ExpectationSuiteValidationResult, pd.DataFrame | None, int]:
        """Validate every frame; return the combined result, the last frame and the row count."""
        suite = self.context.suites.add_or_update(
            gx.ExpectationSuite(name=suite_name, expectations=expectations)
        )
        tallies: list[_Tally] = []
        first: ExpectationSuiteValidationResult | None = None
        frame: pd.DataFrame | None = None
        rows = chunks = 0
        for frame in frames:
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            chunk = batch.validate(suite, result_format="SUMMARY")
            if first is None:
                first = chunk
                tallies = [_Tally(first=result) for result in chunk.results]
            for tally, result in zip(tallies, chunk.results, strict=True):
                tally.add(result)
            rows += len(frame)
            chunks += 1
        assert first is not None  # _frames yields at least one frame
        results = [tally.finish() for tally in tallies]
        passed = sum(1 for result in results if result.success)
        combined = ExpectationSuiteValidationResult(
            success=passed == len(results),
            results=results,
            suite_name=suite.name,
            statistics={
                "evaluated_expectations": len(results),
                "successful_expectations": passed,
                "unsuccessful_expectations": len(results) - passed,
                "success_percent": _percent(passed, len(results)) if results else 100.0,
            },
            meta={**first.meta, "chunks": chunks, "rows": rows},
        )
        if chunks > 1:  # the first chunk's fingerprint does not describe the whole frame
            combined.meta["batch_markers"] = {
                key: value
                for key, value in (first.meta.get("batch_markers") or {}).items()
                if key != "pandas_data_fingerprint"
            }
        combined.meta["run_id"] = self.run_id
        combined.meta["validation_time"] = self.run_id.run_time
        self.context.validation_results_store.store_validation_results(
            suite_validation_result=combined,
            suite_validation_result_identifier=ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
                run_id=self.run_id,
                batch_identifier=f"{rows}-rows-in-{chunks}-chunks",
            ),
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
        )
        return combined, frame, rows

    def build_data_docs(self) -> None:
        self.context.build_data_docs(site_names=[DATA_DOCS_SITE])


# --------------------------------------------------------------------------------------------
# Describing results in words


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _expected(config: Any) -> str:
    kwargs = config.kwargs
    kind = config.type
    if kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and high is not None:
            text = f"between {_number(low)} and {_number(high)}"
        elif low is not None:
            text = f">= {_number(low)}"
        else:
            text = f"<= {_number(high)}"
    elif kind == "expect_column_values_to_be_in_set":
        text = "one of " + ", ".join(map(str, kwargs.get("value_set") or []))
    elif kind == "expect_column_values_to_not_be_null":
        text = "not null"
    elif kind == "expect_column_values_to_match_regex":
        text = f"matching {kwargs.get('regex')}"
    elif kind == "expect_column_values_to_be_in_type_list":
        text = "dtype one of " + ", ".join(kwargs.get("type_list") or [])
    elif kind == "expect_table_row_count_to_equal":
        text = f"exactly {kwargs.get('value')} rows"
    elif kind == "expect_column_distinct_values_to_contain_set":
        text = "values include " + ", ".join(map(str, kwargs.get("value_set") or []))
    elif kind == "expect_table_columns_to_match_set":
        text = "columns include " + ", ".join(kwargs.get("column_set") or [])
    else:
        text = json.dumps({k: v for k, v in kwargs.items() if k != "batch_id"}, default=str)
    mostly = kwargs.get("mostly")
    if mostly is not None and mostly < 1:
        text += f", for at least {mostly:.0%} of the non-null values"
    return text


def _observed(result: ExpectationValidationResult, chunked: bool) -> str:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = (info.get("exception_message") or "").strip().splitlines()
        return f"error: {message[-1] if message else 'exception while validating'}"
    config = result.expectation_config
    details = result.result or {}
    if "unexpected_count" in details:
        unexpected = details["unexpected_count"]
        if config.type == "expect_column_values_to_not_be_null":
            total = details.get("element_count", 0)
            return f"{unexpected:,} of {total:,} values null ({_percent(unexpected, total):.1f}%)"
        nonmissing = details.get("element_count", 0) - details.get("missing_count", 0)
        values = details.get("partial_unexpected_list") or []
        if not chunked and nonmissing == 1 and values:
            return _number(values[0])
        if not chunked:  # a small aggregate frame: its rows are in the sample
            shown = ", ".join(_number(value) for value in values[:5])
            return f"{shown} ({unexpected:,} of {nonmissing:,} rows unexpected)"
        text = (
            f"{unexpected:,} of {nonmissing:,} non-null values unexpected"
            f" ({_percent(unexpected, nonmissing):.1f}%)"
        )
        if values:
            text += ", e.g. " + ", ".join(_number(value) for value in values[:5])
        return text
    observed = details.get("observed_value")
    if config.type == "expect_table_columns_to_match_set":
        missing = [c for c in config.kwargs.get("column_set") or [] if c not in (observed or [])]
        return "missing columns: " + ", ".join(missing) if missing else "all present"
    if config.type == "expect_column_distinct_values_to_contain_set":
        missing = details.get("partial_missing_list") or []
        return "missing: " + ", ".join(map(str, missing)) if missing else "all present"
    if config.type == "expect_table_row_count_to_equal":
        more = " (or more)" if observed == FRAME_LIMIT else ""
        return f"{observed} row{'' if observed == 1 else 's'}{more}"
    return _number(observed)


def _plain(value: Any) -> Any:
    """A frame value as plain JSON: None, numbers, strings, ISO dates."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sample(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None:
        return []
    return [
        {column: _plain(value) for column, value in row.items()}
        for row in frame.head(SAMPLE_ROWS).to_dict(orient="records")
    ]


def _run_suite(
    spec: SuiteSpec,
    con: duckdb.DuckDBPyConnection,
    project: _GxProject,
    chunk_rows: int,
    progress: Progress | None,
) -> SuiteResult:
    outcomes: list[ExpectationOutcome] = []
    for check in spec.checks:
        started = datetime.now(UTC)
        combined, frame, rows = project.validate(
            f"{spec.name}.{check.name}", check.expectations(), _frames(con, check, chunk_rows)
        )
        if progress is not None:
            seconds = (datetime.now(UTC) - started).total_seconds()
            progress(f"{spec.name} {check.name}: {rows:,} rows in {seconds:.1f}s")
        for result in combined.results:
            config = result.expectation_config
            # The rows of a small aggregate frame (duplicated keys, mismatches) explain a
            # failure; a catalog or column listing does not.
            shows_rows = not check.chunked and config.type in (
                "expect_table_row_count_to_equal",
                "expect_column_values_to_be_between",
            )
            outcomes.append(
                ExpectationOutcome(
                    check=check.name,
                    expectation=config.type,
                    column=config.kwargs.get("column"),
                    success=bool(result.success),
                    observed=_observed(result, check.chunked),
                    expected=_expected(config),
                    result=result.to_json_dict(),
                    sample=[] if result.success or not shows_rows else _sample(frame),
                )
            )
    return SuiteResult(spec.name, outcomes)


# --------------------------------------------------------------------------------------------
# The two gates


def _connect(database: Path, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    if not database.is_file():
        raise UserError(f"{database}: database file does not exist")
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"{database}: cannot open the DuckDB file ({exc})") from None
    con.execute("set enable_progress_bar = false")
    # Aggregates over hundreds of millions of rows (duplicate keys) spill to disk beyond this.
    con.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"set temp_directory = {_literal(str(temp_dir))}")
    return con


def _tables_suite(name: str, relations: Sequence[str]) -> SuiteSpec:
    """The tables the other suites read must exist (in the main database, not attached ones)."""
    schemas = ", ".join(sorted({f"'{relation.split('.')[0]}'" for relation in relations}))
    sql = (
        "select table_schema || '.' || table_name as relation from information_schema.tables"
        f" where table_catalog = current_database() and table_schema in ({schemas})"
        " order by 1"
    )
    return SuiteSpec(
        name,
        [
            Check(
                "catalog",
                sql,
                lambda: [
                    gxe.ExpectColumnDistinctValuesToContainSet(
                        column="relation", value_set=list(relations)
                    )
                ],
            )
        ],
    )


def _existing(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Columns of every table of the main database, by schema.table."""
    rows = con.execute(
        "select table_schema || '.' || table_name, column_name from information_schema.columns"
        " where table_catalog = current_database()"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for relation, column in rows:
        found.setdefault(relation, set()).add(column)
    return found


def _run(
    stage: str,
    database: Path,
    report_dir: Path,
    specs: Callable[[duckdb.DuckDBPyConnection], list[SuiteSpec]],
    chunk_rows: int,
    progress: Progress | None,
    before: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> ValidationReport:
    database = Path(database).resolve()
    report_dir = Path(report_dir).resolve()
    con = _connect(database, report_dir / "gx" / "uncommitted" / "duckdb_tmp")
    try:
        if before is not None:
            before(con)
        run_time = datetime.now(UTC)
        stamp = run_time.strftime("%Y%m%dT%H%M%SZ")
        report_dir.mkdir(parents=True, exist_ok=True)
        project = _GxProject(report_dir, f"{stage}-{stamp}", run_time)
        suites = [_run_suite(s, con, project, chunk_rows, progress) for s in specs(con)]
    finally:
        con.close()
    project.build_data_docs()

    success = all(suite.success for suite in suites)
    json_path = report_dir / f"validation-{stage}-{stamp}.json"
    serial = 1
    while json_path.exists():  # two runs within one second
        serial += 1
        json_path = report_dir / f"validation-{stage}-{stamp}-{serial}.json"
    report = ValidationReport(stage, database, suites, success, json_path, project.html_dir)
    document = {
        "stage": stage,
        "database": str(database),
        "run_time": run_time.isoformat(),
        "success": success,
        "data_docs": str(project.html_dir / "index.html"),
        "suites": [
            {
                "name": suite.name,
                "success": suite.success,
                "expectations": [outcome.as_dict() for outcome in suite.outcomes],
            }
            for suite in suites
        ],
    }
    text = json.dumps(document, indent=2, default=str) + "\n"
    json_path.write_text(text)
    (report_dir / f"latest-{stage}.json").write_text(text)
    return report


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

    def specs(con: duckdb.DuckDBPyConnection) -> list[SuiteSpec]:
        existing = _existing(con)
        relations = [f"{schema}.{spec.relation}" for spec in RAW_TABLES]
        found = [_tables_suite(f"{schema}.tables", relations)]
        for spec in RAW_TABLES:
            present = existing.get(f"{schema}.{spec.relation}")
            if present is not None:
                found.append(_raw_suite(spec, present, max_age_hours, now, schema))
        return found

    return _run("raw", database, report_dir, specs, chunk_rows, progress)


def validate_marts(
    database: Path,
    report_dir: Path,
    previous: Path | None = None,
    tolerance: float = 0.5,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the marts of `database`; with `previous`, compare with the last published run."""
    if previous is not None and not Path(previous).is_file():
        raise UserError(f"{previous}: previous database file does not exist")
    documented = mart_columns()
    needed = [f"marts.{name}" for name in MARTS] + ["reference.score_bands"]

    def attach_previous(con: duckdb.DuckDBPyConnection) -> None:
        if previous is not None:
            path = _literal(str(Path(previous).resolve()))
            try:
                con.execute(f"attach {path} as {PREVIOUS} (read_only)")
            except duckdb.Error as exc:
                raise UserError(
                    f"{previous}: cannot open the previous DuckDB file ({exc})"
                ) from None
            found = con.execute(
                "select count(*) from information_schema.tables where table_catalog = ?"
                " and table_schema = 'marts' and table_name in (?, ?)",
                [PREVIOUS, "fct_customer_health_weekly", "fct_customer_health_current"],
            ).fetchone()[0]
            if found != 2:
                raise UserError(
                    f"{previous}: not a previous run: it lacks marts.fct_customer_health_weekly"
                    " or marts.fct_customer_health_current"
                )

    def specs(con: duckdb.DuckDBPyConnection) -> list[SuiteSpec]:
        existing = _existing(con)
        found = [_tables_suite("marts.tables", needed)]
        if all(relation in existing for relation in needed):
            weekly, current, components = MARTS
            found += [
                _score_mart_suite(weekly, ("customer_id", "week_start"), documented[weekly]),
                _score_mart_suite(current, ("customer_id",), documented[current]),
                _components_suite(documented[components]),
            ]
            if previous is not None:
                catalog = con.execute("select current_database()").fetchone()[0]
                found.append(_comparison_suite(_quote(catalog), PREVIOUS, tolerance))
        return found

    return _run("marts", database, report_dir, specs, chunk_rows, progress, attach_previous)
