"""Command line of the evidence report (scripts/report.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from chs.dbt import PROJECT_DIR
from chs.evidence_report import build_report

DEFAULT_CALIBRATION = PROJECT_DIR / "build" / "calibration" / "calibration.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="report.py",
        description="Write the evidence report: one static HTML page with the backtest's and"
        " this week's plots, from the build warehouse.",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=PROJECT_DIR / "build" / "customer_health.duckdb",
        help="the build warehouse (the published copy lacks the backtest's origins)",
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT_DIR / "build" / "report", help="folder of index.html"
    )
    parser.add_argument(
        "--calibration",
        type=Path,
        default=DEFAULT_CALIBRATION,
        help="output of make calibrate, when there is one (default %(default)s)",
    )
    parser.add_argument(
        "--horizon-weeks",
        type=int,
        help="backtest horizon to show (default: the dbt var primary_horizon_weeks)",
    )
    args = parser.parse_args(argv)
    print(
        f"==> evidence report from {args.database} (dbt compiles the analysis"
        " feature_adoption_by_band first)",
        flush=True,
    )
    path = build_report(args.database, args.out, args.calibration, args.horizon_weeks)
    print(f"Evidence report:    {path}")
    return 0
