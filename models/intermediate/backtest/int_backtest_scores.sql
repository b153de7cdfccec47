{#-
    One row per scoring method per customer per scored week: what each
    method said at the week's end, as a risk ordering (risk_value: higher
    means more likely to churn) for the backtest. Methods:
    - health_score: the weighted score of the current score model version
      (computed_score, before manual overrides; risk is 100 minus it), with
      its band;
    - baseline_inactivity: days since the customer's last product activity
      alone, the naive baseline the score must beat (a customer never seen
      active counts as the longest inactive);
    - churn_risk: the learned churn probability (int_churn_risk_weekly) of
      the risk model version, from the first trained checkpoint on. Each
      week's risk comes from a model trained only on outcomes known at the
      week's end, so the backtest judges it out of sample.
    Every method is judged on the scored weeks (is_scored), so where the
    risk exists the methods are compared on the same customer-weeks.
-#}
with

scores as (
    select * from {{ ref('int_customer_health_weekly') }}
),

usage_indicators as (
    select * from {{ ref('int_usage_indicators_weekly') }}
),

churn_risks as (
    select * from {{ ref('int_churn_risk_weekly') }}
),

health_score as (
    select
        customer_id,
        week_start,
        'health_score' as scoring_method,
        score_model_version as model_version,
        computed_band as band,
        cast(100 - computed_score as {{ type_double() }}) as risk_value
    from scores
    where is_scored
),

baseline_inactivity as (
    select
        scores.customer_id,
        scores.week_start,
        'baseline_inactivity' as scoring_method,
        'days_since_last_activity' as model_version,
        cast(null as {{ dbt.type_string() }}) as band,
        cast(
            coalesce(usage_indicators.days_since_last_activity, 100000)
            as {{ type_double() }}
        ) as risk_value
    from scores
    left join usage_indicators
        on {{ same_customer_week('scores', 'usage_indicators') }}
    where scores.is_scored
),

churn_risk as (
    select
        scores.customer_id,
        scores.week_start,
        'churn_risk' as scoring_method,
        churn_risks.risk_model_version as model_version,
        cast(null as {{ dbt.type_string() }}) as band,
        churn_risks.churn_risk as risk_value
    from scores
    inner join churn_risks
        on {{ same_customer_week('scores', 'churn_risks') }}
    where scores.is_scored
),

final as (
    select * from health_score
    union all
    select * from baseline_inactivity
    union all
    select * from churn_risk
)

select * from final
