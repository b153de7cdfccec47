{#-
    One row per customer per subscribed week per indicator: what the score is
    made of. effective_weight is the configured weight renormalised over the
    indicators present that week, and contribution = effective_weight *
    normalised_score, so a scored week's computed_score is exactly the sum of
    its contributions. Null for weeks that are not scored. A view: a join of
    two tables, stored once as the components mart.
-#}
{{ config(materialized='view') }}

with

indicator_scores as (
    select * from {{ ref('int_indicator_scores') }}
),

scores as (
    select * from {{ ref('int_customer_health_weekly') }}
),

final as (
    select
        indicator_scores.customer_id,
        indicator_scores.week_start,
        indicator_scores.indicator_key,
        indicator_scores.family,
        scores.score_model_version,
        indicator_scores.normalisation_method,
        indicator_scores.raw_value,
        indicator_scores.normalised_score,
        indicator_scores.weight,
        case
            when
                scores.is_scored
                and indicator_scores.normalised_score is not null
                then indicator_scores.weight / scores.present_weight
            when scores.is_scored then 0.0
        end as effective_weight,
        case
            when
                scores.is_scored
                and indicator_scores.normalised_score is not null
                then
                    indicator_scores.weight * indicator_scores.normalised_score
                    / scores.present_weight
            when scores.is_scored then 0.0
        end as contribution,
        indicator_scores.normalised_score is not null as is_present
    from indicator_scores
    inner join scores
        on {{ same_customer_week('indicator_scores', 'scores') }}
)

select * from final
