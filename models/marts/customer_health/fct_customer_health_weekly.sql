{#-
    One row per customer per week with an active subscription: the health
    score, band, completeness and family sub-scores, point-in-time (each week
    uses only data from before its end), with manual overrides applied. The
    score is made in int_customer_health_weekly; this mart publishes it.
-#}
with

scores as (
    select * from {{ ref('int_customer_health_weekly') }}
),

final as (
    select
        customer_id,
        week_start,
        week_end,
        segment,
        business_type,
        plan_name,
        currency,
        score_model_version,
        health_score,
        health_band,
        computed_score,
        computed_band,
        completeness,
        {{ family_score_columns('scores') }},
        override_reason,
        override_set_by,
        override_expires_on,
        indicators_present,
        seats,
        mrr_amount,
        is_scored,
        is_overridden,
        is_latest_week
    from scores
)

select * from final
