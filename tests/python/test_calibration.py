"""Calibration and backtest on a real build of a generated company whose planted signals
differ from the hand-set weights' assumptions: product usage is pure noise, support and
surveys carry health strongly (scripts/chs/generator/signal_profiles/planted_support_surveys).

What is checked was worked out from the definitions, not read back from the code under test:
- the Python replica of the score equals the score dbt built, and the Python AUC equals the
  backtest mart's, on the same customer-weeks (two implementations of one rule agree);
- observed churn (from subscriptions only) matches the generator's hidden churn dates;
- the calibration recovers the planted truth: the usage weights fall towards zero, the
  support weights rise (surveys, though planted strong too, are sparse: quarterly NPS goes
  stale, so their share is not asserted), and the proposed weights beat the hand-set ones
  on held-out weeks (the bootstrap interval of the AUC difference lies above zero);
- the backtest's dbt test can fail: with an AUC floor no score reaches it fails the build.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import duckdb
import numpy as np
import pytest
from chs.calibration import Settings, alerts, calibrate, fit, metrics
from chs.calibration.data import load
from chs.dbt import PROJECT_DIR, DbtTarget, run_dbt
from chs.errors import UserError
from chs.generator import generate
from chs.loading import load_raw

PLANTED = PROJECT_DIR / "scripts/chs/generator/signal_profiles/planted_support_surveys.json"
FAMILIES_NOISE = ("usage",)
FAMILIES_STRONG = ("support",)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("calibration_planted")
    generate(
        customers=700,
        start=date(2024, 11, 18),
        end=date(2026, 8, 30),
        seed=11,
        dirt_rate=0.02,
        out=root / "raw",
        truth_out=root / "truth",
        signals=PLANTED,
        quiet=True,
    )
    database = root / "warehouse.duckdb"
    load_raw(root / "raw", database)
    target = DbtTarget(database=database, work_dir=root, profiles_dir=root / "profiles")
    run_dbt(["build"], target, quiet=True)
    settings = Settings(replicates=200)
    result = calibrate(database, root / "calibration", settings)
    return {
        "root": root,
        "database": database,
        "target": target,
        "result": result,
        "settings": settings,
    }


def _family_share(weights: list[dict], families: tuple[str, ...], column: str) -> float:
    """Mean over segments of the share of weight on indicators of `families`."""
    segments = sorted({w["segment"] for w in weights})
    shares = [
        sum(w[column] for w in weights if w["segment"] == s and w["family"] in families)
        for s in segments
    ]
    return sum(shares) / len(shares)


def test_python_score_and_auc_equal_the_built_ones(planted):
    s = planted["settings"]
    data = load(planted["database"], s.horizon_weeks, s.grace_days)
    weights = data.current_weights.pivot(index="segment", columns="indicator_key", values="weight")
    per_row = weights.reindex(columns=data.indicators).fillna(0).loc[data.frame["segment"]]
    replica = fit.score_rows(data.scores, data.available, per_row.to_numpy(), data.min_completeness)
    built = data.frame["computed_score"].to_numpy(dtype=float)
    assert len(built) > 20_000
    assert np.nanmax(np.abs(replica - built)) < 1e-6
    y = data.frame["is_churned"].to_numpy()
    with duckdb.connect(str(planted["database"]), read_only=True) as con:
        mart_auc = con.execute(
            "select auc from marts.fct_score_backtest where scoring_method = 'health_score'"
            " and segment = 'all' and window_number is null and horizon_weeks = ?",
            [s.horizon_weeks],
        ).fetchone()[0]
    assert abs(metrics.auc(100 - built, y) - mart_auc) < 1e-12


def test_observed_churn_matches_the_hidden_truth(planted):
    with duckdb.connect(str(planted["database"]), read_only=True) as con:
        truth_file = planted["root"] / "truth" / "customer_truth.parquet"
        rows = con.execute(
            f"""
            with truth as (
                select customer_id, churned, cast(churn_date as date) as churn_date
                from read_parquet('{truth_file}')
            ),
            observed as (
                select customer_id, max(cast(ended_at as date)) as churn_date
                from intermediate.int_subscription_spells
                where is_churned group by 1
            ),
            certain as (
                -- customers whose churn could be told: no pending or uncertain spell end
                select customer_id from intermediate.int_subscription_spells
                group by 1 having not bool_or(is_churn_pending or has_uncertain_end)
            )
            select
                count(*) filter (where truth.churned) as truth_churns,
                count(*) filter (where truth.churned and observed.churn_date = truth.churn_date)
                    as same_date,
                count(*) filter (where not truth.churned and observed.churn_date is not null)
                    as observed_only
            from truth
            inner join certain using (customer_id)
            left join observed using (customer_id)
            """
        ).fetchone()
    truth_churns, same_date, observed_only = rows
    assert truth_churns > 80
    # hidden churns whose end is certain are observed on their day, but for the few whose
    # last subscription row the dirt removed (the data then shows an earlier end); churns the
    # truth does not know come from such removed rows too
    assert same_date >= 0.95 * truth_churns
    assert observed_only <= 0.25 * truth_churns


def test_calibration_recovers_the_planted_signals(planted):
    result = planted["result"]
    weights = result["weights"]
    usage_now = _family_share(weights, FAMILIES_NOISE, "current_weight")
    usage_new = _family_share(weights, FAMILIES_NOISE, "proposed_weight")
    strong_now = _family_share(weights, FAMILIES_STRONG, "current_weight")
    strong_new = _family_share(weights, FAMILIES_STRONG, "proposed_weight")
    assert usage_new < 0.5 * usage_now
    assert strong_new > strong_now + 0.05
    held = result["holdout"]
    assert held["proposed"]["auc"] > held["current"]["auc"]
    assert held["proposed"]["auc_difference_ci"][0] > 0


def test_proposed_seeds_are_ready_to_copy(planted):
    out = planted["root"] / "calibration"
    with (PROJECT_DIR / "seeds/indicator_weights.csv").open() as f:
        current = list(csv.DictReader(f))
    with (out / "indicator_weights.csv").open() as f:
        proposed = list(csv.DictReader(f))
    assert [(r["segment"], r["indicator_key"]) for r in proposed] == [
        (r["segment"], r["indicator_key"]) for r in current
    ]
    for segment in {r["segment"] for r in proposed}:
        total = sum(float(r["weight"]) for r in proposed if r["segment"] == segment)
        assert abs(total - 1) < 1e-9
        assert all(float(r["weight"]) >= 0 for r in proposed)
    with (out / "score_bands.csv").open() as f:
        bands = {r["band"]: float(r["min_score"]) for r in csv.DictReader(f)}
    assert bands["red"] == 0 < bands["yellow"] < bands["green"] <= 100
    summary = json.loads((out / "calibration.json").read_text())
    assert summary["no_signal_indicators"]  # the noise indicators are named
    assert (PROJECT_DIR / "seeds/indicator_weights.csv").read_text() != (
        out / "indicator_weights.csv"
    ).read_text()


def test_the_backtest_test_fails_below_its_floor(planted):
    target = planted["target"]
    select = ["--select", "assert_score_beats_floor_and_baseline"]
    run_dbt(["test", *select], target, quiet=True)
    with pytest.raises(UserError):
        run_dbt(
            ["test", *select, "--vars", json.dumps({"backtest_auc_floor": 0.99})],
            target,
            quiet=True,
        )


def test_too_little_history_is_a_clear_error(planted, tmp_path):
    with pytest.raises(UserError, match="backtest_horizon_weeks"):
        calibrate(planted["database"], tmp_path, Settings(horizon_weeks=80, replicates=10))


def test_alert_threshold_sweep_uses_the_rules_of_the_build(planted):
    """At the thresholds in force, the calibration's alert conditions hold on exactly the
    customer-weeks on which int_alert_conditions says they hold."""
    s = planted["settings"]
    data = load(planted["database"], s.horizon_weeks, s.grace_days)
    keys = data.frame[["customer_id", "week_start"]].astype(str).agg("|".join, axis=1)
    with duckdb.connect(str(planted["database"]), read_only=True) as con:
        met = con.execute(
            "select rule_key, customer_id || '|' || cast(week_start as varchar)"
            " from intermediate.int_alert_conditions where is_met"
        ).fetchall()
    checked = 0
    for rule, (_, condition) in alerts.RULES.items():
        in_sql = {key for r, key in met if r == rule}
        mask = condition(data.frame, data.alert_thresholds[rule], data.settings)
        in_python = set(keys[mask.fillna(False).to_numpy(dtype=bool)])
        assert in_python == in_sql & set(keys), rule
        checked += len(in_python)
    assert checked > 100
