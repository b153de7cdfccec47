"""Weights and bands from evidence: a regularised logistic model of churn on the normalised
indicator scores, constrained so that every indicator can only lower the risk as its score
rises (a health score's weights are non-negative), per segment, shrunk towards the pooled model.

The score is a weighted mean of indicator scores, so a logistic model whose linear predictor is
intercept + sum(beta_i * score_i / 100) with every beta_i <= 0 ranks customer-weeks exactly as
the score with weights proportional to -beta_i does. Fitting that model therefore fits the
weights. Each segment's betas are penalised towards the pooled betas with a fixed strength: a
segment with few churners stays close to the pooled model, one with many follows its own data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

RIDGE = 1.0  # L2 penalty on the betas, in units of the summed log-loss
SHRINKAGE = 30.0  # penalty on a segment's distance from the pooled betas, same units


@dataclass
class Fit:
    intercept: float
    betas: np.ndarray  # one per indicator, <= 0


def impute(scores: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Indicator scores on 0-1, a missing one replaced by the training mean of its indicator."""
    x = scores / 100.0
    return np.where(np.isnan(x), means[None, :], x)


def column_means(scores: np.ndarray) -> np.ndarray:
    """Mean of each indicator's present scores on 0-1 (0.5 for an indicator never present)."""
    x = scores / 100.0
    present = ~np.isnan(x)
    counts = present.sum(axis=0)
    sums = np.where(present, x, 0.0).sum(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.5)


def fit_constrained(
    x: np.ndarray,
    y: np.ndarray,
    prior: np.ndarray | None = None,
    shrinkage: float = SHRINKAGE,
    ridge: float = RIDGE,
) -> Fit:
    """Minimise log-loss + ridge * |beta|^2 (+ shrinkage * |beta - prior|^2) with beta <= 0."""
    n, k = x.shape
    yf = y.astype(float)
    target = np.zeros(k) if prior is None else prior
    strength = ridge if prior is None else shrinkage

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        b0, beta = params[0], params[1:]
        z = b0 + x @ beta
        # log(1 + e^z) - y z, stable for large |z|
        log1p = np.logaddexp(0.0, z)
        value = float(np.sum(log1p - yf * z)) + strength * float(np.sum((beta - target) ** 2))
        p = 1.0 / (1.0 + np.exp(-z))
        residual = p - yf
        grad = np.empty(k + 1)
        grad[0] = residual.sum()
        grad[1:] = x.T @ residual + 2 * strength * (beta - target)
        return value, grad

    base = min(max(yf.mean(), 1e-6), 1 - 1e-6)
    start = np.concatenate([[np.log(base / (1 - base))], np.minimum(target, 0.0)])
    bounds = [(None, None)] + [(None, 0.0)] * k
    result = minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-8},
    )
    return Fit(intercept=float(result.x[0]), betas=np.minimum(result.x[1:], 0.0))


def weights_from_betas(betas: np.ndarray, decimals: int = 4) -> np.ndarray:
    """Non-negative weights proportional to -beta that sum to exactly one at `decimals`."""
    strength = -betas
    total = strength.sum()
    if total <= 0:
        return np.full(len(betas), 1.0 / len(betas))
    weights = np.round(strength / total, decimals)
    # Put the rounding residual on the largest weight so the seed sums to one.
    weights[np.argmax(weights)] += round(1.0 - weights.sum(), decimals)
    return np.round(weights, decimals)


def score_rows(
    scores: np.ndarray, available: np.ndarray, weights: np.ndarray, min_completeness: float
) -> np.ndarray:
    """The health score of each row under per-row `weights` (rows x indicators), as
    int_customer_health_weekly computes it: the weighted mean of the present indicator scores,
    null (NaN) unless the present weight reaches min_completeness of the available weight."""
    present = ~np.isnan(scores)
    w_present = np.where(present, weights, 0.0).sum(axis=1)
    w_available = np.where(available, weights, 0.0).sum(axis=1)
    total = np.where(present, weights * np.nan_to_num(scores), 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.round(total / w_present, 6)
        completeness = np.round(w_present / w_available, 9)
    scored = (w_present > 0) & (completeness >= min_completeness)
    return np.where(scored, score, np.nan)


def place_bands(
    score: np.ndarray, y: np.ndarray, red_ratio: float, yellow_ratio: float
) -> tuple[int, int]:
    """Band thresholds where the churn risk, as a logistic function of the score fitted on the
    training rows, is red_ratio (red below) and yellow_ratio (yellow below) times the base
    rate. Whole points, 1 <= red < yellow <= 99."""
    keep = ~np.isnan(score)
    s, t = score[keep] / 100.0, y[keep].astype(float)
    base = t.mean()
    fit = fit_logistic_1d(s, t)

    def at_ratio(ratio: float) -> float:
        p = min(ratio * base, 0.999)
        logit = np.log(p / (1 - p))
        if fit[1] >= 0:  # no evidence that a higher score means less churn
            return 0.0
        return 100.0 * (logit - fit[0]) / fit[1]

    red = int(np.clip(round(at_ratio(red_ratio)), 1, 98))
    yellow = int(np.clip(round(at_ratio(yellow_ratio)), red + 1, 99))
    return red, yellow


def fit_logistic_1d(s: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """Unpenalised logistic regression of t on s: (intercept, slope)."""

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] + params[1] * s
        p = 1.0 / (1.0 + np.exp(-z))
        r = p - t
        return float(np.sum(np.logaddexp(0.0, z) - t * z)), np.array([r.sum(), (r * s).sum()])

    result = minimize(loss, np.zeros(2), jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])
