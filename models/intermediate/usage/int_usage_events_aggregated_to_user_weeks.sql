{#- One row per customer, user and week in which the user caused an event. -#}
with

events as (
    select * from {{ ref('stg_product__usage_events') }}
),

final as (
    select
        customer_id,
        user_id,
        {{ week_start('occurred_at') }} as week_start,
        count(*) as events,
        max(occurred_at) as last_event_at
    from events
    group by 1, 2, 3
)

select * from final
