"""Alert thresholds from evidence: for each alert rule with a numeric threshold, the precision
(share of customer-weeks meeting the condition that churned within the horizon) and recall
(share of churn events whose customer met it within the horizon before) of the current
threshold and of alternatives, and a suggestion: the threshold with the best F1."""

from __future__ import annotations

import numpy as np
import pandas as pd

# rule_key: (candidate thresholds, condition at threshold t on the frame's columns). The
# conditions are those of int_alert_conditions.sql with the threshold left open; a change
# there must be made here too (test_calibration compares the current thresholds' counts).
RULES = {
    "score_drop_4w": ([5, 8, 10, 12, 15, 20, 25, 30], lambda f, t, s: f["change_4w"] <= -t),
    "declining_streak": (
        [2, 3, 4, 5, 6, 8],
        lambda f, t, s: (
            (f["weeks_declining_in_row"] >= t)
            & (-f["declining_streak_change"] >= s["declining_streak_min_drop"])
            & (f["trend_label"] == "declining")
        ),
    ),
    "nps_detractor": ([2, 3, 4, 5, 6], lambda f, t, s: f["nps_in_week"] <= t),
}


def _precision_recall(frame: pd.DataFrame, met: np.ndarray) -> tuple[float, float, int]:
    churned = frame["is_churned"].to_numpy()
    events = frame.loc[churned, ["customer_id", "spell_number"]].copy()
    events["met"] = met[churned]
    caught = events.groupby(["customer_id", "spell_number"])["met"].any()
    precision = float(churned[met].mean()) if met.any() else float("nan")
    recall = float(caught.mean()) if len(caught) else float("nan")
    return precision, recall, int(met.sum())


def suggest(
    frame: pd.DataFrame, thresholds: dict[str, float], settings: dict[str, float]
) -> list[dict]:
    """One entry per rule: current and suggested threshold with their precision and recall."""
    out = []
    base = float(frame["is_churned"].mean())
    for rule, (candidates, condition) in RULES.items():
        if rule not in thresholds:
            continue
        rows = []
        for t in sorted(set(candidates) | {thresholds[rule]}):
            met = condition(frame, t, settings).fillna(False).to_numpy(dtype=bool)
            p, r, n = _precision_recall(frame, met)
            f1 = 2 * p * r / (p + r) if n and p + r > 0 else 0.0
            rows.append({"threshold": float(t), "precision": p, "recall": r, "fired": n, "f1": f1})
        current = next(x for x in rows if x["threshold"] == float(thresholds[rule]))
        best = max(rows, key=lambda x: (x["f1"], x["precision"]))
        out.append(
            {
                "rule_key": rule,
                "threshold": float(thresholds[rule]),
                "precision": current["precision"],
                "recall": current["recall"],
                "fired": current["fired"],
                "suggested_threshold": best["threshold"],
                "suggested_precision": best["precision"],
                "suggested_recall": best["recall"],
                "base_churn_rate": base,
                "candidates": rows,
            }
        )
    return out
