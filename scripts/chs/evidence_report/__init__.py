"""The evidence report: one static HTML page with the plots that show whether the Customer
Health Score works and what it says now (python scripts/report.py, make report).

    queries           what is read from the build warehouse (read-only)
    analysis          dbt analyses compiled for the report (feature adoption by band)
    calibration_file  the weight calibration's output (build/calibration/calibration.json)
    curves, plots     ROC and lift curves; the figures as PNG data URIs
    evidence          sections: ROC and lift, churn by band, calibration of the churn risk
    weights           section: weights in force against the calibration's proposal
    portfolio         sections: score over time, band movements, drivers, weak spots
    html              the self-contained page with its render check
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from chs.connect import connect_read_only
from chs.dbt import PROJECT_DIR
from chs.errors import UserError
from chs.evidence_report import evidence, html, portfolio, queries, weights
from chs.evidence_report.analysis import FEATURE_ADOPTION, compiled_analysis
from chs.evidence_report.calibration_file import read_calibration

REPORT_FILE = "index.html"
REQUIRED = (
    ("marts", "fct_score_backtest"),
    ("marts", "fct_score_backtest_bands"),
    ("marts", "fct_score_backtest_alerts"),
    ("marts", "fct_customer_health_weekly"),
    ("marts", "fct_band_movements_weekly"),
    ("marts", "fct_customer_health_drivers"),
    ("intermediate", "int_backtest_scored_origins"),
    ("reference", "indicator_weights"),
)


def primary_horizon(project_dir: Path = PROJECT_DIR) -> int:
    """The dbt var primary_horizon_weeks of dbt_project.yml (12 when it is not set)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    return int((project.get("vars") or {}).get("primary_horizon_weeks", 12))


def build_report(
    database: Path,
    out_dir: Path,
    calibration_path: Path,
    horizon_weeks: int | None = None,
    project_dir: Path = PROJECT_DIR,
    analysis_sql: str | None = None,
) -> Path:
    """Write out_dir/index.html from the build warehouse `database`; return its path.

    `analysis_sql` is the compiled feature-adoption analysis; by default dbt compiles it
    against `database` (a few seconds of dbt parsing)."""
    horizon = horizon_weeks if horizon_weeks is not None else primary_horizon(project_dir)
    calibration = read_calibration(calibration_path)
    with connect_read_only(database) as con:
        for schema, name in REQUIRED:
            if not queries.has_relation(con, schema, name):
                raise UserError(
                    f"{database}: no {schema}.{name}; build the warehouse first (make demo)"
                )
        horizons = queries.horizons(con)
    if horizon not in horizons:
        shown = ", ".join(str(h) for h in horizons) or "none"
        raise UserError(
            f"{database}: no backtest at a horizon of {horizon} weeks (horizons: {shown})"
        )
    if analysis_sql is None:
        analysis_sql = compiled_analysis(FEATURE_ADOPTION, database, project_dir)
    with connect_read_only(database) as con:
        current = queries.current_version(con)
        week = queries.latest_week(con)
        sections = [
            evidence.discrimination(con, horizon, current),
            evidence.band_churn(con, horizon, current),
            evidence.calibration(con, horizon),
            weights.section(con, calibration, calibration_path, horizon),
            portfolio.distribution(con),
            portfolio.movements(con),
            portfolio.drivers(con),
            portfolio.weak_spots(con, analysis_sql),
        ]
    meta = (
        f"Warehouse {database}; latest complete week {week}; score model in force"
        f" {current}; backtest horizon {horizon} weeks.",
    )
    page = html.render("Customer Health Score: evidence report", meta, sections)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_FILE
    partial = path.with_suffix(".html.partial")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, path)
    return path
