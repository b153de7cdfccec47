{#-
    One row per customer per week with an active subscription: the health
    score, band, completeness and family sub-scores, point-in-time (each week
    uses only data from before its end), with manual overrides applied.
-#}
with

customer_weeks as (
    select * from {{ ref('int_customer_weeks') }}
    where is_subscribed
),

scores as (
    select * from {{ ref('int_customer_health_weekly') }}
),

overrides as (
    select * from {{ ref('score_overrides') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

score_model as (
    select * from {{ ref('int_score_model_version') }}
),

band_ranges as (
    select
        band,
        min_score,
        lead(min_score) over (order by min_score) as next_min_score
    from bands
),

overrides_in_force as (
    -- An override counts from the week it was set in until it expires; when
    -- two overlap, the one set last wins.
    select
        customer_weeks.customer_id,
        customer_weeks.week_start,
        overrides.override_score,
        overrides.override_band,
        overrides.reason,
        overrides.set_by,
        overrides.expires_on,
        row_number() over (
            partition by customer_weeks.customer_id, customer_weeks.week_start
            order by overrides.set_on desc, overrides.reason asc
        ) as recency
    from customer_weeks
    inner join overrides
        on
            customer_weeks.customer_id = overrides.customer_id
            and customer_weeks.week_end > overrides.set_on
            and customer_weeks.week_start <= overrides.expires_on
),

overridden as (
    select
        customer_weeks.customer_id,
        customer_weeks.week_start,
        customer_weeks.week_end,
        customer_weeks.segment,
        customer_weeks.business_type,
        customer_weeks.plan_name,
        customer_weeks.currency,
        customer_weeks.seats,
        customer_weeks.mrr_amount,
        customer_weeks.is_latest_week,
        scores.computed_score,
        scores.computed_band,
        scores.completeness,
        scores.is_scored,
        scores.indicators_present,
        {{ family_score_columns('scores') }},
        overrides_in_force.override_band,
        overrides_in_force.reason as override_reason,
        overrides_in_force.set_by as override_set_by,
        overrides_in_force.expires_on as override_expires_on,
        overrides_in_force.customer_id is not null as is_overridden,
        coalesce(overrides_in_force.override_score, scores.computed_score)
            as health_score
    from customer_weeks
    left join scores
        on
            customer_weeks.customer_id = scores.customer_id
            and customer_weeks.week_start = scores.week_start
    left join overrides_in_force
        on
            customer_weeks.customer_id = overrides_in_force.customer_id
            and customer_weeks.week_start = overrides_in_force.week_start
            and overrides_in_force.recency = 1
),

final as (
    select
        overridden.customer_id,
        overridden.week_start,
        overridden.week_end,
        overridden.segment,
        overridden.business_type,
        overridden.plan_name,
        overridden.currency,
        score_model.score_model_version,
        overridden.health_score,
        case
            when overridden.override_band is not null
                then overridden.override_band
            when overridden.health_score is null then 'not_scored'
            else band_ranges.band
        end as health_band,
        overridden.computed_score,
        overridden.computed_band,
        overridden.completeness,
        {{ family_score_columns('overridden') }},
        overridden.override_reason,
        overridden.override_set_by,
        overridden.override_expires_on,
        overridden.indicators_present,
        overridden.seats,
        overridden.mrr_amount,
        overridden.is_scored,
        overridden.is_overridden,
        overridden.is_latest_week
    from overridden
    cross join score_model
    left join band_ranges
        on
            overridden.health_score >= band_ranges.min_score
            and (
                band_ranges.next_min_score is null
                or overridden.health_score < band_ranges.next_min_score
            )
)

select * from final
