{#-
    The learned churn risk must rank churners at least as well as the current
    score model: on the latest complete backtest window (window 0) of the
    primary horizon, over all segments and on the same customer-weeks, its
    AUC must not fall more than var churn_risk_auc_tolerance below the
    score's. Windows with fewer than var backtest_min_churn_events churns, or
    not wholly scored by a risk model, are not judged. Severity: var
    backtest_test_severity.
-#}
{{ config(severity=var('backtest_test_severity')) }}

with

backtest as (
    select * from {{ ref('fct_score_backtest') }}
),

current_version as (
    select score_model_version from {{ ref('int_score_model_version') }}
),

risk_version as (
    select max(model_version) as risk_model_version
    from {{ ref('int_churn_risk_coefficients') }}
),

latest as (
    select
        backtest.scoring_method,
        backtest.auc,
        backtest.customer_weeks,
        backtest.churn_events
    from backtest
    cross join current_version
    cross join risk_version
    where
        backtest.segment = 'all'
        and backtest.window_number = 0
        and backtest.horizon_weeks = {{ var('primary_horizon_weeks') }}
        and (
            (
                backtest.scoring_method = 'health_score'
                and backtest.model_version
                = current_version.score_model_version
            )
            or (
                backtest.scoring_method = 'churn_risk'
                and backtest.model_version = risk_version.risk_model_version
            )
        )
),

compared as (
    select
        risk.auc as risk_auc,
        score.auc as score_auc,
        score.churn_events
    from latest as score
    inner join latest as risk
        on
            risk.scoring_method = 'churn_risk'
            and score.customer_weeks = risk.customer_weeks
    where score.scoring_method = 'health_score'
)

select *
from compared
where
    churn_events >= {{ var('backtest_min_churn_events') }}
    and risk_auc < score_auc - {{ var('churn_risk_auc_tolerance') }}
