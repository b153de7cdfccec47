{#-
    One row per customer per subscribed week: the health score as shown.
    computed_score is the weighted mean of the indicators present (weights
    renormalised over them); completeness is the share of the segment's
    weight that was present. source_coverage is the share of the weight
    whose raw tables the company delivers at all (below 1 when a source is
    absent); the week is scored when the present weight reaches
    min_completeness of that available weight, so an absent source lowers
    completeness without making every week unscorable. A manual override in force (seeds/score_overrides.csv)
    replaces the score and/or the band: health_score and health_band are
    what customers see, computed_score and computed_band what the indicators
    say. Bands come from int_score_band_ranges through in_band_range().
-#}
with

customer_weeks as (
    select * from {{ ref('int_customer_weeks') }}
    where is_subscribed
),

indicator_scores as (
    select * from {{ ref('int_indicator_scores') }}
),

settings as (
    select * from {{ ref('int_score_settings') }}
),

band_ranges as (
    select * from {{ ref('int_score_band_ranges') }}
),

overrides as (
    select * from {{ ref('score_overrides') }}
),

score_model as (
    select * from {{ ref('int_score_model_version') }}
),

aggregated as (
    select
        customer_id,
        week_start,
        {{ exact_sum('weight') }} as total_weight,
        {{ exact_sum('case when is_available then weight end') }}
            as available_weight,
        {{ exact_sum(
            'case when normalised_score is not null then weight end'
        ) }} as present_weight,
        {{ exact_sum('weight * normalised_score') }} as weighted_score_sum,
        count(normalised_score) as indicators_present,
        {{ family_scores() }}
    from indicator_scores
    group by 1, 2
),

scored as (
    select
        aggregated.*,
        round(
            coalesce(aggregated.present_weight, 0)
            / nullif(aggregated.total_weight, 0),
            9
        ) as completeness,
        round(
            coalesce(aggregated.available_weight, 0)
            / nullif(aggregated.total_weight, 0),
            9
        ) as source_coverage,
        round(
            coalesce(aggregated.present_weight, 0)
            / nullif(aggregated.available_weight, 0),
            9
        ) >= settings.min_completeness
        and aggregated.present_weight > 0 as is_scored
    from aggregated
    cross join settings
),

computed as (
    select
        scored.*,
        case
            when scored.is_scored
                then
                    round(scored.weighted_score_sum / scored.present_weight, 6)
        end as computed_score
    from scored
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
        customer_weeks.*,
        computed.computed_score,
        computed.completeness,
        computed.source_coverage,
        computed.is_scored,
        computed.present_weight,
        computed.indicators_present,
        {{ family_score_columns('computed') }},
        overrides_in_force.override_band,
        overrides_in_force.reason as override_reason,
        overrides_in_force.set_by as override_set_by,
        overrides_in_force.expires_on as override_expires_on,
        overrides_in_force.customer_id is not null as is_overridden,
        coalesce(overrides_in_force.override_score, computed.computed_score)
            as health_score
    from customer_weeks
    left join computed
        on {{ same_customer_week('customer_weeks', 'computed') }}
    left join overrides_in_force
        on
            {{ same_customer_week('customer_weeks', 'overrides_in_force') }}
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
        {{ reporting_currency() }} as reporting_currency,
        overridden.billing_currency,
        score_model.score_model_version,
        overridden.health_score,
        coalesce(overridden.override_band, shown_band.band, 'not_scored')
            as health_band,
        overridden.computed_score,
        coalesce(computed_band.band, 'not_scored') as computed_band,
        overridden.completeness,
        overridden.source_coverage,
        {{ family_score_columns('overridden') }},
        overridden.override_reason,
        overridden.override_set_by,
        overridden.override_expires_on,
        overridden.indicators_present,
        overridden.present_weight,
        overridden.seats,
        overridden.mrr_amount,
        overridden.billing_mrr_amount,
        overridden.is_scored,
        overridden.is_overridden,
        overridden.is_missing_exchange_rate,
        overridden.is_latest_week
    from overridden
    cross join score_model
    left join band_ranges as shown_band
        on {{ in_band_range('overridden.health_score', 'shown_band') }}
    left join band_ranges as computed_band
        on {{ in_band_range('overridden.computed_score', 'computed_band') }}
)

select * from final
