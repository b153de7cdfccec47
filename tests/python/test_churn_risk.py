"""The learned churn risk on a small generated company: point in time, applied as trained,
reproducible.

A risk model of checkpoint T may learn only from outcomes known at T, so rebuilding from the
rows that existed before a cut must give every week up to the cut the same risk as the full
build. The SQL that applies the models must give the probability the fitted logistic model
gives, recomputed here from the coefficient table and the indicator scores alone. Training the
same data twice must give the same coefficients.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from chs.dbt import DbtTarget, run_dbt
from chs.generator import generate
from chs.loading import load_raw

START, END = date(2025, 1, 6), date(2026, 4, 26)
CUT_WEEK = date(2025, 12, 1)  # week W: Monday 2025-12-01 .. Sunday 2025-12-07
CUT = CUT_WEEK + timedelta(days=7)
LOADED_AT = datetime(2026, 4, 28, 12)
FUTURE = LOADED_AT + timedelta(hours=1)  # staging quarantines later timestamps (future_timestamp)
# Retrain every four weeks once five churns are known, so that several models are trained
# before the cut on 300 customers.
RISK_VARS = {"churn_risk_retrain_weeks": 4, "churn_risk_min_churns": 5}
SELECTION = ["--select", "+int_churn_risk_weekly", "--exclude-resource-type", "test"]
SELECTION += ["--exclude-resource-type", "unit_test"]
# Main timestamp of each event-like raw table (as tests/python/test_scoring.py cuts them).
MAIN_TIMESTAMP = {
    "billing/subscriptions": "started_at",
    "billing/invoices": "issued_at",
    "billing/payments": "attempted_at",
    "product/usage_events": "occurred_at",
    "support/tickets": "opened_at",
    "shop/orders": "ordered_at",
    "surveys/survey_responses": "responded_at",
}


def _target(root: Path) -> DbtTarget:
    return DbtTarget(
        database=root / "warehouse.duckdb", work_dir=root, profiles_dir=root / "profiles"
    )


def _build(root: Path, raw: Path, as_of: date | None = None) -> Path:
    """Load `raw` and build the churn risk and everything it reads."""
    target = _target(root)
    load_raw(raw, target.database, loaded_at=LOADED_AT)
    variables = dict(RISK_VARS, **({"as_of_date": as_of.isoformat()} if as_of else {}))
    run_dbt(["build", *SELECTION, "--vars", json.dumps(variables)], target, quiet=True)
    return target.database


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def _risks(database: Path, until: date | None = None) -> list[tuple]:
    where = f"where week_start <= date '{until}'" if until else ""
    return _query(
        database,
        "select customer_id, week_start, risk_model_id, risk_model_version, churn_risk,"
        " top_risk_up_1, top_risk_up_2, top_risk_up_3,"
        " top_risk_down_1, top_risk_down_2, top_risk_down_3"
        f" from intermediate.int_churn_risk_weekly {where} order by 1, 2",
    )


def _coefficients(database: Path) -> list[tuple]:
    return _query(
        database,
        "select model_id, feature_key, model_version, coefficient, feature_mean,"
        " feature_scale, training_rows, training_positive_rows, training_churns,"
        " trained_through, applies_from_week, applies_until_week"
        " from intermediate.int_churn_risk_coefficients order by 1, 2",
    )


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    root = tmp_path_factory.mktemp("churn_risk_full")
    generate(
        customers=300,
        start=START,
        end=END,
        seed=23,
        dirt_rate=0.02,
        out=root / "raw",
        truth_out=root / "truth",
        quiet=True,
    )
    return {"root": root, "raw": root / "raw", "database": _build(root, root / "raw")}


def _cut_raw(raw: Path, cut_raw: Path) -> None:
    """Copy the raw files keeping only the event rows from before the cut."""
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for name in ("crm/customers", "product/features", *MAIN_TIMESTAMP):
            source, target = raw / f"{name}.parquet", cut_raw / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            column = MAIN_TIMESTAMP.get(name)
            # Rows whose timestamp does not parse, or lies after the load, stay: staging
            # refuses them in both builds, and they cannot be placed in time.
            keep = (
                f"where try_cast({column} as timestamptz) is null"
                f" or try_cast({column} as timestamptz) < timestamptz '{CUT} 00:00:00+00'"
                f" or try_cast({column} as timestamptz) > timestamptz '{FUTURE}+00'"
                if column
                else ""
            )
            con.execute(
                f"copy (select * from read_parquet('{source}') {keep})"
                f" to '{target}' (format parquet)"
            )


def test_risk_is_point_in_time(company, tmp_path):
    """Rebuilt from only the rows that existed before the end of week W, every week up to W
    has the same risk, model and explanations: a model never learns from a later outcome."""
    _cut_raw(company["raw"], tmp_path / "raw")
    cut_database = _build(tmp_path, tmp_path / "raw", as_of=CUT - timedelta(days=1))

    cut = _risks(cut_database)
    full = _risks(company["database"], until=CUT_WEEK)
    assert max(row[1] for row in cut) == CUT_WEEK
    # The test can fail: the cut build trained several models and scored many weeks with them.
    cut_models = _coefficients(cut_database)
    assert len({row[0] for row in cut_models}) >= 2
    assert len(cut) > 2_000
    assert cut == full

    # The models trained before the cut are the same models, but for the end of the last
    # one, which the full build closes when it trains the next.
    full_models = [row for row in _coefficients(company["database"]) if row[9] <= CUT]
    assert [row[:-1] for row in cut_models] == [row[:-1] for row in full_models]


def test_sql_applies_the_fitted_models(company):
    """churn_risk is the logistic of intercept + sum(coefficient * (x - mean) / scale), with a
    missing score imputed by its mean and its missing flag 1, recomputed here from the
    coefficient table and the long indicator scores."""
    database = company["database"]
    coefficients = _query(
        database,
        "select model_id, feature_kind, indicator_key, segment, coefficient, feature_mean,"
        " feature_scale, applies_from_week, applies_until_week"
        " from intermediate.int_churn_risk_coefficients",
    )
    models: dict[int, dict] = {}
    for model_id, kind, indicator, segment, coefficient, mean, scale, start, until in coefficients:
        model = models.setdefault(model_id, {"terms": [], "from": start, "until": until})
        model["terms"].append((kind, indicator, segment, coefficient, mean, scale))
    scores: dict[tuple, dict] = {}
    for customer, week, segment, indicator, score in _query(
        database,
        "select customer_id, week_start, segment, indicator_key, normalised_score"
        " from intermediate.int_indicator_scores",
    ):
        scores.setdefault((customer, week), {"segment": segment})[indicator] = score
    risks = _query(
        database,
        "select customer_id, week_start, risk_model_id, churn_risk"
        " from intermediate.int_churn_risk_weekly",
    )
    assert len(risks) > 5_000
    for customer, week, model_id, churn_risk in risks:
        model, row = models[model_id], scores[(customer, week)]
        assert model["from"] <= week and (model["until"] is None or week < model["until"])
        log_odds = 0.0
        for kind, indicator, segment, coefficient, mean, scale in model["terms"]:
            if kind == "intercept":
                value = 1.0
                mean, scale = 0.0, 1.0
            elif kind == "score":
                value = mean if row[indicator] is None else row[indicator]
            elif kind == "missing":
                value = 1.0 if row[indicator] is None else 0.0
            else:
                value = 1.0 if row["segment"] == segment else 0.0
            log_odds += coefficient * (value - mean) / scale
        assert churn_risk == pytest.approx(1 / (1 + math.exp(-log_odds)), abs=1e-9)


def test_better_scores_never_raise_the_risk(company):
    """Every score coefficient is at most 0, so what is named as raising a customer's risk is
    an indicator the customer is worse on than the training average."""
    positive = _query(
        company["database"],
        "select model_id, feature_key, coefficient from intermediate.int_churn_risk_coefficients"
        " where feature_kind = 'score' and coefficient > 0",
    )
    assert positive == []


def test_training_is_reproducible(company):
    """Training the same data again gives the same coefficients, bit for bit."""
    before = _coefficients(company["database"])
    run_dbt(
        ["run", "--select", "int_churn_risk_coefficients", "--vars", json.dumps(RISK_VARS)],
        _target(company["root"]),
        quiet=True,
    )
    assert _coefficients(company["database"]) == before
