{#-
    One row per customer per week with product events (weeks by
    occurred_at).
-#}
with

events as (
    select * from {{ ref('stg_product__usage_events') }}
),

features as (
    select * from {{ ref('stg_product__features') }}
),

final as (
    select
        events.customer_id,
        {{ week_start('events.occurred_at') }} as week_start,
        count(*) as events,
        count(distinct cast(events.occurred_at as date)) as active_days,
        max(events.occurred_at) as last_event_at,
        max(
            case when features.is_key_feature then events.occurred_at end
        ) as last_key_feature_at
    from events
    inner join features
        on events.feature_key = features.feature_key
    group by 1, 2
)

select * from final
