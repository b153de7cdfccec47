"""The report's figures, drawn with matplotlib's Agg renderer into PNG data URIs.

Figures are made with matplotlib.figure.Figure on an Agg canvas (no pyplot, no global
state, no display needed) in the default style at fixed sizes and resolution, and saved
without the Software metadata, so the same data gives byte-identical images. Nothing in a
figure depends on the time it was drawn.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Mapping, Sequence

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chs.evidence_report.curves import Curves

DPI = 100
WIDE = (7.6, 4.2)  # inches at DPI: 760 x 420 pixels, shown at that size
SQUARE = (7.6, 5.2)
TALL = (7.6, 6.4)
STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
BAND_COLOURS = {"red": "#c0392b", "yellow": "#e5a50a", "green": "#2e8b57", "not_scored": "#9e9e9e"}
SERIES = ("#1f5fa8", "#e07b00", "#7b3fa0", "#2e8b57", "#c0392b", "#5f6b73")


def band_colour(band: str, position: int = 0) -> str:
    return BAND_COLOURS.get(band, SERIES[position % len(SERIES)])


def _figure(size: tuple[float, float]) -> Figure:
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # the Agg renderer, whatever backend pyplot would pick
    return figure


def png_data_uri(figure: Figure) -> str:
    """The figure as a data: URI of a PNG, without metadata that changes between runs."""
    buffer = io.BytesIO()
    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def drawn(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw in the report's style, whatever the user's matplotlibrc says."""

    @functools.wraps(draw)
    def wrapper(*args: object, **kwargs: object) -> Figure:
        with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


@drawn
def roc(curves: Mapping[str, Curves]) -> Figure:
    """True- against false-positive rate, one line per scoring method and version."""
    figure = _figure(SQUARE)
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], linestyle="--", color="#888888", linewidth=1, label="random (0.5)")
    for position, (label, curve) in enumerate(curves.items()):
        axes.plot(
            curve.false_positive_rate,
            curve.true_positive_rate,
            color=SERIES[position % len(SERIES)],
            linewidth=1.6,
            label=f"{label}: AUC {curve.auc:.3f}",
        )
    axes.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="share of retained customer-weeks flagged (false-positive rate)",
        ylabel="share of churned customer-weeks flagged (true-positive rate)",
    )
    axes.set_aspect("equal")
    axes.legend(loc="lower right")
    return figure


@drawn
def lift(curves: Mapping[str, Curves]) -> Figure:
    """Lift of the riskiest share of customer-weeks, one line per method and version."""
    figure = _figure(WIDE)
    axes = figure.add_subplot()
    axes.axhline(1, linestyle="--", color="#888888", linewidth=1, label="no better than chance")
    axes.axvline(10, linestyle=":", color="#888888", linewidth=1)
    top = 1.0
    for position, (label, curve) in enumerate(curves.items()):
        axes.plot(
            100 * curve.targeted_share,
            curve.lift,
            color=SERIES[position % len(SERIES)],
            linewidth=1.6,
            label=label,
        )
        shown = curve.lift[curve.targeted_share >= 0.02]
        top = max(top, float(shown.max()) if shown.size else top)
    axes.set(
        xlim=(0, 100),
        ylim=(0, top * 1.1),
        xlabel="riskiest share of customer-weeks flagged (%)",
        ylabel="churn rate of the flagged over the base rate",
    )
    axes.legend(loc="upper right")
    return figure


@drawn
def band_churn(outcomes: pd.DataFrame, bands: Sequence[str], labels: Mapping[str, str]) -> Figure:
    """Churn rate within the horizon per band, one bar per score model version (the one in
    force last and opaque), labelled with its ratio to the base rate (dashed line)."""
    figure = _figure(WIDE)
    axes = figure.add_subplot()
    versions = list(labels)
    width = 0.8 / max(len(versions), 1)
    x = np.arange(len(bands))
    for position, version in enumerate(versions):
        rows = outcomes[outcomes["model_version"] == version].set_index("band")
        rates = [100 * rows["churn_rate"].get(band, np.nan) for band in bands]
        ratios = [rows["churn_rate_ratio"].get(band, np.nan) for band in bands]
        bars = axes.bar(
            x - 0.4 + width * (position + 0.5),
            rates,
            width=width * 0.92,
            color=[band_colour(band, i) for i, band in enumerate(bands)],
            alpha=1.0 if position == len(versions) - 1 else 0.5,
            edgecolor="#333333",
            linewidth=0.5,
            label=labels[version],
        )
        axes.bar_label(bars, labels=[f"{r:.1f}x" if r == r else "" for r in ratios], fontsize=8)
        if len(rows):
            base = 100 * float(rows["base_churn_rate"].iloc[0])
            axes.hlines(base, -0.5, len(bands) - 0.5, colors="#333333", linestyles="--")
    axes.set_xticks(x, list(bands))
    axes.set_xlim(-0.5, len(bands) - 0.5)
    axes.set_ylim(0, axes.get_ylim()[1] * 1.12)
    axes.set(ylabel="churned within the horizon (%)")
    axes.legend(loc="upper left")
    return figure


@drawn
def reliability(deciles: pd.DataFrame) -> Figure:
    """Observed churn rate against the mean predicted churn risk, per risk decile."""
    figure = _figure(WIDE)
    axes = figure.add_subplot()
    predicted = 100 * deciles["mean_predicted"].to_numpy(dtype=float)
    observed = 100 * deciles["observed_rate"].to_numpy(dtype=float)
    top = max(float(np.nanmax(predicted)), float(np.nanmax(observed)), 1.0) * 1.1
    axes.plot([0, top], [0, top], linestyle="--", color="#888888", label="perfect calibration")
    axes.plot(predicted, observed, marker="o", color=SERIES[0], label="risk deciles")
    for decile, px, py in zip(deciles["decile"], predicted, observed, strict=True):
        axes.annotate(str(decile), (px, py), textcoords="offset points", xytext=(4, -10))
    axes.set(
        xlim=(0, top),
        ylim=(0, top),
        xlabel="mean predicted churn risk (%)",
        ylabel="observed churn within the horizon (%)",
    )
    axes.set_aspect("equal")
    axes.legend(loc="upper left")
    return figure


@drawn
def weights(table: pd.DataFrame, segments: Sequence[str], has_proposed: bool) -> Figure:
    """Weight per indicator and segment: in force, and proposed by the calibration."""
    figure = _figure((7.6, 7.0))
    indicators = list(
        dict.fromkeys(table.sort_values(["family", "indicator_key"])["indicator_key"])
    )
    families = table.drop_duplicates("indicator_key").set_index("indicator_key")["family"]
    y = np.arange(len(indicators))
    axes_list = figure.subplots(1, len(segments), sharex=True, sharey=True, squeeze=False)[0]
    height = 0.4 if has_proposed else 0.8
    for axes, segment in zip(axes_list, segments, strict=True):
        rows = table[table["segment"] == segment].set_index("indicator_key")
        current = [rows["current_weight"].get(key, 0.0) for key in indicators]
        offset = -height / 2 if has_proposed else 0.0
        axes.barh(y + offset, current, height, color=SERIES[0], label="in force")
        if has_proposed:
            proposed = [rows["proposed_weight"].get(key, np.nan) for key in indicators]
            axes.barh(y + height / 2, proposed, height, color=SERIES[1], label="proposed")
        axes.set_title(segment)
        axes.set_xlabel("weight")
    axes_list[0].set_yticks(y, [f"{key} ({families.get(key, '')})" for key in indicators])
    axes_list[0].invert_yaxis()
    figure.legend(*axes_list[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return figure


@drawn
def score_distribution(
    distribution: pd.DataFrame, counts: pd.DataFrame, thresholds: Mapping[str, float]
) -> Figure:
    """Percentiles of the health score per week with the bands' lower bounds (dotted), and
    the share of customers per band."""
    figure = _figure(TALL)
    bands = list(thresholds)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    weeks = pd.to_datetime(distribution["week_start"])
    top.fill_between(
        weeks,
        distribution["p10"],
        distribution["p90"],
        color=SERIES[0],
        alpha=0.15,
        label="10th-90th percentile",
    )
    top.fill_between(
        weeks,
        distribution["p25"],
        distribution["p75"],
        color=SERIES[0],
        alpha=0.3,
        label="25th-75th percentile",
    )
    top.plot(weeks, distribution["p50"], color=SERIES[0], linewidth=1.6, label="median")
    for position, (band, lowest) in enumerate(thresholds.items()):
        if lowest > 0:
            top.axhline(lowest, linestyle=":", color=band_colour(band, position), linewidth=1.2)
    top.set(ylim=(0, 100), ylabel="health score of scored customers")
    top.legend(loc="lower left", ncols=3)
    shares = counts.pivot_table(
        index="week_start", columns="health_band", values="customers", fill_value=0
    )
    order = [band for band in (*bands, "not_scored") if band in shares.columns]
    order += sorted(set(shares.columns) - set(order))
    shares = shares[order]
    shares = 100 * shares.div(shares.sum(axis=1), axis=0)
    bottom.stackplot(
        pd.to_datetime(shares.index),
        shares.T.to_numpy(),
        labels=order,
        colors=[band_colour(band, i) for i, band in enumerate(order)],
        alpha=0.85,
    )
    bottom.set(ylim=(0, 100), ylabel="customers per band (%)", xlabel="week")
    bottom.legend(loc="lower left", ncols=len(order))
    return figure


@drawn
def band_movements(moves: pd.DataFrame, bands: Sequence[str]) -> Figure:
    """Customers per week that moved to a better band (up) or a worse one (down)."""
    figure = _figure(WIDE)
    axes = figure.add_subplot()
    rank = {band: position for position, band in enumerate(bands)}
    ranked = moves[moves["from_band"].isin(rank) & moves["to_band"].isin(rank)].copy()
    ranked["steps"] = ranked["from_band"].map(rank) - ranked["to_band"].map(rank)
    ranked = ranked[ranked["steps"] != 0]
    weeks = sorted(pd.to_datetime(moves["week_start"]).unique())
    x = pd.DatetimeIndex(weeks)
    up_base = np.zeros(len(weeks))
    down_base = np.zeros(len(weeks))
    pairs = ranked[["from_band", "to_band", "steps"]].drop_duplicates()
    pairs = pairs.assign(order=pairs["from_band"].map(rank) * 100 + pairs["to_band"].map(rank))
    for _, pair in pairs.sort_values("order").iterrows():
        of_pair = (ranked["from_band"] == pair["from_band"]) & (
            ranked["to_band"] == pair["to_band"]
        )
        rows = ranked[of_pair]
        counts = rows.groupby(pd.to_datetime(rows["week_start"]))["customers"].sum()
        values = counts.reindex(x, fill_value=0).to_numpy(dtype=float)
        up = pair["steps"] > 0
        sign = 1 if up else -1
        base = up_base if up else down_base
        axes.bar(
            x,
            sign * values,
            bottom=sign * base,
            width=5,
            color=band_colour(pair["to_band"]),
            hatch="//" if abs(pair["steps"]) > 1 else None,
            edgecolor="#333333",
            linewidth=0.3,
            label=f"{pair['from_band']} \u2192 {pair['to_band']}",
        )
        base += values
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set(ylabel="customers moving (up: better band, down: worse)", xlabel="week")
    figure.legend(loc="outside lower center", ncols=6)
    return figure


@drawn
def drivers(table: pd.DataFrame, shown: int = 12) -> Figure:
    """Score points lost and gained per indicator in the latest week, over all customers."""
    figure = _figure(WIDE)
    axes = figure.add_subplot()
    table = table.assign(moved=table["points_gained"] - table["points_lost"])
    top = table.sort_values(["moved", "indicator_key"], ascending=[False, True]).head(shown)
    top = top.iloc[::-1]
    y = np.arange(len(top))
    axes.barh(y, top["points_lost"], color=BAND_COLOURS["red"], label="points lost")
    axes.barh(y, top["points_gained"], color=BAND_COLOURS["green"], label="points gained")
    axes.axvline(0, color="#333333", linewidth=0.8)
    names = [f"{k} ({f})" for k, f in zip(top["indicator_key"], top["family"], strict=True)]
    axes.set_yticks(y, names)
    axes.set(xlabel="sum of score-point changes over customers")
    axes.legend(loc="lower right")
    return figure


@drawn
def feature_adoption(table: pd.DataFrame, bands: Sequence[str], ranked: Sequence[str]) -> Figure:
    """Share of the active customers of each band that used each feature recently, for the
    features in `ranked` (top first); legend entries give each band's customers."""
    figure = _figure((7.6, 5.6))
    axes = figure.add_subplot()
    wide = table.pivot_table(index="feature_key", columns="health_band", values="adoption_pct")
    sizes = table.drop_duplicates("health_band").set_index("health_band")["customers"]
    key = table.drop_duplicates("feature_key").set_index("feature_key")["is_key_feature"]
    order = [band for band in bands if band in wide.columns]
    y = np.arange(len(ranked))
    height = 0.8 / max(len(order), 1)
    for position, band in enumerate(order):
        axes.barh(
            y - 0.4 + height * (position + 0.5),
            wide.loc[list(ranked), band],
            height,
            color=band_colour(band, position),
            label=f"{band} ({int(sizes[band]):,} customers)",
        )
    axes.set_yticks(y, [f"{name}{' *' if key.get(name) else ''}" for name in ranked])
    axes.invert_yaxis()
    axes.set(
        xlim=(0, 100), xlabel="active customers of the band using the feature (%); * key feature"
    )
    figure.legend(loc="outside lower center", ncols=len(order))
    return figure
