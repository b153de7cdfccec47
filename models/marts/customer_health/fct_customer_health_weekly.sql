{#-
    One row per customer per week with an active subscription: the health
    score, band, completeness and family sub-scores, point-in-time (each week
    uses only data from before its end), with manual overrides applied, and
    beside it the learned churn risk (null before the first trained risk
    model). The score is made in int_customer_health_weekly, the risk in
    int_churn_risk_weekly; this mart publishes them.
-#}
with

scores as (
    select * from {{ ref('int_customer_health_weekly') }}
),

churn_risks as (
    select * from {{ ref('int_churn_risk_weekly') }}
),

final as (
    select
        scores.customer_id,
        scores.week_start,
        scores.week_end,
        scores.segment,
        scores.business_type,
        scores.plan_name,
        scores.reporting_currency,
        scores.billing_currency,
        scores.score_model_version,
        churn_risks.risk_model_version,
        scores.health_score,
        scores.health_band,
        scores.computed_score,
        scores.computed_band,
        churn_risks.churn_risk,
        scores.completeness,
        scores.source_coverage,
        {{ family_score_columns('scores') }},
        scores.override_reason,
        scores.override_set_by,
        scores.override_expires_on,
        scores.indicators_present,
        scores.seats,
        scores.mrr_amount,
        scores.billing_mrr_amount,
        scores.is_scored,
        scores.is_overridden,
        scores.is_latest_week
    from scores
    left join churn_risks
        on {{ same_customer_week('scores', 'churn_risks') }}
)

select * from final
