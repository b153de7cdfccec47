"""Plain-text summaries of a build, read from the data-quality marts."""

from __future__ import annotations

from pathlib import Path

import duckdb

WIDTHS = (26, 12, 12, 13, 12)


def _row(cells: tuple) -> str:
    name, *counts = cells
    text = f"{name:<{WIDTHS[0]}}"
    for width, value in zip(WIDTHS[1:], counts, strict=True):
        text += f"{value:>{width},}" if isinstance(value, int) else f"{value:>{width}}"
    return text


def staging_summary(database: Path) -> str:
    """Per source table: raw, staged, quarantined and duplicate rows, then quarantine reasons."""
    with duckdb.connect(str(database), read_only=True) as con:
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
