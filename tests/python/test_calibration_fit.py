"""The calibration's arithmetic on hand-worked and planted values (no warehouse needed).

AUC follows the rank formula with ties counting half; the constrained fit must find a planted
signal and give a pure-noise indicator no weight; a segment with little data stays near the
pooled model; bands land where the planted churn risk reaches the asked multiple of the base.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from chs.calibration import fit, metrics


def test_auc_counts_ties_half_and_weights_pairs():
    # churned rows risk 2 and 3, retained 1 and 2: pairs (2,1) win, (2,2) tie, (3,1) and (3,2)
    # win -> (1 + 0.5 + 1 + 1) / 4
    risk = np.array([1.0, 2.0, 2.0, 3.0])
    churned = np.array([False, True, False, True])
    assert metrics.auc(risk, churned) == 0.875
    # weighted: churned risk 2 (w 1) and 3 (w 3) against retained risk 1 (w 2): every pair wins
    assert (
        metrics.auc(
            np.array([1.0, 2.0, 3.0]), np.array([False, True, True]), np.array([2.0, 1.0, 3.0])
        )
        == 1.0
    )
    # one tie only: half
    assert metrics.auc(np.array([1.0, 1.0]), np.array([True, False]), np.array([2.0, 3.0])) == 0.5


def test_top_decile_lift_by_hand():
    # 20 rows, the two riskiest (the top tenth) both churned, 4 churned in all: (2/2) / (4/20)
    risk = np.arange(20, dtype=float)
    churned = np.zeros(20, dtype=bool)
    churned[[19, 18, 3, 2]] = True
    lift = metrics.top_decile_lift(risk, churned, np.arange(20), np.zeros(20))
    assert lift == 5.0


def _planted(n: int, betas: list[float], intercept: float, seed: int):
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(betas)))
    p = 1 / (1 + np.exp(-(intercept + x @ np.array(betas))))
    return x, rng.random(n) < p


def test_constrained_fit_finds_the_planted_signal_and_drops_noise():
    # indicator 0 strong, 1 pure noise, 2 weaker; a healthier score must lower the risk
    x, y = _planted(40_000, [-4.0, 0.0, -1.5], 0.0, seed=3)
    result = fit.fit_constrained(x, y)
    weights = fit.weights_from_betas(result.betas)
    assert weights[1] < 0.03
    assert weights[0] > weights[2] > weights[1]
    assert abs(weights[0] / weights[2] - 4.0 / 1.5) < 0.8
    assert weights.sum() == 1.0


def test_an_indicator_that_raises_risk_gets_no_weight():
    # a higher score that goes with *more* churn cannot become a negative weight
    x, y = _planted(20_000, [-3.0, 2.0], 0.0, seed=4)
    weights = fit.weights_from_betas(fit.fit_constrained(x, y).betas)
    assert weights[1] == 0.0 and weights[0] == 1.0


def test_a_segment_with_few_churns_stays_near_the_pooled_model():
    pooled_x, pooled_y = _planted(40_000, [-4.0, -1.0], -1.0, seed=5)
    pooled = fit.fit_constrained(pooled_x, pooled_y)
    # the segment's own truth is the opposite mix
    small_x, small_y = _planted(300, [-1.0, -4.0], -1.0, seed=6)
    large_x, large_y = _planted(40_000, [-1.0, -4.0], -1.0, seed=7)
    small = fit.fit_constrained(small_x, small_y, prior=pooled.betas)
    large = fit.fit_constrained(large_x, large_y, prior=pooled.betas)
    assert small.betas[0] < small.betas[1]  # still weighted like the pooled model
    assert large.betas[1] < large.betas[0]  # its own data wins


def test_bands_land_where_risk_reaches_the_asked_multiple():
    # churn risk falls with the score: logit = 1 - 6 * score/100. The base rate is measured
    # on the planted rows; red must start where the risk is 3x that, yellow at 1.5x.
    rng = np.random.default_rng(8)
    score = rng.uniform(0, 100, 60_000)
    y = rng.random(score.size) < 1 / (1 + np.exp(-(1 - 6 * score / 100)))
    base = y.mean()

    def score_at(ratio):
        p = ratio * base
        return 100 * (1 - np.log(p / (1 - p))) / 6

    red, yellow = fit.place_bands(score, y, 3.0, 1.5)
    assert abs(red - score_at(3.0)) <= 2
    assert abs(yellow - score_at(1.5)) <= 2


def test_score_rows_renormalise_over_present_indicators():
    # weights 0.5 / 0.3 / 0.2; the third indicator missing: (0.5*80 + 0.3*20) / 0.8 = 57.5;
    # completeness 0.8 passes 0.6. With only the 0.2 indicator present: 0.2 < 0.6, unscored.
    scores = np.array([[80.0, 20.0, np.nan], [np.nan, np.nan, 50.0]])
    available = np.ones((2, 3), dtype=bool)
    weights = np.array([[0.5, 0.3, 0.2]] * 2)
    out = fit.score_rows(scores, available, weights, 0.6)
    assert out[0] == 57.5 and np.isnan(out[1])


def test_band_measures_count_churn_events_once():
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c"],
            "spell_number": [1, 1, 1, 1],
            "is_churned": [True, True, True, False],
        }
    )
    band = np.array(["red", "green", "green", "red"])
    measures = metrics.band_measures(frame, band)
    # a's churn was red once (caught), b's never: 1 of 2 churn events
    assert measures["churners_share"] == 0.5
    # red rows: a (churned) and c (not): 0.5 against a base of 0.75
    assert measures["churn_rate_ratio"] == 0.5 / 0.75
