"""Plain-text summaries of a build, read from the data-quality marts."""

from __future__ import annotations

from pathlib import Path

import duckdb


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
    header = f"{'source table':<26}{'raw':>12}{'staged':>12}{'quarantined':>13}{'duplicates':>12}"
    lines = ["Loaded, staged and quarantined rows", header, "-" * len(header)]
    totals = [0, 0, 0, 0]
    for name, *counts in tables:
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        lines.append(f"{name:<26}" + "".join(f"{c:>12,}" if i != 2 else f"{c:>13,}" for i, c in enumerate(counts)))
    lines.append("-" * len(header))
    lines.append(f"{'total':<26}" + "".join(f"{c:>12,}" if i != 2 else f"{c:>13,}" for i, c in enumerate(totals)))
    lines.append("")
    lines.append("Quarantine reasons (details: data_quality.fct_quarantined_rows)")
    if not reasons:
        lines.append("  none")
    for name, reason, column, count in reasons:
        lines.append(f"  {name:<26}{reason:<25}{column:<20}{count:>10,}")
    return "\n".join(lines)
