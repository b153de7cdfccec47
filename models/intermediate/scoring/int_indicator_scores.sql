{#-
    One row per customer per subscribed week per indicator: the raw value,
    its normalised 0-100 score (method and parameters from
    seeds/indicator_catalogue.csv) and its configured weight for the
    customer's segment (seeds/indicator_weights.csv).
-#}
with

indicator_values as (
    select * from {{ ref('int_indicator_values') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

weights as (
    select * from {{ ref('indicator_weights') }}
),

configured as (
    select
        indicator_values.customer_id,
        indicator_values.week_start,
        indicator_values.segment,
        indicator_values.indicator_key,
        catalogue.family,
        catalogue.direction,
        catalogue.normalisation_method,
        catalogue.bad_value,
        catalogue.good_value,
        catalogue.half_life_days,
        indicator_values.raw_value,
        indicator_values.is_available,
        coalesce(weights.weight, 0) as weight
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_key = catalogue.indicator_key
    left join weights
        on
            indicator_values.segment = weights.segment
            and indicator_values.indicator_key = weights.indicator_key
),

percentile_scored as (
    select
        customer_id,
        week_start,
        indicator_key,
        {{ normalise_percentile(
            'raw_value', ['segment', 'week_start', 'indicator_key'],
            'direction'
        ) }} as normalised_score
    from configured
    where normalisation_method = 'percentile'
),

final as (
    select
        configured.customer_id,
        configured.week_start,
        configured.segment,
        configured.indicator_key,
        configured.family,
        configured.normalisation_method,
        configured.raw_value,
        case configured.normalisation_method
            when 'threshold' then {{ normalise_threshold(
                'configured.raw_value', 'configured.bad_value',
                'configured.good_value'
            ) }}
            when 'decay' then {{ normalise_decay(
                'configured.raw_value', 'configured.half_life_days'
            ) }}
            when 'percentile' then percentile_scored.normalised_score
        end as normalised_score,
        configured.weight,
        configured.is_available
    from configured
    left join percentile_scored
        on
            {{ same_customer_week('configured', 'percentile_scored') }}
            and configured.indicator_key = percentile_scored.indicator_key
)

select * from final
