{#-
    The current score model must separate churners from customers who stay:
    on the latest complete backtest window (window 0) of the primary horizon,
    over all segments, its AUC must reach var backtest_auc_floor and must not
    fall below the naive baseline (days since the last activity alone).
    Windows with fewer than var backtest_min_churn_events churns are too
    small to judge and are skipped. Severity: var backtest_test_severity.
-#}
{{ config(severity=var('backtest_test_severity')) }}

with

backtest as (
    select * from {{ ref('fct_score_backtest') }}
),

current_version as (
    select score_model_version from {{ ref('int_score_model_version') }}
),

latest as (
    select
        backtest.scoring_method,
        backtest.auc,
        backtest.churn_events
    from backtest
    inner join current_version
        on
            backtest.model_version = current_version.score_model_version
            or backtest.scoring_method = 'baseline_inactivity'
    where
        backtest.segment = 'all'
        and backtest.window_number = 0
        and backtest.horizon_weeks = {{ var('primary_horizon_weeks') }}
        and backtest.scoring_method in ('health_score', 'baseline_inactivity')
),

compared as (
    select
        score.auc as score_auc,
        baseline.auc as baseline_auc,
        score.churn_events
    from latest as score
    inner join latest as baseline
        on baseline.scoring_method = 'baseline_inactivity'
    where score.scoring_method = 'health_score'
)

select *
from compared
where
    churn_events >= {{ var('backtest_min_churn_events') }}
    and (
        score_auc < {{ var('backtest_auc_floor') }}
        or score_auc < baseline_auc
    )
