"""The churn-risk models, trained point in time: one row per trained model per feature.

A model is trained at each checkpoint: every `retrain_weeks` weeks counted from the history's
first week (so a build cut at an earlier as-of date has the same checkpoints). The model of
checkpoint T learns whether a customer subscribed at a week's end churned within the next
`horizon_weeks` weeks, from origin weeks whose outcome was already known at T:
week_end + 7 * horizon_weeks + churn_grace_days <= T (a churn is only told from a pause once
the grace period has passed). The outcome is read as it stood at T: the week's subscription
spell ends where the periods started before T say (a period started later that continues the
spell, such as a renewal after a gap, is not yet known), and an end within the horizon is left
out as uncertain only if a quarantined row that may continue it existed before T. So a model
is the same whether the build ran at T or years later.

Features: per indicator of seeds/indicator_catalogue.csv its normalised score (missing values
imputed with the training mean) and a missing flag, and one flag per segment of
seeds/indicator_weights.csv; standardised with the training rows' mean and standard deviation.
An L2-regularised logistic regression (scikit-learn, lbfgs, single-threaded so that the result
does not depend on the machine) is fitted on them. Scores are oriented so that 100 is healthy,
so a score's coefficient may not be positive: a score that comes out with a positive one (an
artefact of correlated indicators) is dropped (coefficient 0) and the model refitted, until
none is. A better score then never raises the risk, and an indicator named as raising a
customer's risk is always one the customer is worse on than the average. A checkpoint
with fewer than `min_churns` churns (distinct churned spells) among its training rows trains
no model. Memory is bounded: the training rows are chosen in SQL, and above
`max_training_rows` only the rows with the smallest md5 of (customer_id, week_start) are kept,
a sample that depends on no later data.

Each model applies from the week ending at its checkpoint up to the week ending at the next
trained one (int_churn_risk_weekly applies it in SQL). model_version is a hash of the method,
the settings and the feature list. Runs on DuckDB (dbt-duckdb Python model).
"""

import hashlib
import json
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

METHOD = "logistic-regression-l2-sign-consistent-v1"
MAX_ITERATIONS = 1000
TOLERANCE = 1e-8

SCHEMA = pa.schema(
    [
        ("model_id", pa.int32()),
        ("model_version", pa.string()),
        ("feature_key", pa.string()),
        ("feature_kind", pa.string()),
        ("indicator_key", pa.string()),
        ("segment", pa.string()),
        ("coefficient", pa.float64()),
        ("feature_mean", pa.float64()),
        ("feature_scale", pa.float64()),
        ("training_rows", pa.int64()),
        ("training_positive_rows", pa.int64()),
        ("training_churns", pa.int64()),
        ("trained_through", pa.date32()),
        ("applies_from_week", pa.date32()),
        ("applies_until_week", pa.date32()),
    ]
)

# Origin weeks: the customer-weeks whose outcome a checkpoint may learn from, with the day
# their outcome becomes known and the end of their horizon. Temporary tables of this
# connection, read once per checkpoint.
ORIGINS_SQL = """
create or replace temp table churn_risk_origins as
select
    outcomes.customer_id,
    outcomes.week_start,
    outcomes.segment,
    outcomes.spell_number,
    spells.doubted_from,
    cast(outcomes.week_end as timestamp) as week_ends_at,
    cast(outcomes.week_end as timestamp) + to_days({horizon_days}) as horizon_ends_at,
    outcomes.week_end + {known_after_days} as label_known_on,
    md5(outcomes.customer_id || '|' || cast(outcomes.week_start as varchar)) as sample_key
from ({outcomes}) as outcomes
inner join ({spells}) as spells
    on
        outcomes.customer_id = spells.customer_id
        and outcomes.spell_number = spells.spell_number
"""

# Every subscription period with the spell it belongs to (the spells that start after it).
PERIODS_SQL = """
create or replace temp table churn_risk_periods as
select
    periods.customer_id,
    spells.spell_number,
    periods.started_at,
    periods.ended_at
from ({periods}) as periods
inner join ({spells}) as spells
    on
        periods.customer_id = spells.customer_id
        and periods.started_at >= spells.started_at
        and (
            spells.next_spell_started_at is null
            or periods.started_at < spells.next_spell_started_at
        )
"""

# The training rows of one checkpoint T, one column per indicator's normalised score. The
# outcomes are read as they stood at T: a spell's end is what the periods started before T
# say (a period that starts later and continues the spell is not yet known, so at T the
# customer may have left before a week's end and the week is no origin), and a quarantined
# row that may continue it counts only once it exists (doubted_from < T).
TRAINING_SQL = """
with
scores as ({scores}),
spell_ends as (
    select
        customer_id,
        spell_number,
        case when count(*) = count(ended_at) then max(ended_at) end as ended_at
    from churn_risk_periods
    where started_at < timestamp '{checkpoint}'
    group by 1, 2
),
labelled as (
    select
        origins.customer_id,
        origins.week_start,
        origins.segment,
        origins.spell_number,
        origins.sample_key,
        coalesce(spell_ends.ended_at < origins.horizon_ends_at, false) as is_churned,
        coalesce(origins.doubted_from < timestamp '{checkpoint}', false) as is_doubted
    from churn_risk_origins as origins
    left join spell_ends
        on
            origins.customer_id = spell_ends.customer_id
            and origins.spell_number = spell_ends.spell_number
    where
        origins.label_known_on <= date '{checkpoint}'
        and coalesce(spell_ends.ended_at >= origins.week_ends_at, true)
),
sampled as (
    select customer_id, week_start, segment, spell_number, is_churned
    from labelled
    where not (is_churned and is_doubted)
    order by sample_key, customer_id, week_start
    limit {max_rows}
)
select
    sampled.customer_id,
    sampled.week_start,
    sampled.segment,
    sampled.spell_number,
    sampled.is_churned,
    {pivot}
from sampled
inner join scores
    on
        sampled.customer_id = scores.customer_id
        and sampled.week_start = scores.week_start
where scores.week_start < date '{checkpoint}'
group by all
order by sampled.customer_id, sampled.week_start
"""


def _settings(dbt) -> dict:
    """The model's settings, from the dbt vars its yml passes in meta."""
    return {
        "horizon_weeks": int(dbt.config.meta_get("horizon_weeks")),
        "churn_grace_days": int(dbt.config.meta_get("churn_grace_days")),
        "retrain_weeks": int(dbt.config.meta_get("retrain_weeks")),
        "min_churns": int(dbt.config.meta_get("min_churns")),
        "max_training_rows": int(dbt.config.meta_get("max_training_rows")),
        "regularisation_c": float(dbt.config.meta_get("regularisation_c")),
    }


def _checkpoints(session, weeks: str, retrain_weeks: int) -> list[date]:
    """Every retrain_weeks weeks after the history's first week, up to the latest week's end."""
    first, last = session.sql(f"select min(week_start), max(week_end) from ({weeks})").fetchone()
    if first is None:
        return []
    step = timedelta(days=7 * retrain_weeks)
    checkpoints, checkpoint = [], first + step
    while checkpoint <= last:
        checkpoints.append(checkpoint)
        checkpoint += step
    return checkpoints


def _features(indicators: list[str], segments: list[str]) -> list[tuple[str, str, str, str]]:
    """(feature_key, feature_kind, indicator_key, segment), in the order of the design matrix."""
    features = [("intercept", "intercept", None, None)]
    for key in indicators:
        features.append((f"score:{key}", "score", key, None))
        features.append((f"missing:{key}", "missing", key, None))
    features += [(f"segment:{segment}", "segment", None, segment) for segment in segments]
    return features


def _design(frame, indicators: list[str], segments: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The raw feature matrix (scores with NaN where missing, then flags) and the labels."""
    scores = frame[[f"x{i}" for i in range(len(indicators))]].to_numpy(dtype=np.float64)
    missing = np.isnan(scores)
    columns = []
    for i in range(len(indicators)):
        columns += [scores[:, i], missing[:, i].astype(np.float64)]
    segment = frame["segment"].to_numpy(dtype=object)
    columns += [(segment == name).astype(np.float64) for name in segments]
    labels = frame["is_churned"].to_numpy(dtype=bool).astype(np.int64)
    return np.column_stack(columns), labels


def _fit(matrix: np.ndarray, labels: np.ndarray, kinds: list[str], c: float):
    """Standardise with the training statistics and fit; returns coefficients, means, scales.

    A score's mean is the mean of its present values and also imputes its missing ones, so an
    imputed value contributes nothing. A feature without spread (or a score never present)
    gets scale 1 and, being constant, a zero coefficient. Scores whose coefficient comes out
    positive are dropped and the rest refitted, until every score's coefficient is <= 0.
    """
    means = np.zeros(matrix.shape[1])
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        present = column[~np.isnan(column)]
        means[j] = present.mean() if len(present) else 0.0
        column[np.isnan(column)] = means[j]
    scales = np.sqrt(((matrix - means) ** 2).mean(axis=0))
    scales = np.where(scales > 0, scales, 1.0)
    standardised = (matrix - means) / scales
    is_score = np.array([kind == "score" for kind in kinds])
    active = np.ones(matrix.shape[1], dtype=bool)
    while True:
        classifier = LogisticRegression(
            C=c, l1_ratio=0.0, solver="lbfgs", max_iter=MAX_ITERATIONS, tol=TOLERANCE
        )
        with threadpool_limits(limits=1):
            classifier.fit(standardised[:, active], labels)
        coefficients = np.zeros(matrix.shape[1])
        coefficients[active] = classifier.coef_[0]
        wrong_sign = active & is_score & (coefficients > 0)
        if not wrong_sign.any():
            return float(classifier.intercept_[0]), coefficients, means, scales
        active &= ~wrong_sign


def model(dbt, session):
    dbt.config(materialized="table", packages=["numpy", "pyarrow", "scikit-learn", "threadpoolctl"])
    settings = _settings(dbt)
    outcomes = dbt.ref("int_customer_week_outcomes").sql_query()
    spells = dbt.ref("int_subscription_spells").sql_query()
    periods = dbt.ref("int_subscription_periods").sql_query()
    scores = dbt.ref("int_indicator_scores").sql_query()
    weeks = dbt.ref("int_weeks").sql_query()
    catalogue = dbt.ref("indicator_catalogue").sql_query()
    weights = dbt.ref("indicator_weights").sql_query()

    indicators = [
        row[0]
        for row in session.sql(
            f"select indicator_key from ({catalogue}) order by indicator_key"
        ).fetchall()
    ]
    segments = [
        row[0]
        for row in session.sql(f"select distinct segment from ({weights}) order by 1").fetchall()
    ]
    features = _features(indicators, segments)
    fingerprint = json.dumps(
        {"method": METHOD, "settings": settings, "features": [f[0] for f in features]},
        sort_keys=True,
    )
    model_version = "risk-" + hashlib.md5(fingerprint.encode()).hexdigest()[:12]

    horizon_days = 7 * settings["horizon_weeks"]
    session.execute(
        ORIGINS_SQL.format(
            outcomes=outcomes,
            spells=spells,
            horizon_days=horizon_days,
            known_after_days=horizon_days + settings["churn_grace_days"],
        )
    )
    session.execute(PERIODS_SQL.format(periods=periods, spells=spells))
    pivot = ",\n    ".join(
        f"max(case when scores.indicator_key = '{key}' then scores.normalised_score end) as x{i}"
        for i, key in enumerate(indicators)
    )

    trained = []
    for number, checkpoint in enumerate(_checkpoints(session, weeks, settings["retrain_weeks"])):
        frame = session.sql(
            TRAINING_SQL.format(
                scores=scores,
                checkpoint=checkpoint.isoformat(),
                max_rows=settings["max_training_rows"],
                pivot=pivot,
            )
        ).df()
        churned = frame[frame["is_churned"].astype(bool)]
        churns = len(churned[["customer_id", "spell_number"]].drop_duplicates())
        if churns < max(settings["min_churns"], 1) or len(churned) == len(frame):
            continue  # too few churns to learn from (or no customer who stayed)
        matrix, labels = _design(frame, indicators, segments)
        del frame, churned
        intercept, coefficients, means, scales = _fit(
            matrix, labels, [f[1] for f in features[1:]], settings["regularisation_c"]
        )
        trained.append(
            {
                "model_id": number + 1,
                "checkpoint": checkpoint,
                "coefficients": np.concatenate([[intercept], coefficients]),
                "means": np.concatenate([[0.0], means]),
                "scales": np.concatenate([[1.0], scales]),
                "rows": len(labels),
                "positive_rows": int(labels.sum()),
                "churns": churns,
            }
        )
        del matrix, labels

    session.execute("drop table if exists churn_risk_origins")
    session.execute("drop table if exists churn_risk_periods")
    columns = {field.name: [] for field in SCHEMA}
    for position, fitted in enumerate(trained):
        until = trained[position + 1]["checkpoint"] if position + 1 < len(trained) else None
        for j, (feature_key, kind, indicator_key, segment) in enumerate(features):
            row = {
                "model_id": fitted["model_id"],
                "model_version": model_version,
                "feature_key": feature_key,
                "feature_kind": kind,
                "indicator_key": indicator_key,
                "segment": segment,
                "coefficient": float(fitted["coefficients"][j]),
                "feature_mean": float(fitted["means"][j]),
                "feature_scale": float(fitted["scales"][j]),
                "training_rows": fitted["rows"],
                "training_positive_rows": fitted["positive_rows"],
                "training_churns": fitted["churns"],
                "trained_through": fitted["checkpoint"],
                # the week that ends at the checkpoint is the first one scored with it
                "applies_from_week": fitted["checkpoint"] - timedelta(days=7),
                "applies_until_week": until - timedelta(days=7) if until else None,
            }
            for name, value in row.items():
                columns[name].append(value)
    return pa.table(columns, schema=SCHEMA)
