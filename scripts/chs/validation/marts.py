"""The mart gate: the marts, before they are published, and against the last publication."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import great_expectations.expectations as gxe
import yaml

from chs.dbt import PROJECT_DIR
from chs.errors import UserError
from chs.validation.checks import (
    FRAME_LIMIT,
    Check,
    SuiteSpec,
    between,
    columns_present,
    literal,
    no_rows,
    not_null,
    quote,
    tables_suite,
)
from chs.validation.results import ValidationReport
from chs.validation.runner import CHUNK_ROWS, Connection, Progress, existing_columns, run_stage

SCORE_TOLERANCE = 1e-4  # contributions vs computed_score (scores are rounded to 6 decimals)
WEIGHT_MAX = 1.000001  # shares and weights: 1 plus float rounding, as in the dbt tests
PREVIOUS = "chs_previous_run"  # the previous run's database, attached for the comparison

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
        *(not_null(key) for key in grain),
        *(between(c, 0, 100) for c in ("health_score", "computed_score", *FAMILY_SCORES)),
        between("completeness", 0, WEIGHT_MAX),
        not_null("health_band"),
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
            Check("columns", f"select * from {table} limit 0", columns_present(columns)),
            Check(
                "profile",
                f"select count(*) as row_count from {table}",
                lambda: [between("row_count", 1, None)],
            ),
            Check("grain", _duplicates_sql(table, grain), lambda: [no_rows()]),
            Check(
                "rows",
                f"select {', '.join(selected)} from {table}",
                lambda: _score_row_expectations(grain),
                chunked=True,
            ),
            Check("bands", _bands_sql(table, grain), lambda: [no_rows()]),
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
            Check("columns", f"select * from {table} limit 0", columns_present(columns)),
            Check(
                "profile",
                f"select count(*) as row_count from {table}",
                lambda: [between("row_count", 1, None)],
            ),
            Check("grain", _duplicates_sql(table, grain), lambda: [no_rows()]),
            Check(
                "rows",
                f"select {', '.join(grain)}, normalised_score, effective_weight, contribution"
                f" from {table}",
                lambda: [
                    *(not_null(key) for key in grain),
                    between("normalised_score", 0, 100),
                    between("effective_weight", 0, WEIGHT_MAX),
                    between("contribution", 0, 100),
                ],
                chunked=True,
            ),
            Check("contributions", contributions, lambda: [no_rows()]),
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
                    not_null("relative_move"),
                    between("relative_move", 0, tolerance),
                ],
            )
        ],
    )


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

    def attach_previous(con: Connection) -> None:
        if previous is not None:
            path = literal(str(Path(previous).resolve()))
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

    def specs(con: Connection) -> list[SuiteSpec]:
        existing = existing_columns(con)
        found = [tables_suite("marts.tables", needed)]
        if all(relation in existing for relation in needed):
            weekly, current, components = MARTS
            found += [
                _score_mart_suite(weekly, ("customer_id", "week_start"), documented[weekly]),
                _score_mart_suite(current, ("customer_id",), documented[current]),
                _components_suite(documented[components]),
            ]
            if previous is not None:
                catalog = con.execute("select current_database()").fetchone()[0]
                found.append(_comparison_suite(quote(catalog), PREVIOUS, tolerance))
        return found

    return run_stage("marts", database, report_dir, specs, chunk_rows, progress, attach_previous)
