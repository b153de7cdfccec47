"""Validate the raw tables (before dbt) or the marts (before publishing) with Great Expectations.

python scripts/validate.py raw --database build/customer_health.duckdb
python scripts/validate.py marts --database build/customer_health.duckdb \\
    --previous build/serving/customer_health.duckdb

Prints which suites and expectations failed (observed against expected) and exits 1 when any
did; results go to --report-dir as JSON and HTML Data Docs (data_docs/index.html).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chs.dbt import PROJECT_DIR
from chs.errors import run_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=("raw", "marts"), help="what to validate")
    parser.add_argument(
        "--database", type=Path, default=PROJECT_DIR / "build" / "customer_health.duckdb"
    )
    parser.add_argument("--report-dir", type=Path, default=PROJECT_DIR / "build" / "validation")
    parser.add_argument(
        "--previous", type=Path, help="marts: the previous published DuckDB file to compare with"
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.5,
        help="marts: largest relative move against --previous (default 0.5)",
    )
    parser.add_argument(
        "--max-age-hours",
        type=float,
        default=72,
        help="raw: the newest load must be at most this old (default 72)",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_DIR,
        help="the dbt project whose seeds (categories, bands) the checks read",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.previous is not None and args.stage != "marts":
        parser.error("--previous applies to the marts only")

    from chs.validation import validate_marts, validate_raw  # Great Expectations is slow to import

    def progress(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    options = {"progress": None if args.quiet else progress, "project_dir": args.project_dir}
    if args.stage == "raw":
        report = validate_raw(
            args.database, args.report_dir, max_age_hours=args.max_age_hours, **options
        )
    else:
        report = validate_marts(
            args.database, args.report_dir, args.previous, args.tolerance, **options
        )
    print(report.summary())
    return 0 if report.success else 1


if __name__ == "__main__":
    run_cli(main)
