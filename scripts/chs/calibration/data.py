"""The calibration's input, read from a built warehouse: one row per scored customer-week
whose outcome over the horizon is known, with its normalised indicator scores side by side.

Everything here comes from dbt models, so the rules stay in one place: the normalised scores
and their availability (int_indicator_scores), whether each week was followed by churn within
the horizon, for weeks whose outcome is known (int_backtest_origins), the score as built
(int_customer_health_weekly), and
the current weights, bands and settings (the seeds as loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from chs.connect import connect_read_only
from chs.errors import UserError


@dataclass
class CalibrationData:
    """Customer-weeks (rows) with indicator scores (columns of `scores`, 0-100, NaN missing)."""

    frame: pd.DataFrame  # customer_id, week_start, week_end, segment, spell_number, ...
    indicators: list[str]
    families: dict[str, str]
    scores: np.ndarray  # (rows, indicators) normalised scores, NaN when missing
    available: np.ndarray  # (rows, indicators) the indicator's sources are delivered
    current_weights: pd.DataFrame  # segment, indicator_key, weight
    current_bands: pd.DataFrame  # band, min_score, description
    min_completeness: float
    alert_thresholds: dict[str, float]
    settings: dict[str, float]  # seeds/score_settings.csv as loaded
    horizon_weeks: int
    grace_days: int


def _query(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def load(database: Path, horizon_weeks: int, grace_days: int) -> CalibrationData:
    """Read the scored customer-weeks of `database` whose `horizon_weeks` outcome is known."""
    with connect_read_only(database) as con:
        try:
            catalogue = _query(
                con,
                "select indicator_key, family from reference.indicator_catalogue"
                " order by indicator_key",
            )
        except Exception as exc:  # noqa: BLE001 - any catalog error means: not built
            raise UserError(
                f"{database}: no built scores ({exc.__class__.__name__}); run the build first"
            ) from None
        indicators = list(catalogue["indicator_key"])
        pivot = ",\n".join(
            f"max(case when s.indicator_key = '{key}' then s.normalised_score end)"
            f' as "s:{key}",\n'
            f"bool_or(case when s.indicator_key = '{key}' then s.is_available end)"
            f' as "a:{key}"'
            for key in indicators
        )
        # The learned churn risk, where the build has it, to compare with on the same weeks.
        has_risk = con.execute(
            "select count(*) from information_schema.tables where table_schema ="
            " 'intermediate' and table_name = 'int_churn_risk_weekly'"
        ).fetchone()[0]
        risk_column = "risk.churn_risk" if has_risk else "cast(null as double) as churn_risk"
        risk_join = (
            "left join intermediate.int_churn_risk_weekly as risk"
            " on origins.customer_id = risk.customer_id and origins.week_start = risk.week_start"
            if has_risk
            else ""
        )
        frame = _query(
            con,
            f"""
            with origins as (
                select * from intermediate.int_backtest_origins
                where horizon_weeks = ?
            ),
            scored as (
                select customer_id, week_start, computed_score, computed_band
                from intermediate.int_customer_health_weekly
                where is_scored
            )
            select
                origins.customer_id,
                origins.week_start,
                origins.week_end,
                origins.segment,
                origins.spell_number,
                coalesce(origins.arr_amount, 0) as arr_amount,
                origins.is_churned,
                origins.next_churned_at,
                scored.computed_score,
                scored.computed_band,
                {risk_column},
                trends.change_4w,
                trends.weeks_declining_in_row,
                trends.declining_streak_change,
                trends.trend_label,
                surveys.nps_in_week,
                {pivot}
            from origins
            inner join scored
                on origins.customer_id = scored.customer_id
                and origins.week_start = scored.week_start
            {risk_join}
            left join intermediate.int_customer_health_trends as trends
                on origins.customer_id = trends.customer_id
                and origins.week_start = trends.week_start
            left join intermediate.int_survey_indicators_weekly as surveys
                on origins.customer_id = surveys.customer_id
                and origins.week_start = surveys.week_start
            inner join intermediate.int_indicator_scores as s
                on origins.customer_id = s.customer_id
                and origins.week_start = s.week_start
            group by all
            order by origins.week_start, origins.customer_id
            """,
            [horizon_weeks],
        )
        weights = _query(
            con,
            "select segment, indicator_key, weight from reference.indicator_weights"
            " order by segment, indicator_key",
        )
        bands = _query(
            con, "select band, min_score, description from reference.score_bands order by min_score"
        )
        settings = _query(con, "select setting, value from reference.score_settings")
        rules = _query(
            con, "select rule_key, threshold from reference.alert_rules where threshold is not null"
        )
    if frame.empty:
        raise UserError(
            f"{database}: no scored customer-week has a known {horizon_weeks}-week outcome"
            " (the backtest horizons are the dbt var backtest_horizon_weeks; or the history"
            " is too short)"
        )
    scores = frame[[f"s:{k}" for k in indicators]].to_numpy(dtype=float)
    available = frame[[f"a:{k}" for k in indicators]].fillna(False).to_numpy(dtype=bool)
    frame = frame.drop(columns=[c for c in frame.columns if c[:2] in ("s:", "a:")])
    frame["week_start"] = pd.to_datetime(frame["week_start"])
    frame["week_end"] = pd.to_datetime(frame["week_end"])
    settings_map = dict(zip(settings["setting"], settings["value"].astype(float), strict=True))
    return CalibrationData(
        frame=frame,
        indicators=indicators,
        families=dict(zip(catalogue["indicator_key"], catalogue["family"], strict=True)),
        scores=scores,
        available=available,
        current_weights=weights,
        current_bands=bands,
        min_completeness=settings_map["min_completeness"],
        settings=settings_map,
        alert_thresholds=dict(
            zip(rules["rule_key"], rules["threshold"].astype(float), strict=True)
        ),
        horizon_weeks=horizon_weeks,
        grace_days=grace_days,
    )
