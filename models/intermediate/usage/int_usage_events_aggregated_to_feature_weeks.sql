{#- One row per customer, feature and week in which the feature was used. -#}
with

events as (
    select * from {{ ref('stg_product__usage_events') }}
),

features as (
    select * from {{ ref('stg_product__features') }}
),

feature_weeks as (
    select
        customer_id,
        feature_key,
        {{ week_start('occurred_at') }} as week_start,
        count(*) as events
    from events
    group by 1, 2, 3
),

final as (
    select
        feature_weeks.customer_id,
        feature_weeks.feature_key,
        feature_weeks.week_start,
        feature_weeks.events,
        features.is_key_feature
    from feature_weeks
    inner join features
        on feature_weeks.feature_key = features.feature_key
)

select * from final
