"""The backtest's measures in Python, defined as fct_score_backtest defines them in SQL (the
tests check that both agree on the same rows): AUC by the rank formula over distinct risk
values (ties count half), top-decile lift, and the band measures, plus a bootstrap over
customers for intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd


def auc(risk: np.ndarray, churned: np.ndarray, weight: np.ndarray | None = None) -> float:
    """P(a churned row is ranked riskier than a retained one), ties counting half."""
    w = np.ones(len(risk)) if weight is None else weight
    order = np.argsort(risk, kind="stable")
    r, y, w = risk[order], churned[order], w[order]
    levels, start = np.unique(r, return_index=True)
    pos = np.add.reduceat(np.where(y, w, 0.0), start) if len(r) else np.array([])
    neg = np.add.reduceat(np.where(y, 0.0, w), start) if len(r) else np.array([])
    below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    total = pos.sum() * neg.sum()
    return float(np.sum(pos * (below + 0.5 * neg)) / total) if total > 0 else float("nan")


def top_decile_lift(
    risk: np.ndarray, churned: np.ndarray, customer: np.ndarray, week: np.ndarray
) -> float:
    """Churn rate of the riskiest tenth of rows (ties by customer, then week) over the base."""
    n = len(risk)
    order = np.lexsort((week, customer, -risk))
    top = order[: int(np.floor(0.1 * n))]
    base = churned.mean()
    return float(churned[top].mean() / base) if base > 0 and len(top) else float("nan")


def band_measures(frame: pd.DataFrame, band: np.ndarray, target: str = "red") -> dict:
    """For one band: its churn rate over the base rate, its share of rows, and the share of
    churn events (customer and spell) whose customer was in it at some churned row."""
    in_band = band == target
    churned = frame["is_churned"].to_numpy()
    base = churned.mean()
    events = frame.loc[churned, ["customer_id", "spell_number"]].copy()
    events["in_band"] = in_band[churned]
    caught = events.groupby(["customer_id", "spell_number"])["in_band"].any()
    return {
        "share": float(in_band.mean()),
        "churn_rate_ratio": float(churned[in_band].mean() / base)
        if in_band.any() and base
        else float("nan"),
        "churners_share": float(caught.mean()) if len(caught) else float("nan"),
    }


def bands_of(score: np.ndarray, red: float, yellow: float) -> np.ndarray:
    """red below `red`, yellow below `yellow`, else green (not_scored for NaN)."""
    return np.where(
        np.isnan(score),
        "not_scored",
        np.where(score < red, "red", np.where(score < yellow, "yellow", "green")),
    )


def bootstrap(
    frame: pd.DataFrame,
    measures: dict[str, np.ndarray],
    churned: np.ndarray,
    replicates: int = 400,
    seed: int = 7,
) -> dict[str, dict[str, list[float]]]:
    """95 % intervals of AUC and top-decile lift of each risk in `measures`, and of each one's
    difference from the first, resampling customers (all their rows) with replacement."""
    rng = np.random.default_rng(seed)
    customers, index = np.unique(frame["customer_id"].to_numpy(), return_inverse=True)
    rows_of = [np.flatnonzero(index == i) for i in range(len(customers))]
    week = frame["week_start"].to_numpy().astype("int64")
    names = list(measures)
    samples: dict[str, list[float]] = {f"{m}:{n}": [] for n in names for m in ("auc", "lift")}
    for _ in range(replicates):
        pick = np.concatenate([rows_of[i] for i in rng.integers(0, len(customers), len(customers))])
        y = churned[pick]
        # resampled customers are distinct draws: number them so ties break reproducibly
        cust = np.repeat(np.arange(len(pick)), 1)
        for n in names:
            r = measures[n][pick]
            samples[f"auc:{n}"].append(auc(r, y))
            samples[f"lift:{n}"].append(top_decile_lift(r, y, cust, week[pick]))
    out: dict[str, dict[str, list[float]]] = {}
    first = names[0]
    for n in names:
        out[n] = {}
        for m in ("auc", "lift"):
            values = np.array(samples[f"{m}:{n}"])
            out[n][f"{m}_ci"] = [
                float(np.nanpercentile(values, 2.5)),
                float(np.nanpercentile(values, 97.5)),
            ]
            if n != first:
                diff = values - np.array(samples[f"{m}:{first}"])
                out[n][f"{m}_difference_ci"] = [
                    float(np.nanpercentile(diff, 2.5)),
                    float(np.nanpercentile(diff, 97.5)),
                ]
    return out
