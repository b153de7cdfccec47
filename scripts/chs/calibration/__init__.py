"""Calibration: propose indicator weights, score bands and alert thresholds from observed churn.

    python scripts/calibrate.py            (make calibrate)

Reads a built warehouse, splits its scored customer-weeks in time (the newest origin weeks are
held out; the model is trained only on older weeks whose outcome was already known when the
held-out period began, so nothing later leaks in), fits a constrained, regularised logistic
model of churn within the horizon per segment (chs.calibration.fit), turns it into weights
that sum to one per segment, places the red and yellow thresholds where the churn risk is a
set multiple of the base rate, and compares current and proposed on the held-out weeks with
bootstrap intervals. It writes proposed seed files next to the current ones (never over
them): accepting is copying them into seeds/ and rebuilding, which gives a new score model
version whose backtest sits beside the old one in fct_score_backtest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from chs.calibration import alerts, fit, metrics
from chs.calibration.data import CalibrationData, load
from chs.calibration.output import write_outputs
from chs.dbt import project_vars
from chs.errors import UserError

NO_SIGNAL = 0.005  # a proposed weight below this is "no evidence of signal"


@dataclass
class Settings:
    """What the calibration fits on and aims at. The horizon and the churn grace period are
    the dbt vars primary_horizon_weeks and churn_grace_days unless given."""

    horizon_weeks: int = field(default_factory=lambda: int(project_vars()["primary_horizon_weeks"]))
    grace_days: int = field(default_factory=lambda: int(project_vars()["churn_grace_days"]))
    holdout_weeks: int = 13
    red_ratio: float = 3.0
    yellow_ratio: float = 1.5
    replicates: int = 400
    seed: int = 7
    keep_weights: bool = False  # propose bands (and alert thresholds) for the current weights


def split(data: CalibrationData, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (train, holdout): the newest `holdout_weeks` origin weeks are held out;
    training weeks are those whose outcome was known before the held-out period began."""
    week = data.frame["week_start"]
    holdout_start = week.max() - pd.Timedelta(days=7 * (settings.holdout_weeks - 1))
    holdout = (week >= holdout_start).to_numpy()
    known_by = data.frame["week_end"] + pd.Timedelta(
        days=7 * settings.horizon_weeks + settings.grace_days
    )
    train = (known_by <= holdout_start).to_numpy()
    return train, holdout


def _weight_matrix(data: CalibrationData, table: pd.DataFrame) -> np.ndarray:
    """Per-row weights (rows x indicators) from a segment, indicator_key, weight table."""
    pivot = table.pivot(index="segment", columns="indicator_key", values="weight")
    pivot = pivot.reindex(columns=data.indicators).fillna(0.0)
    segments = data.frame["segment"]
    unknown = sorted(set(segments) - set(pivot.index))
    if unknown:
        raise UserError(f"no weights for segment(s) {', '.join(unknown)} in indicator_weights")
    return pivot.loc[segments].to_numpy(dtype=float)


def calibrate(database: Path, out_dir: Path, settings: Settings) -> dict:
    data = load(database, settings.horizon_weeks, settings.grace_days)
    train, holdout = split(data, settings)
    y = data.frame["is_churned"].to_numpy()
    if y[train].sum() < 20 or y[holdout].sum() < 10:
        raise UserError(
            f"too few churns to calibrate: {int(y[train].sum())} in the training weeks and"
            f" {int(y[holdout].sum())} in the held-out weeks (need 20 and 10)"
        )
    means = fit.column_means(data.scores[train])
    x = fit.impute(data.scores, means)
    pooled = fit.fit_constrained(x[train], y[train])
    segments = sorted(data.current_weights["segment"].unique())
    rows, fits = [], {}
    for segment in segments:
        mask = train & (data.frame["segment"] == segment).to_numpy()
        fits[segment] = (
            fit.fit_constrained(x[mask], y[mask], prior=pooled.betas) if y[mask].any() else pooled
        )
        weights = fit.weights_from_betas(fits[segment].betas)
        rows += [
            {"segment": segment, "indicator_key": key, "weight": float(w)}
            for key, w in zip(data.indicators, weights, strict=True)
        ]
    proposed_weights = pd.DataFrame(rows)
    if settings.keep_weights:
        proposed_weights = data.current_weights.copy()

    current_w = _weight_matrix(data, data.current_weights)
    proposed_w = _weight_matrix(data, proposed_weights)
    current_score = fit.score_rows(data.scores, data.available, current_w, data.min_completeness)
    proposed_score = fit.score_rows(data.scores, data.available, proposed_w, data.min_completeness)
    red, yellow = fit.place_bands(
        proposed_score[train], y[train], settings.red_ratio, settings.yellow_ratio
    )
    bands = data.current_bands.set_index("band")["min_score"].astype(float)
    current_bands = metrics.bands_of(current_score, float(bands["yellow"]), float(bands["green"]))
    proposed_bands = metrics.bands_of(proposed_score, float(red), float(yellow))

    result = {
        "horizon_weeks": settings.horizon_weeks,
        "grace_days": settings.grace_days,
        "train": _period(data, train),
        "holdout_period": _period(data, holdout),
        "pooled_betas": dict(zip(data.indicators, map(float, pooled.betas), strict=True)),
    }
    # holdout: {"current": measures, "proposed": measures}; what they were measured on goes
    # to holdout_period (customer-weeks both could score, base churn rate)
    evaluated = _evaluate(
        data, holdout, current_score, proposed_score, current_bands, proposed_bands, settings
    )
    result["holdout"] = {
        name: evaluated.pop(name) for name in ("current", "proposed", "churn_risk")
    }
    result["holdout_period"].update(
        scored_customer_weeks=evaluated["customer_weeks"],
        base_churn_rate=evaluated["base_churn_rate"],
    )
    result["weights"] = _weights_table(data, proposed_weights)
    result["bands"] = {
        "current": [{"band": b, "min_score": float(m)} for b, m in bands.sort_values().items()],
        "proposed": [
            {"band": "red", "min_score": 0.0},
            {"band": "yellow", "min_score": float(red)},
            {"band": "green", "min_score": float(yellow)},
        ],
    }
    result["band_targets"] = {
        "red_risk_ratio": settings.red_ratio,
        "yellow_risk_ratio": settings.yellow_ratio,
    }
    result["no_signal_indicators"] = [
        key
        for key, beta in zip(data.indicators, pooled.betas, strict=True)
        if -beta / max(-pooled.betas.sum(), 1e-12) < NO_SIGNAL
    ]
    result["indicator_auc"] = _indicator_auc(data, train)
    result["alerts"] = alerts.suggest(data.frame.loc[train], data.alert_thresholds, data.settings)
    write_outputs(out_dir, data, proposed_weights, result)
    return result


def _period(data: CalibrationData, mask: np.ndarray) -> dict:
    frame = data.frame.loc[mask]
    return {
        "first_week": str(frame["week_start"].min().date()),
        "last_week": str(frame["week_start"].max().date()),
        "customer_weeks": int(len(frame)),
        "churned_customer_weeks": int(frame["is_churned"].sum()),
        "churn_events": int(
            frame.loc[frame["is_churned"], ["customer_id", "spell_number"]]
            .drop_duplicates()
            .shape[0]
        ),
    }


def _evaluate(
    data, holdout, current_score, proposed_score, current_bands, proposed_bands, settings
):
    frame = data.frame.loc[holdout].reset_index(drop=True)
    y = frame["is_churned"].to_numpy()
    # Rows that either weight set cannot score are left out of both, so both are judged on
    # the same customer-weeks.
    both = ~np.isnan(current_score[holdout]) & ~np.isnan(proposed_score[holdout])
    frame, y = frame.loc[both].reset_index(drop=True), y[both]
    risks = {
        "current": 100 - current_score[holdout][both],
        "proposed": 100 - proposed_score[holdout][both],
    }
    customer = frame["customer_id"].to_numpy()
    week = frame["week_start"].to_numpy().astype("int64")
    out: dict = {"customer_weeks": int(len(frame)), "base_churn_rate": float(y.mean())}
    intervals = metrics.bootstrap(frame, risks, y, settings.replicates, settings.seed)
    for name, band in (("current", current_bands), ("proposed", proposed_bands)):
        red = metrics.band_measures(frame, band[holdout][both], "red")
        out[name] = {
            "auc": metrics.auc(risks[name], y),
            "top_decile_lift": metrics.top_decile_lift(risks[name], y, customer, week),
            "red_share": red["share"],
            "red_churn_rate_ratio": red["churn_rate_ratio"],
            "churners_red_share": red["churners_share"],
            **intervals[name],
        }
    out["churn_risk"] = _learned_risk(frame, risks["proposed"], y, settings)
    return out


def _learned_risk(frame: pd.DataFrame, proposed: np.ndarray, y: np.ndarray, settings) -> dict:
    """The learned churn risk (int_churn_risk_weekly) against the proposed weights on the
    held-out weeks it scored: AUC and lift, and the interval of its difference."""
    risk = frame["churn_risk"].to_numpy(dtype=float)
    has = ~np.isnan(risk)
    if not has.any():
        return {"customer_weeks": 0}
    sub = frame.loc[has].reset_index(drop=True)
    measures = {"proposed": proposed[has], "churn_risk": risk[has]}
    intervals = metrics.bootstrap(sub, measures, y[has], settings.replicates, settings.seed)
    customer = sub["customer_id"].to_numpy()
    week = sub["week_start"].to_numpy().astype("int64")
    return {
        "customer_weeks": int(has.sum()),
        "auc": metrics.auc(risk[has], y[has]),
        "proposed_auc": metrics.auc(proposed[has], y[has]),
        "top_decile_lift": metrics.top_decile_lift(risk[has], y[has], customer, week),
        "proposed_top_decile_lift": metrics.top_decile_lift(proposed[has], y[has], customer, week),
        **intervals["churn_risk"],
    }


def _weights_table(data: CalibrationData, proposed: pd.DataFrame) -> list[dict]:
    merged = data.current_weights.merge(
        proposed, on=["segment", "indicator_key"], how="outer", suffixes=("_current", "_proposed")
    ).fillna(0.0)
    return [
        {
            "segment": r.segment,
            "indicator_key": r.indicator_key,
            "family": data.families.get(r.indicator_key, ""),
            "current_weight": float(r.weight_current),
            "proposed_weight": float(r.weight_proposed),
        }
        for r in merged.sort_values(["segment", "indicator_key"]).itertuples()
    ]


def _indicator_auc(data: CalibrationData, train: np.ndarray) -> dict[str, float]:
    """Each indicator alone on the training weeks where it is present: AUC of its low score."""
    y = data.frame["is_churned"].to_numpy()
    out = {}
    for j, key in enumerate(data.indicators):
        present = train & ~np.isnan(data.scores[:, j])
        out[key] = (
            metrics.auc(-data.scores[present, j], y[present]) if present.any() else float("nan")
        )
    return out
