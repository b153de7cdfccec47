"""Sections on the customers now: the score distribution over time, band movements, the
drivers of the latest week, and the product's weak spots (feature adoption by band)."""

from __future__ import annotations

import duckdb
import pandas as pd

from chs.evidence_report import plots, queries
from chs.evidence_report.model import Plot, Section, Table, count, num, pct

SHOWN_FEATURES = 15


def distribution(con: duckdb.DuckDBPyConnection) -> Section:
    """Percentiles of the health score per week and the customers per band."""
    thresholds = queries.band_thresholds(con)
    bands = list(thresholds)
    weekly = queries.score_distribution(con)
    counts = queries.band_counts(con)
    latest = weekly.iloc[-1]
    in_latest = counts[counts["week_start"] == latest["week_start"]].set_index("health_band")
    shares = ", ".join(
        f"{band} {pct(in_latest['customers'].get(band, 0) / latest['customers'], 0)}"
        for band in (*bands, "not_scored")
        if band in in_latest.index
    )
    year_ago = weekly[weekly["week_start"] <= latest["week_start"] - pd.Timedelta(weeks=52)]
    then = f"; a year earlier {num(year_ago.iloc[-1]['p50'], 1)}" if not year_ago.empty else ""
    facts = (
        f"Week of {latest['week_start']:%Y-%m-%d}: {count(latest['scored'])} of"
        f" {count(latest['customers'])} subscribed customers scored, median score"
        f" {num(latest['p50'], 1)}{then}.",
        f"Customers per band that week: {shares}.",
    )
    return Section(
        id="distribution",
        title="The score over time",
        intro="Every subscribed customer every week (marts.fct_customer_health_weekly).",
        plots=(
            Plot(
                id="fig-score-distribution",
                kind="score_distribution",
                title="Health score distribution per week",
                caption="Read: top, the line is the median score, the shaded bands hold the"
                " middle 50% and 80% of scored customers and dotted lines are the band"
                " thresholds; bottom, the share of customers in each band.",
                image=plots.png_data_uri(plots.score_distribution(weekly, counts, thresholds)),
                alt="Health score percentiles and band shares per week",
                facts=facts,
            ),
        ),
    )


def movements(con: duckdb.DuckDBPyConnection) -> Section:
    """Customers moving between bands per week, over the latest weeks."""
    bands = queries.bands(con)
    moves = queries.band_movements(con)
    rank = {band: position for position, band in enumerate(bands)}
    latest = moves["week_start"].max()
    week = moves[moves["week_start"] == latest]
    steps = week["from_band"].map(rank) - week["to_band"].map(rank)
    up = int(week.loc[steps > 0, "customers"].sum())
    down = int(week.loc[steps < 0, "customers"].sum())
    other = int(week.loc[steps.isna() & (week["from_band"] != week["to_band"]), "customers"].sum())
    into_worst = (
        int(
            week.loc[
                (week["to_band"] == bands[-1]) & (week["from_band"] != bands[-1]), "customers"
            ].sum()
        )
        if bands
        else 0
    )
    matrix = week.pivot_table(
        index="from_band", columns="to_band", values="customers", aggfunc="sum", fill_value=0
    )
    order = [
        band for band in (*bands, "not_scored") if band in matrix.index or band in matrix.columns
    ]
    matrix = matrix.reindex(index=order, columns=order, fill_value=0)
    facts = (
        f"Week of {latest:%Y-%m-%d}: {count(up)} customers moved to a better band,"
        f" {count(down)} to a worse one ({count(into_worst)} into {bands[-1]})"
        + (f", {count(other)} into or out of not_scored." if other else "."),
    )
    table = Table(
        header=("from \\ to", *order),
        rows=tuple((band, *(count(v) for v in matrix.loc[band])) for band in order),
        caption=f"Band movements in the week of {latest:%Y-%m-%d}"
        " (marts.fct_band_movements_weekly)",
    )
    return Section(
        id="movements",
        title="Band movements",
        intro=f"Customers whose band changed from one week to the next, over the latest"
        f" {queries.MOVEMENT_WEEKS} weeks.",
        plots=(
            Plot(
                id="fig-band-movements",
                kind="band_movements",
                title="Band movements per week",
                caption="Read: bars above zero are customers who moved to a better band, below"
                " zero to a worse one; colour is the band moved into, hatched skips a band.",
                image=plots.png_data_uri(plots.band_movements(moves, bands)),
                alt="Customers moving between bands per week",
                facts=facts,
                table=table,
            ),
        ),
    )


def drivers(con: duckdb.DuckDBPyConnection) -> Section:
    """Which indicators moved the scores most in the latest week."""
    table = queries.drivers(con)
    week = table["week_start"].iloc[0] if not table.empty else None
    falls = table.sort_values(["points_lost", "indicator_key"]).head(3)
    rises = table.sort_values(["points_gained", "indicator_key"], ascending=[False, True]).head(3)
    facts = (
        "Pulled scores down most: "
        + "; ".join(
            f"{r.indicator_key} ({num(r.points_lost, 0)} points over"
            f" {count(r.customers_down)} customers)"
            for r in falls.itertuples()
        )
        + ".",
        "Lifted scores most: "
        + "; ".join(
            f"{r.indicator_key} (+{num(r.points_gained, 0)} points over"
            f" {count(r.customers_up)} customers)"
            for r in rises.itertuples()
        )
        + ".",
    )
    when = f"{week:%Y-%m-%d}" if week is not None else "\u2013"
    return Section(
        id="drivers",
        title="What moved the scores this week",
        intro="Each indicator's change in contribution to the score from the week before,"
        " summed over customers (marts.fct_customer_health_drivers).",
        plots=(
            Plot(
                id="fig-drivers",
                kind="drivers",
                title=f"Top drivers of the week of {when}",
                caption="Read: red bars are score points lost through the indicator, green"
                " points gained, summed over all customers scored both weeks.",
                image=plots.png_data_uri(plots.drivers(table)),
                alt="Score points lost and gained per indicator",
                facts=facts,
            ),
        ),
    )


def weak_spots(con: duckdb.DuckDBPyConnection, analysis_sql: str) -> Section:
    """Feature adoption by band: where healthy and at-risk customers differ."""
    bands = queries.bands(con)
    table = queries.feature_adoption(con, analysis_sql)
    table = table[table["health_band"].isin(bands)]
    healthiest = next((band for band in bands if band in set(table["health_band"])), None)
    # The healthiest band against all other active customers pooled: a band of a handful of
    # customers (red, often) would rank the features by noise.
    rest = (
        table[table["health_band"] != healthiest]
        .groupby("feature_key")[["customers_using", "customers"]]
        .sum()
    )
    best = table[table["health_band"] == healthiest].set_index("feature_key")
    others = 100 * rest["customers_using"] / rest["customers"]
    gap = (best["adoption_pct"] - others.reindex(best.index)).fillna(best["adoption_pct"])
    ranked = list(gap.sort_values(ascending=False, kind="stable").index[:SHOWN_FEATURES])
    wide = table.pivot_table(index="feature_key", columns="health_band", values="adoption_pct")
    facts = tuple(
        f"{feature}: {num(best.loc[feature, 'adoption_pct'], 0)}% of {healthiest} customers"
        f" use it, {num(others.get(feature), 0)}% of the others ("
        + ", ".join(
            f"{band} {num(wide.loc[feature, band], 0)}%"
            for band in bands[1:]
            if band in wide.columns
        )
        + ")."
        for feature in ranked[:3]
    )
    return Section(
        id="weak-spots",
        title="Weak spots: feature adoption by band",
        intro="Active customers of each band in the latest complete week that used each feature"
        " in the trailing 28 days (analyses/feature_adoption_by_band.sql). A key feature green"
        " customers use and red ones skip is where onboarding should start.",
        plots=(
            Plot(
                id="fig-weak-spots",
                kind="weak_spots",
                title="Feature adoption by band",
                caption="Read: bar length is the share of the band's active customers using the"
                f" feature; the {SHOWN_FEATURES} features whose use differs most between the"
                " healthiest band and the other customers come first.",
                image=plots.png_data_uri(plots.feature_adoption(table, bands, ranked)),
                alt="Feature adoption per band",
                facts=facts,
            ),
        ),
    )
