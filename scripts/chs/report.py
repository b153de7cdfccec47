"""Plain-text summaries of a build, read from the data-quality marts and the marts.

Both open the build warehouse read-only through chs.connect: a file held by another process
gives one line naming it, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

from chs.connect import connect_read_only

WIDTHS = (26, 12, 12, 13, 12)


def _row(cells: tuple) -> str:
    name, *counts = cells
    text = f"{name:<{WIDTHS[0]}}"
    for width, value in zip(WIDTHS[1:], counts, strict=True):
        text += f"{value:>{width},}" if isinstance(value, int) else f"{value:>{width}}"
    return text


def staging_summary(database: Path) -> str:
    """Per source table: raw, staged, quarantined and duplicate rows, then quarantine reasons."""
    with connect_read_only(database) as con:
        tables = con.execute(
            "select source_table, raw_rows, staged_rows, quarantined_rows, duplicate_rows"
            " from data_quality.fct_staging_reconciliation order by source_table"
        ).fetchall()
        reasons = con.execute(
            "select source_table, quarantine_reason, quarantine_column, count(*)"
            " from data_quality.fct_quarantined_rows group by 1, 2, 3 order by 1, 4 desc, 2, 3"
        ).fetchall()
        signup_issues = con.execute(
            "select signup_at_issue, count(*) from staging.stg_crm__customers"
            " where signup_at_issue is not null group by 1 order by 1"
        ).fetchall()
    header = _row(("source table", "raw", "staged", "quarantined", "duplicates"))
    lines = ["Loaded, staged and quarantined rows", header, "-" * len(header)]
    totals = [0, 0, 0, 0]
    for name, *counts in tables:
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        lines.append(_row((name, *counts)))
    lines += ["-" * len(header), _row(("total", *totals)), ""]
    lines.append("Quarantine reasons (details: data_quality.fct_quarantined_rows)")
    if not reasons:
        lines.append("  none")
    for name, reason, column, count in reasons:
        lines.append(f"  {name:<26}{reason:<25}{column:<20}{count:>10,}")
    for issue, count in signup_issues:
        kept = "staged, signup_at null"
        lines.append(f"  {'crm.customers':<26}{kept:<25}{issue:<20}{count:>10,}")
    return "\n".join(lines)


def score_summary(database: Path) -> str:
    """Customers per band in the latest complete week, and the alerts raised in it."""
    with connect_read_only(database) as con:
        bands = con.execute(
            "select health_band, count(*), round(avg(health_score), 1)"
            " from marts.fct_customer_health_current where is_active"
            " group by 1 order by min(coalesce(health_score, -1)) desc"
        ).fetchall()
        week = con.execute(
            "select max(week_start) from marts.fct_customer_health_weekly"
        ).fetchone()[0]
        alerts = con.execute(
            "select rule_key, count(*) from marts.fct_customer_health_alerts"
            " where is_raised_in_latest_week group by 1 order by 2 desc, 1"
        ).fetchall()
    lines = [f"Customer health, week of {week} (active customers)"]
    for band, customers, mean in bands:
        mean_text = "" if mean is None else f"  mean score {mean}"
        lines.append(f"  {band:<12}{customers:>8,} customers{mean_text}")
    lines.append("Alerts raised that week (marts.fct_customer_health_alerts)")
    if not alerts:
        lines.append("  none")
    for rule, count in alerts:
        lines.append(f"  {rule:<20}{count:>8,}")
    return "\n".join(lines)
