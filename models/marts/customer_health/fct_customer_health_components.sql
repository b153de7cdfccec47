{#-
    One row per customer per subscribed week per indicator: what the score is
    made of (int_indicator_contributions). A scored week's computed_score is
    exactly the sum of its contributions.
-#}
with

contributions as (
    select * from {{ ref('int_indicator_contributions') }}
),

final as (
    select
        contributions.customer_id,
        contributions.week_start,
        contributions.indicator_key,
        contributions.family,
        contributions.score_model_version,
        contributions.normalisation_method,
        contributions.raw_value,
        contributions.normalised_score,
        contributions.weight,
        contributions.effective_weight,
        contributions.contribution,
        contributions.is_present
    from contributions
)

select * from final
