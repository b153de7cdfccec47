"""One validation run: open the DuckDB file read-only, run every suite, write the reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chs.errors import UserError
from chs.validation.checks import SuiteSpec, literal
from chs.validation.describe import expected_text, observed_text, sample_rows
from chs.validation.gx import GxProject, stream_frames
from chs.validation.results import (
    ExpectationOutcome,
    SuiteResult,
    ValidationReport,
    write_report,
)

CHUNK_ROWS = 250_000  # rows per chunk of row-level validation: bounds memory
DUCKDB_MEMORY_LIMIT = "2GB"  # DuckDB's share of the machine while validating

Progress = Callable[[str], None]
Connection = duckdb.DuckDBPyConnection


def _connect(database: Path, temp_dir: Path) -> Connection:
    if not database.is_file():
        raise UserError(f"{database}: database file does not exist")
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"{database}: cannot open the DuckDB file ({exc})") from None
    con.execute("set enable_progress_bar = false")
    # Aggregates over hundreds of millions of rows (duplicate keys) spill to disk beyond this.
    con.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"set temp_directory = {literal(str(temp_dir))}")
    return con


def existing_columns(con: Connection) -> dict[str, set[str]]:
    """Columns of every table of the main database, by schema.table."""
    rows = con.execute(
        "select table_schema || '.' || table_name, column_name from information_schema.columns"
        " where table_catalog = current_database()"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for relation, column in rows:
        found.setdefault(relation, set()).add(column)
    return found


def _run_suite(
    spec: SuiteSpec, con: Connection, project: GxProject, chunk_rows: int, progress: Progress | None
) -> SuiteResult:
    outcomes: list[ExpectationOutcome] = []
    for check in spec.checks:
        started = datetime.now(UTC)
        combined, frame, rows = project.validate(
            f"{spec.name}.{check.name}", check.expectations(), stream_frames(con, check, chunk_rows)
        )
        if progress is not None:
            seconds = (datetime.now(UTC) - started).total_seconds()
            progress(f"{spec.name} {check.name}: {rows:,} rows in {seconds:.1f}s")
        for result in combined.results:
            config = result.expectation_config
            # The rows of a small aggregate frame (duplicated keys, measures compared with
            # the last publication) explain a failure; a catalog or column listing does not.
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
                    observed=observed_text(result, check.chunked),
                    expected=expected_text(config),
                    result=result.to_json_dict(),
                    sample=[] if result.success or not shows_rows else sample_rows(frame),
                )
            )
    return SuiteResult(spec.name, outcomes)


def run_stage(
    stage: str,
    database: Path,
    report_dir: Path,
    specs: Callable[[Connection], list[SuiteSpec]],
    chunk_rows: int,
    progress: Progress | None,
    before: Callable[[Connection], None] | None = None,
) -> ValidationReport:
    """Run the suites `specs` lists on `database`; `before` may prepare the connection."""
    database = Path(database).resolve()
    report_dir = Path(report_dir).resolve()
    con = _connect(database, report_dir / "gx" / "uncommitted" / "duckdb_tmp")
    try:
        if before is not None:
            before(con)
        run_time = datetime.now(UTC)
        stamp = run_time.strftime("%Y%m%dT%H%M%SZ")
        report_dir.mkdir(parents=True, exist_ok=True)
        project = GxProject(report_dir, f"{stage}-{stamp}", run_time)
        suites = [_run_suite(s, con, project, chunk_rows, progress) for s in specs(con)]
    finally:
        con.close()
    project.build_data_docs()
    return write_report(stage, database, suites, report_dir, project.html_dir, run_time)
