{#-
    One row per customer per subscribed week: the computed health score (the
    weighted mean of the indicators present, weights renormalised over them),
    completeness (the share of the segment's weight that was present), family
    sub-scores, and the band. Below the min_completeness setting the week is
    not scored. Manual overrides are applied in the mart, on top of this.
-#}
with

indicator_scores as (
    select * from {{ ref('int_indicator_scores') }}
),

settings as (
    select * from {{ ref('score_settings') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

band_ranges as (
    select
        band,
        min_score,
        lead(min_score) over (order by min_score) as next_min_score
    from bands
),

min_completeness as (
    select cast(value as {{ type_double() }}) as min_completeness
    from settings
    where setting = 'min_completeness'
),

aggregated as (
    select
        customer_id,
        week_start,
        {{ exact_sum('weight') }} as total_weight,
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
            coalesce(aggregated.present_weight, 0)
            / nullif(aggregated.total_weight, 0),
            9
        )
        >= min_completeness.min_completeness
        and aggregated.present_weight > 0 as is_scored
    from aggregated
    cross join min_completeness
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

final as (
    select
        computed.customer_id,
        computed.week_start,
        computed.computed_score,
        coalesce(band_ranges.band, 'not_scored') as computed_band,
        computed.completeness,
        computed.is_scored,
        computed.present_weight,
        computed.indicators_present,
        {{ family_score_columns('computed') }}
    from computed
    left join band_ranges
        on
            computed.computed_score >= band_ranges.min_score
            and (
                band_ranges.next_min_score is null
                or computed.computed_score < band_ranges.next_min_score
            )
)

select * from final
