"""What the evidence report reads from the build warehouse, over one read-only connection.

Every rule comes from the warehouse: band names and their order from the score_bands seed,
indicator families from the indicator catalogue, the backtest's numbers from its marts, the
weak-spots rule from the compiled analysis analyses/feature_adoption_by_band.sql. The
backtest queries read the primary horizon, every segment together ('all') and all windows
pooled (window_number null), except where the latest window (0) is asked for by name.
"""

from __future__ import annotations

import duckdb
import pandas as pd

CHURN_RISK = "churn_risk"
HEALTH_SCORE = "health_score"
MOVEMENT_WEEKS = 26  # weeks of band movements shown


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def has_relation(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    (count,) = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return count > 0


def has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    (count,) = con.execute(
        "select count(*) from information_schema.columns"
        " where table_schema = ? and table_name = ? and column_name = ?",
        [schema, table, column],
    ).fetchone()
    return count > 0


def band_thresholds(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Band name -> lowest score of the band, the healthiest band first (score_bands seed)."""
    rows = con.execute(
        "select band, min_score from reference.score_bands order by min_score desc"
    ).fetchall()
    return {band: float(min_score) for band, min_score in rows}


def bands(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Band names, the healthiest first."""
    return list(band_thresholds(con))


def horizons(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The backtest's horizons in weeks."""
    rows = con.execute(
        "select distinct horizon_weeks from marts.fct_score_backtest order by 1"
    ).fetchall()
    return [int(horizon) for (horizon,) in rows]


def current_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The score model version of the latest scored week."""
    row = con.execute(
        "select score_model_version from marts.fct_customer_health_weekly"
        " order by week_start desc, score_model_version limit 1"
    ).fetchone()
    return row[0] if row else None


def backtest_summary(con: duckdb.DuckDBPyConnection, horizon: int) -> pd.DataFrame:
    """Per method and version: AUC and top-decile lift pooled and in the latest window."""
    return _df(
        con,
        "select scoring_method, model_version,"
        " case when window_number is null then 'pooled' else 'latest' end as origins,"
        " customer_weeks, churn_events, base_churn_rate, auc, top_decile_lift, arr_auc,"
        " first_origin_week, last_origin_week"
        " from marts.fct_score_backtest"
        " where horizon_weeks = ? and segment = 'all'"
        " and (window_number is null or window_number = 0)"
        " order by scoring_method, model_version, origins desc",
        [horizon],
    )


def risk_levels(con: duckdb.DuckDBPyConnection, horizon: int) -> pd.DataFrame:
    """Churned and retained customer-weeks per method, version and distinct risk value."""
    return _df(
        con,
        "select scoring_method, model_version, risk_value,"
        " count(case when is_churned then 1 end) as positives,"
        " count(case when not is_churned then 1 end) as negatives"
        " from intermediate.int_backtest_scored_origins"
        " where horizon_weeks = ? and segment = 'all' and window_number is null"
        " and risk_value is not null"
        " group by 1, 2, 3 order by 1, 2, 3",
        [horizon],
    )


def band_outcomes(con: duckdb.DuckDBPyConnection, horizon: int) -> pd.DataFrame:
    """How each band's customer-weeks turned out, per banded method and version."""
    return _df(
        con,
        "select scoring_method, model_version, band, customer_weeks, churn_events,"
        " share_of_customer_weeks, churn_rate, base_churn_rate, churn_rate_ratio,"
        " churners_in_band_share, median_lead_days"
        " from marts.fct_score_backtest_bands"
        " where horizon_weeks = ? and segment = 'all' and window_number is null"
        " order by scoring_method, model_version, band",
        [horizon],
    )


def alert_outcomes(con: duckdb.DuckDBPyConnection, horizon: int) -> pd.DataFrame:
    """How each alert rule's alerts turned out, per score model version."""
    return _df(
        con,
        "select model_version, rule_key, severity, alerts_raised, churn_events_caught,"
        " alert_precision, alert_recall, churn_rate_ratio, median_lead_days"
        " from marts.fct_score_backtest_alerts"
        " where horizon_weeks = ? and segment = 'all' and window_number is null"
        " order by model_version, alert_recall desc nulls last, rule_key",
        [horizon],
    )


def reliability(con: duckdb.DuckDBPyConnection, horizon: int) -> pd.DataFrame | None:
    """Deciles of the churn risk with the mean predicted and the observed churn rate; None
    when the warehouse has no churn risk (neither a churn_risk backtest method nor a
    churn_risk column on the weekly mart), or no week with one (no model trained yet)."""
    if con.execute(
        "select count(*) from intermediate.int_backtest_scored_origins"
        " where scoring_method = ? and horizon_weeks = ?",
        [CHURN_RISK, horizon],
    ).fetchone()[0]:
        predictions = (
            "select customer_id, week_start, risk_value, is_churned"
            " from intermediate.int_backtest_scored_origins"
            f" where scoring_method = '{CHURN_RISK}' and horizon_weeks = {int(horizon)}"
            " and segment = 'all' and window_number is null and risk_value is not null"
        )
    elif has_column(con, "marts", "fct_customer_health_weekly", CHURN_RISK):
        predictions = (
            "select o.customer_id, o.week_start, w.churn_risk as risk_value, o.is_churned"
            " from intermediate.int_backtest_origins as o"
            " inner join marts.fct_customer_health_weekly as w"
            " on o.customer_id = w.customer_id and o.week_start = w.week_start"
            f" where o.horizon_weeks = {int(horizon)} and w.churn_risk is not null"
        )
    else:
        return None
    deciles = _df(
        con,
        f"with predictions as ({predictions}),"
        " deciles as (select *, ntile(10) over ("
        "   order by risk_value, customer_id, week_start) as decile from predictions)"
        " select decile, count(*) as customer_weeks,"
        " avg(risk_value) as mean_predicted,"
        " avg(case when is_churned then 1.0 else 0.0 end) as observed_rate,"
        " avg(power(risk_value - case when is_churned then 1.0 else 0.0 end, 2))"
        "   as brier_part"
        " from deciles group by 1 order by 1",
    )
    return None if deciles.empty else deciles


def current_weights(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The weights in force (reference.indicator_weights) with each indicator's family."""
    return _df(
        con,
        "select w.segment, w.indicator_key, c.family, w.weight as current_weight"
        " from reference.indicator_weights as w"
        " left join reference.indicator_catalogue as c on w.indicator_key = c.indicator_key"
        " order by w.segment, c.family, w.indicator_key",
    )


def score_distribution(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per week: percentiles of the scored customers' health score and customers per band."""
    return _df(
        con,
        "select week_start,"
        " count(case when is_scored then 1 end) as scored,"
        " count(*) as customers,"
        " quantile_cont(health_score, 0.1) filter (where is_scored) as p10,"
        " quantile_cont(health_score, 0.25) filter (where is_scored) as p25,"
        " quantile_cont(health_score, 0.5) filter (where is_scored) as p50,"
        " quantile_cont(health_score, 0.75) filter (where is_scored) as p75,"
        " quantile_cont(health_score, 0.9) filter (where is_scored) as p90"
        " from marts.fct_customer_health_weekly group by 1 order by 1",
    )


def band_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Customers per week and band (not_scored included)."""
    return _df(
        con,
        "select week_start, health_band, count(*) as customers"
        " from marts.fct_customer_health_weekly group by 1, 2 order by 1, 2",
    )


def band_movements(con: duckdb.DuckDBPyConnection, weeks: int = MOVEMENT_WEEKS) -> pd.DataFrame:
    """Customers per week and band movement (every segment), over the latest `weeks` weeks."""
    return _df(
        con,
        "with latest as (select max(week_start) as week_start"
        " from marts.fct_band_movements_weekly)"
        " select m.week_start, m.from_band, m.to_band, sum(m.customers) as customers"
        " from marts.fct_band_movements_weekly as m cross join latest"
        " where m.week_start > latest.week_start - ?::integer * 7"
        " group by 1, 2, 3 order by 1, 2, 3",
        [weeks],
    )


def drivers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per indicator, in the latest week: the contribution changes across customers, split
    into falls and rises, and the customers with each."""
    return _df(
        con,
        "with latest as (select max(week_start) as week_start"
        " from marts.fct_customer_health_drivers)"
        " select d.week_start, d.indicator_key, d.family,"
        " coalesce(sum(d.contribution_change) filter (where d.contribution_change < 0), 0)"
        "   as points_lost,"
        " coalesce(sum(d.contribution_change) filter (where d.contribution_change > 0), 0)"
        "   as points_gained,"
        " count(*) filter (where d.contribution_change < 0) as customers_down,"
        " count(*) filter (where d.contribution_change > 0) as customers_up"
        " from marts.fct_customer_health_drivers as d"
        " inner join latest on d.week_start = latest.week_start"
        " group by 1, 2, 3 order by points_lost, d.indicator_key",
    )


def feature_adoption(con: duckdb.DuckDBPyConnection, analysis_sql: str) -> pd.DataFrame:
    """The compiled analysis feature_adoption_by_band: per feature and band, the customers
    that used the feature in the trailing 28 days of the latest complete week."""
    return _df(
        con,
        f"select feature_key, is_key_feature, health_band, customers, customers_using,"
        f" adoption_pct from ({analysis_sql}) order by feature_key, health_band",
    )


def latest_week(con: duckdb.DuckDBPyConnection) -> object:
    """The latest complete week of the current scores (fct_customer_health_current)."""
    return con.execute("select max(week_start) from marts.fct_customer_health_current").fetchone()[
        0
    ]
