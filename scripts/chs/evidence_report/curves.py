"""ROC and lift curves from the backtest's counts per distinct risk value.

The input is what `queries.risk_levels` returns for one scoring method and version: one row
per distinct risk_value with the churned (positives) and retained (negatives) customer-weeks
at it. Customer-weeks tied on a risk value enter a curve together, as one straight segment,
so the area under the ROC curve equals the backtest's rank AUC with ties counted half.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Curves:
    false_positive_rate: np.ndarray
    true_positive_rate: np.ndarray
    targeted_share: np.ndarray  # share of customer-weeks flagged, riskiest first
    lift: np.ndarray  # churn rate of the flagged share over the base churn rate
    auc: float
    customer_weeks: int
    churned: int


def curves(levels: pd.DataFrame) -> Curves | None:
    """The curves of one method and version; None when its origins hold no churn or no
    retained customer-week (nothing to separate)."""
    ordered = levels.sort_values("risk_value", ascending=False)
    positives = ordered["positives"].to_numpy(dtype=float)
    negatives = ordered["negatives"].to_numpy(dtype=float)
    total_positives, total_negatives = positives.sum(), negatives.sum()
    if total_positives == 0 or total_negatives == 0:
        return None
    true_positives = np.concatenate([[0.0], np.cumsum(positives)])
    false_positives = np.concatenate([[0.0], np.cumsum(negatives)])
    tpr = true_positives / total_positives
    fpr = false_positives / total_negatives
    flagged = true_positives[1:] + false_positives[1:]
    total = total_positives + total_negatives
    base_rate = total_positives / total
    return Curves(
        false_positive_rate=fpr,
        true_positive_rate=tpr,
        targeted_share=flagged / total,
        lift=(true_positives[1:] / flagged) / base_rate,
        auc=float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2)),
        customer_weeks=int(total),
        churned=int(total_positives),
    )
