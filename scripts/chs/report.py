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


LISTED_CUSTOMERS = 10  # customers with data issues named in the summary; the mart has all


CATEGORY_VALUES = 5  # unknown category values named per column


def _unknown_values(con: object, source_table: str, column: str) -> list[str]:
    """The distinct raw values behind the unknown_category rows of one column, as delivered
    (standardised for case and spaces); none for a table an adapter delivers, whose raw
    values are in the vendor's landed tables."""
    (native,) = con.execute(
        "select count(*) from staging.stg_loader__source_presence"
        " where source_name || '.' || table_name = ? and provided_by = 'native'",
        [source_table],
    ).fetchone()
    if not native:
        return []
    relation = source_table.replace(".", "_")
    rows = con.execute(
        f'select distinct lower(trim(cast(r."{column}" as varchar))) as value'
        f" from raw.{relation} as r inner join data_quality.fct_quarantined_rows as q"
        " on q.raw_row_id = r._row_id and q.source_table = ? and q.quarantine_column = ?"
        " and q.quarantine_reason = 'unknown_category' order by 1",
        [source_table, column],
    ).fetchall()
    return [value for (value,) in rows]


def data_issue_summary(database: Path) -> str:
    """What the data quality means for customers and sources: the customers affected by
    quarantined or inconsistent rows (their flags are on dim_customers and the current mart),
    events before signup or without a subscription, unknown values of closed categories, and
    the share of each adapter-delivered table whose vendor id is not in the identity map."""
    with connect_read_only(database) as con:
        flagged = con.execute(
            "select customer_id, data_issues from data_quality.fct_customer_data_issues"
            " order by quarantined_status_rows desc, quarantined_rows desc, customer_id"
        ).fetchall()
        (customers,) = con.execute("select count(*) from staging.stg_crm__customers").fetchone()
        events = con.execute(
            "select coalesce(sum(events_before_signup), 0),"
            " count(case when events_before_signup > 0 then 1 end),"
            " count(case when has_events_without_subscription then 1 end)"
            " from data_quality.fct_customer_data_issues"
        ).fetchone()
        categories = con.execute(
            "select source_table, quarantine_column, count(*)"
            " from data_quality.fct_quarantined_rows where quarantine_reason = 'unknown_category'"
            " group by 1, 2 order by 1, 2"
        ).fetchall()
        categories = [
            (name, column, count, _unknown_values(con, name, column))
            for name, column, count in categories
        ]
        unmapped = con.execute(
            "select r.source_table, p.provided_by, r.raw_rows, count(q.raw_row_id)"
            " from data_quality.fct_staging_reconciliation as r"
            " inner join staging.stg_loader__source_presence as p"
            " on r.source_table = p.source_name || '.' || p.table_name"
            " left join data_quality.fct_quarantined_rows as q"
            " on q.source_table = r.source_table and q.quarantine_reason = 'unmapped_external_id'"
            " where p.provided_by != 'native' group by 1, 2, 3 order by 1"
        ).fetchall()
    lines = [
        f"Customers with data issues: {len(flagged):,} of {customers:,}"
        " (has_data_issues on dim_customers; details: data_quality.fct_customer_data_issues)"
    ]
    for customer_id, issues in flagged[:LISTED_CUSTOMERS]:
        shown = issues if len(issues) <= 96 else issues[:93] + "..."
        lines.append(f"  {customer_id:<14}{shown}")
    if len(flagged) > LISTED_CUSTOMERS:
        lines.append(f"  ... and {len(flagged) - LISTED_CUSTOMERS:,} more")
    lines.append(
        f"Events before signup: {events[0]:,} (of {events[1]:,} customers);"
        f" customers with events but no subscription: {events[2]:,}"
    )
    lines.append(
        "Unknown values of closed categories (add spellings to seeds/category_aliases.csv)"
    )
    if not categories:
        lines.append("  none")
    for name, column, count, values in categories:
        shown = ", ".join(repr(value) for value in values[:CATEGORY_VALUES])
        more = f" and {len(values) - CATEGORY_VALUES} more" if len(values) > CATEGORY_VALUES else ""
        lines.append(f"  {name + '.' + column:<40}{count:>8,} rows: {shown}{more}")
    if unmapped:
        lines.append("Rows of source adapters without an identity-map entry (unmapped_external_id)")
    for name, vendor, rows, count in unmapped:
        share = count / rows if rows else 0.0
        lines.append(f"  {name:<26}{vendor:<12}{count:>8,} of {rows:>10,} rows ({share:.2%})")
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


def backtest_summary(database: Path, horizon_weeks: int) -> str:
    """How well each scoring method separated churners in the backtest (fct_score_backtest):
    AUC and top-decile lift over all windows and in the latest, and what red caught."""
    with connect_read_only(database) as con:
        methods = con.execute(
            "select scoring_method, model_version, window_number, auc, top_decile_lift,"
            " churn_events from marts.fct_score_backtest"
            " where segment = 'all' and horizon_weeks = ? and"
            " (window_number is null or window_number = 0)"
            " and as_of_date = (select max(as_of_date) from marts.fct_score_backtest)"
            " order by scoring_method, model_version, window_number nulls first",
            [horizon_weeks],
        ).fetchall()
        red = con.execute(
            "select model_version, churn_rate_ratio, churners_in_band_share,"
            " share_of_customer_weeks from marts.fct_score_backtest_bands"
            " where segment = 'all' and horizon_weeks = ?"
            " and window_number is null and band = 'red'"
            " and as_of_date = (select max(as_of_date) from marts.fct_score_backtest_bands)",
            [horizon_weeks],
        ).fetchall()
    lines = [
        f"Backtest against observed churn within {horizon_weeks} weeks (marts.fct_score_backtest)"
    ]
    if not methods:
        lines.append("  no week's outcome is known yet: the history is shorter than the horizon")
    for method, version, window, auc, lift, churns in methods:
        period = "all windows" if window is None else "latest window"
        auc_text = "n/a" if auc is None else f"{auc:.3f}"
        lift_text = "n/a" if lift is None else f"{lift:.2f}"
        lines.append(
            f"  {method:<20}{version:<26}{period:<15}AUC {auc_text}  top-decile lift"
            f" {lift_text}  ({churns:,} churns)"
        )
    for version, ratio, caught, share in red:
        ratio_text = "n/a" if ratio is None else f"{ratio:.1f}x"
        lines.append(
            f"  red ({version}): {share:.1%} of customer-weeks, churn rate {ratio_text} the base,"
            f" {caught or 0:.0%} of churners red within the horizon before churning"
        )
    return "\n".join(lines)
