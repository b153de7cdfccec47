"""The weights in force per segment and indicator against those the weight calibration
proposes (`make calibrate`), with its holdout comparison, band thresholds and alert
thresholds; without a calibration, the weights in force and how to get a proposal."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from chs.evidence_report import plots, queries
from chs.evidence_report.calibration_file import Calibration
from chs.evidence_report.model import Plot, Section, Table, num, pct


def _holdout_table(calibration: Calibration) -> Table:
    def ci(values: object, digits: int) -> str:
        if isinstance(values, list | tuple) and len(values) == 2:
            return f" ({num(values[0], digits)}\u2013{num(values[1], digits)})"
        return ""

    rows = []
    for version in ("current", "proposed"):
        m = calibration.holdout.get(version)
        if m:
            rows.append(
                (
                    version,
                    num(m["auc"]) + ci(m["auc_ci"], 3),
                    num(m["top_decile_lift"], 2) + ci(m["lift_ci"], 2),
                    num(m["red_churn_rate_ratio"], 2),
                    pct(m["churners_red_share"], 0),
                )
            )
    return Table(
        header=(
            "weights",
            "holdout AUC (95% CI)",
            "top-decile lift (95% CI)",
            "red x base rate",
            "churners red",
        ),
        rows=tuple(rows),
        caption=f"{calibration.path}: the calibration's holdout, horizon"
        f" {calibration.horizon_weeks} weeks",
    )


def section(
    con: duckdb.DuckDBPyConnection,
    calibration: Calibration | None,
    calibration_path: Path,
    horizon: int,
) -> Section:
    """Weights in force per segment and indicator, beside the calibration's proposal."""
    table = queries.current_weights(con)
    notes, tables, facts = [], [], []
    if calibration is not None and calibration.horizon_weeks != horizon:
        notes.append(
            f"The calibration fitted a horizon of {calibration.horizon_weeks} weeks, the rest"
            f" of this report shows {horizon} weeks."
        )
    if calibration is None:
        notes.append(
            f"No calibration at {calibration_path}: run `make calibrate` to fit weights on the"
            " backtest; this plot then shows them beside the weights in force."
        )
    else:
        proposed = pd.DataFrame(
            [
                (w.segment, w.indicator_key, w.proposed_weight, w.current_weight)
                for w in calibration.weights
            ],
            columns=["segment", "indicator_key", "proposed_weight", "calibrated_from"],
        )
        table = table.merge(proposed, on=["segment", "indicator_key"], how="outer")
        table["family"] = table["family"].fillna(
            table["indicator_key"].map({w.indicator_key: w.family for w in calibration.weights})
        )
        table["current_weight"] = table["current_weight"].fillna(0.0)
        listed = table["proposed_weight"].notna()
        changed = listed & ((table["calibrated_from"] - table["current_weight"]).abs() > 1e-9)
        if changed.any():
            notes.append(
                f"The calibration started from other weights than those in force"
                f" ({int(changed.sum())} differ): rerun `make calibrate`."
            )
        if not listed.all():
            notes.append(
                f"The calibration proposes no weight for {int((~listed).sum())} of the"
                f" {len(table)} segment indicators: they have no orange bar."
            )
        moves = (table["proposed_weight"] - table["current_weight"]).abs()
        for row in table.loc[
            moves.sort_values(ascending=False, kind="stable").index[:5]
        ].itertuples():
            facts.append(
                f"{row.segment} {row.indicator_key}: {num(row.current_weight, 3)} \u2192"
                f" {num(row.proposed_weight, 3)}"
            )
        for version in ("current", "proposed"):
            m = calibration.holdout.get(version)
            if m:
                facts.append(
                    f"Holdout with the {version} weights: AUC {num(m['auc'])}, top-decile"
                    f" lift {num(m['top_decile_lift'], 2)}, red"
                    f" {num(m['red_churn_rate_ratio'], 1)} times the base rate."
                )
        if calibration.no_signal_indicators:
            facts.append(
                "No signal in the backtest: " + ", ".join(calibration.no_signal_indicators)
            )
        tables.append(_holdout_table(calibration))
        band_rows = [
            (
                band,
                num(calibration.bands.get("current", {}).get(band), 0),
                num(calibration.bands.get("proposed", {}).get(band), 0),
            )
            for band in queries.bands(con)
        ]
        tables.append(
            Table(
                header=("band", "min score in force", "min score proposed"),
                rows=tuple(band_rows),
                caption="Band thresholds",
            )
        )
        if calibration.alerts:
            tables.append(
                Table(
                    header=("rule", "threshold", "suggested", "precision", "recall"),
                    rows=tuple(
                        (
                            str(a.get("rule_key")),
                            num(a.get("threshold"), 2),
                            num(a.get("suggested_threshold"), 2),
                            pct(a.get("precision")),
                            pct(a.get("recall")),
                        )
                        for a in calibration.alerts
                    ),
                    caption="Alert thresholds suggested by the calibration",
                )
            )
    segments = sorted(table["segment"].dropna().unique())
    has_proposed = calibration is not None
    return Section(
        id="weights",
        title="Weights: in force and proposed",
        intro="How much each indicator counts in each segment's score (weights sum to one).",
        plots=(
            Plot(
                id="fig-weights",
                kind="weights",
                title="Indicator weights per segment"
                + (", in force vs proposed" if has_proposed else ", in force"),
                caption="Read: bar length is the indicator's weight in the segment's score;"
                " blue is in force (reference.indicator_weights)"
                + (", orange proposed by the calibration." if has_proposed else "."),
                image=plots.png_data_uri(plots.weights(table, segments, has_proposed)),
                alt="Indicator weights per segment",
                facts=tuple(facts),
            ),
        ),
        notes=tuple(notes),
        tables=tuple(tables),
    )
