"""Run the whole job: generate (or take) raw data, load, validate, build, validate, publish.

Write-audit-publish: everything is built in the build warehouse (--database); only when the
raw data passed validation, dbt build (with its tests) succeeded and the marts passed
validation are the marts published to the serving location (--serving-dir) that BI tools
read. Any failure stops the run with one clear line and leaves the last publication as it was.

Before anything is built, the sources are checked: `dbt source freshness` on the tables that
were delivered with rows, and the age of the extract (its newest event, ticket, payment, order
or survey answer) against --as-of: the generated data's --end when this run generated it,
otherwise today (UTC).

--signals gives the generated data a signal configuration (chs.generator.signals): which
behaviour families follow the hidden health, how strongly and how late; profiles are in
scripts/chs/generator/signal_profiles/. It is checked before anything runs.

python scripts/run_pipeline.py --customers 1000            # demo on generated data
python scripts/run_pipeline.py --signals profile.json      # ... with planted signals
python scripts/run_pipeline.py --raw-dir exports/ --skip-generate   # your own files
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime
from pathlib import Path
from textwrap import indent
from typing import TYPE_CHECKING

from chs.calibration import Settings as CalibrationSettings
from chs.calibration import calibrate
from chs.calibration.output import summary as calibration_summary
from chs.dbt import PROJECT_DIR, DbtTarget, project_vars, run_dbt
from chs.errors import UserError, run_cli
from chs.landed import dbt_vars, vendors_of
from chs.loading import LoadResult, load_raw, resolve_disabled
from chs.loading.cli import absent_line, add_load_arguments, csv_options, result_lines
from chs.publish import current_release, publish
from chs.report import backtest_summary, data_issue_summary, score_summary, staging_summary
from chs.source_checks import (
    check_data_age,
    data_age_lines,
    freshness_selection,
    newest_activity,
)

if TYPE_CHECKING:  # Great Expectations is slow to import, numpy only when generating
    from chs.generator.signals import Signals
    from chs.validation import ValidationReport


def _step(message: str) -> float:
    print(f"==> {message}", flush=True)
    return time.monotonic()


def _done(started: float) -> None:
    print(f"    done in {time.monotonic() - started:.1f}s", flush=True)


def _require(report: ValidationReport, what: str) -> None:
    """Stop the run, publication untouched, when a validation failed."""
    if not report.success:
        print(report.summary())
        hint = ""
        failed = [suite.name for suite in report.suite_results if not suite.success]
        if any(name.endswith("distribution_vs_previous") for name in failed):
            hint = (
                " (the marts moved against the last publication: bands, customers, or a"
                " latest week earlier than the published one, as an older extract gives;"
                " if the data changed on purpose, rerun with --accept-distribution-change,"
                " or PIPELINE_ARGS=--accept-distribution-change with make)"
            )
        raise UserError(f"validation of the {what} failed: nothing was published{hint}")
    print("    " + report.summary().replace("\n", "\n    "))


def _check_sources(
    loaded: list[LoadResult], target: DbtTarget, args: argparse.Namespace, as_of: date
) -> None:
    """Freshness of the delivered tables, then the age of the extract (chs.source_checks)."""
    selection, warnings = freshness_selection(loaded, strict=args.strict_freshness)
    started = _step(f"checking source freshness ({len(selection)} tables with rows)")
    for warning in warnings:
        print(f"    {warning}")
    run_dbt(["source", "freshness", "--select", *selection], target, quiet=True)
    _done(started)

    started = _step(
        f"checking the age of the extract against {as_of} (at most {args.max_data_age_days} days)"
    )
    age = newest_activity(args.database, loaded, as_of)
    for line in data_age_lines(age, args.max_data_age_days):
        print(f"    {line}", flush=True)
    warning = check_data_age(age, args.max_data_age_days, args.allow_stale_data)
    if warning:
        print(f"    {warning}")
    _done(started)


def _signals(args: argparse.Namespace) -> Signals | None:
    """The checked signal configuration, refused before the long steps when invalid."""
    if args.signals is None:
        return None
    if args.skip_generate:
        raise UserError("--signals configures generated data; it cannot go with --skip-generate")
    from chs.generator import load_signals  # its GeneratorError is a UserError

    return load_signals(args.signals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dirt-rate", type=float, default=0.02)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 11, 18))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 15))
    parser.add_argument("--raw-dir", type=Path, default=PROJECT_DIR / "data" / "raw")
    parser.add_argument("--truth-dir", type=Path, default=PROJECT_DIR / "data" / "truth")
    parser.add_argument(
        "--database", type=Path, default=PROJECT_DIR / "build" / "customer_health.duckdb"
    )
    parser.add_argument("--serving-dir", type=Path, default=PROJECT_DIR / "build" / "serving")
    parser.add_argument("--report-dir", type=Path, default=PROJECT_DIR / "build" / "validation")
    parser.add_argument(
        "--calibration-dir",
        type=Path,
        help="where proposed weights and bands are written (default: calibration/ beside"
        " the build warehouse)",
    )
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument(
        "--accept-distribution-change",
        action="store_true",
        help="do not compare the marts with the last publication (a deliberately new dataset)",
    )
    parser.add_argument("--work-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument(
        "--skip-generate", action="store_true", help="use the files already in --raw-dir"
    )
    parser.add_argument(
        "--signals",
        type=Path,
        metavar="FILE",
        help="signal configuration of the generated data (JSON, chs.generator.signals):"
        " how strongly and how late each behaviour family follows latent health",
    )
    parser.add_argument(
        "--layout",
        default="native",
        help="how the raw data is delivered: native (the raw contract), fivetran (Salesforce,"
        " Stripe, Zendesk and Segment as Fivetran lands them) or a comma-separated list of"
        " vendors (stripe,zendesk); generated data is written in this layout",
    )
    add_load_arguments(parser)
    parser.add_argument(
        "--strict-freshness",
        action="store_true",
        help="a table delivered without rows fails the freshness check (default: a warning)",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="the date the extract is judged against (default: --end when generating,"
        " otherwise today UTC)",
    )
    parser.add_argument("--max-data-age-days", type=int, default=14)
    parser.add_argument(
        "--allow-stale-data",
        action="store_true",
        help="go on when the newest activity is older than --max-data-age-days",
    )
    args = parser.parse_args(argv)
    calibration_dir = args.calibration_dir or args.database.parent / "calibration"
    as_of = args.as_of or (args.end if not args.skip_generate else datetime.now(UTC).date())
    csv = csv_options(args)  # refuse bad options before the long steps
    resolve_disabled(args.disable_source)
    signals = _signals(args)
    vendors = vendors_of(args.layout)
    target = DbtTarget(
        database=args.database.resolve(),
        work_dir=args.work_dir.resolve(),
        project_dir=args.project_dir.resolve(),
        vars=tuple(dbt_vars(vendors).items()),
    )

    if not args.skip_generate:
        from chs.generator import GeneratorError, generate  # only this step needs numpy
        from chs.generator.output import TRUTH_TABLES

        started = _step(
            f"generating {args.customers:,} customers {args.start} .. {args.end}"
            f" (seed {args.seed}, dirt rate {args.dirt_rate}) into {args.raw_dir},"
            f" layout {args.layout}" + (f", signals {args.signals}" if args.signals else "")
        )
        try:
            counts = generate(
                customers=args.customers,
                start=args.start,
                end=args.end,
                seed=args.seed,
                dirt_rate=args.dirt_rate,
                out=args.raw_dir,
                truth_out=args.truth_dir,
                layout=vendors,
                signals=signals,
            )
        except GeneratorError as exc:
            raise UserError(str(exc)) from None
        raw = {name: rows for name, rows in counts.items() if name not in TRUTH_TABLES}
        print(f"    {sum(raw.values()):,} raw rows in {len(raw)} tables")
        _done(started)

    started = _step(f"loading {args.raw_dir} into {args.database} (schema raw)")
    loaded = load_raw(
        args.raw_dir, args.database, disabled=args.disable_source, csv=csv, vendors=vendors
    )
    print("\n".join(result_lines(loaded, indent="    ")))
    absent = absent_line(loaded)
    if absent:
        print(f"    {absent}")
    _done(started)

    _check_sources(loaded, target, args, as_of)

    from chs.validation import validate_marts, validate_raw  # Great Expectations is slow to import

    started = _step(f"validating raw data (Great Expectations; reports in {args.report_dir})")
    raw = validate_raw(args.database, args.report_dir, project_dir=target.project_dir)
    _require(raw, "raw data")
    _done(started)

    started = _step("dbt build (seeds, models, unit and data tests)")
    # --full-refresh reloads seeds whose columns changed; every model is rebuilt anyway.
    run_dbt(["build", "--full-refresh"], target, quiet=True)
    _done(started)

    started = _step("validating marts (Great Expectations, against the last publication)")
    previous = None if args.accept_distribution_change else current_release(args.serving_dir)
    marts = validate_marts(
        args.database, args.report_dir, previous=previous, project_dir=target.project_dir
    )
    _require(marts, "marts")
    _done(started)

    started = _step(f"publishing marts to {args.serving_dir}")
    release = publish(args.database, args.serving_dir)
    _done(started)

    started = _step(f"calibrating weights and bands on observed churn ({calibration_dir})")
    try:
        proposal = calibrate(args.database, calibration_dir, CalibrationSettings())
        print(indent(calibration_summary(proposal), "    "))
    except UserError as exc:
        # Too little history or churn to calibrate on is a finding, not a failure.
        print(f"    not calibrated: {exc}")
    _done(started)

    print()
    print(staging_summary(args.database))
    print()
    print(data_issue_summary(args.database))
    print()
    print(score_summary(args.database))
    print()
    print(backtest_summary(args.database, int(project_vars()["primary_horizon_weeks"])))
    print()
    print(f"Build warehouse:    {args.database}")
    print(f"Published marts:    {args.serving_dir / 'customer_health.duckdb'} (DuckDB)")
    print(f"                    {args.serving_dir / 'parquet'}/<mart>.parquet")
    print(f"Release:            {release.release_id} ({len(release.tables)} tables)")
    print(f"Validation reports: {args.report_dir} (JSON; HTML in data_docs/)")
    if absent:
        print(absent)
    return 0


if __name__ == "__main__":
    run_cli(main)
