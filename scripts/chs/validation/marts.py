"""The mart gate: before publishing, what dbt's own tests cannot check.

`dbt build` has already tested the marts' grain, not-nulls, 0-100 ranges, that every band is
the band of its score (tests/marts/assert_band_matches_score.sql) and that scores are the sum
of their contributions, and their contracts enforce the columns. What
dbt cannot see is the last publication: this gate compares the new marts with the previously
published file, so a run whose numbers jump (a broken export, a changed weight set) is held
back until someone accepts the change. It also checks what every dbt data test passes on: an
empty mart.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import great_expectations.expectations as gxe

from chs.dbt import PROJECT_DIR
from chs.errors import UserError
from chs.registry import bands
from chs.validation.checks import Check, SuiteSpec, between, literal, not_null, quote, tables_suite
from chs.validation.results import ValidationReport
from chs.validation.runner import CHUNK_ROWS, Connection, Progress, existing_columns, run_stage

WEEKLY = "fct_customer_health_weekly"
CURRENT = "fct_customer_health_current"
COMPONENTS = "fct_customer_health_components"
MARTS = (WEEKLY, CURRENT, COMPONENTS)
PREVIOUS = "chs_previous_run"  # the previous publication's database, attached for the comparison
SHARE_FLOOR = 0.01  # shares below one percentage point count as one when comparing
COUNT_FLOOR = 1


def _profile_suite(name: str) -> SuiteSpec:
    """A mart has rows: no dbt test checks that (every data test passes on an empty table)."""
    table = f"marts.{name}"
    return SuiteSpec(
        table,
        [
            Check(
                "profile",
                f"select count(*) as row_count from {table}",
                lambda: [between("row_count", 1, None)],
            )
        ],
    )


def _comparison_suite(
    current: str, previous: str, tolerance: float, band_names: list[str]
) -> SuiteSpec:
    """The share of every band in the latest week and the customers in the current mart,
    against the last publication.

    A move is the ratio of the larger to the smaller value minus one, so halving and doubling
    are both a move of 1.0 (100 %). Shares below one percentage point count as one, so a
    handful of red customers appearing in a green portfolio is not a jump from zero.
    """

    def band_share(catalog: str, band: str) -> str:
        weekly = f"{catalog}.marts.{WEEKLY}"
        return (
            f"(select coalesce(avg(case when health_band = {literal(band)} then 1.0 else 0.0"
            f" end), 0) from {weekly} where week_start = (select max(week_start) from {weekly}))"
        )

    def customers(catalog: str) -> str:
        return f"(select count(*) from {catalog}.marts.{CURRENT})"

    # (measure, previous value, current value, floor)
    measures = [
        (
            f"{band}_share_latest_week",
            band_share(previous, band),
            band_share(current, band),
            SHARE_FLOOR,
        )
        for band in band_names
    ]
    measures.append(
        ("customers_in_current_mart", customers(previous), customers(current), COUNT_FLOOR)
    )
    rows = "\n            union all\n            ".join(
        f"select {literal(name)} as measure, {before} as previous_value,"
        f" {after} as current_value, {floor} as floor_value"
        for name, before, after, floor in measures
    )
    sql = f"""
        with measures as (
            {rows}
        )
        select measure, previous_value, current_value,
            greatest(previous_value, current_value, floor_value)
                / greatest(least(previous_value, current_value), floor_value) - 1
                as relative_move
        from measures
    """
    # The latest scored week must not move backwards: an older extract would republish an
    # older present as the current one.
    latest = f"select max(week_start) from {{catalog}}.marts.{WEEKLY}"
    weeks_back = f"""
        select {_days_between("previous_latest", "current_latest")} / 7 as weeks_moved
        from (select ({latest.format(catalog=previous)}) as previous_latest,
            ({latest.format(catalog=current)}) as current_latest)
    """
    return SuiteSpec(
        "marts.distribution_vs_previous",
        [
            Check(
                "comparison",
                sql,
                lambda: [
                    gxe.ExpectTableRowCountToEqual(value=len(measures)),
                    not_null("relative_move"),
                    between("relative_move", 0, tolerance),
                ],
            ),
            Check(
                "latest_week",
                weeks_back,
                lambda: [not_null("weeks_moved"), between("weeks_moved", 0, None)],
            ),
        ],
    )


def _days_between(start: str, end: str) -> str:
    """Whole days from date `start` to date `end` (DuckDB)."""
    return f"date_diff('day', {start}, {end})"


def _attach_previous(con: Connection, previous: Path) -> None:
    path = literal(str(Path(previous).resolve()))
    try:
        con.execute(f"attach {path} as {PREVIOUS} (read_only)")
    except duckdb.Error as exc:
        raise UserError(f"{previous}: cannot open the previous DuckDB file ({exc})") from None
    found = con.execute(
        "select count(*) from information_schema.tables where table_catalog = ?"
        " and table_schema = 'marts' and table_name in (?, ?)",
        [PREVIOUS, WEEKLY, CURRENT],
    ).fetchone()[0]
    if found != 2:
        raise UserError(
            f"{previous}: not a previous run: it lacks marts.{WEEKLY} or marts.{CURRENT}"
        )


def validate_marts(
    database: Path,
    report_dir: Path,
    previous: Path | None = None,
    tolerance: float = 0.5,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
    project_dir: Path = PROJECT_DIR,
) -> ValidationReport:
    """Validate the marts of `database`; with `previous`, compare with the last published run.

    The bands compared are those of seeds/score_bands.csv in `project_dir`.
    """
    if previous is not None and not Path(previous).is_file():
        raise UserError(f"{previous}: previous database file does not exist")
    band_names = bands(project_dir)
    needed = [f"marts.{name}" for name in MARTS]

    def before(con: Connection) -> None:
        if previous is not None:
            _attach_previous(con, previous)

    def specs(con: Connection) -> list[SuiteSpec]:
        existing = existing_columns(con)
        found = [tables_suite("marts.tables", needed)]
        if all(relation in existing for relation in needed):
            found += [_profile_suite(name) for name in MARTS]
            if previous is not None:
                catalog = con.execute("select current_database()").fetchone()[0]
                found.append(_comparison_suite(quote(catalog), PREVIOUS, tolerance, band_names))
        return found

    return run_stage("marts", database, report_dir, specs, chunk_rows, progress, before)
