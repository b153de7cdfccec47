with

usage_events as (
    select * from {{ ref('base_product__usage_events') }}
),

final as (
    select
        event_id,
        customer_id,
        user_id,
        feature_key,
        occurred_at,
        received_at
    from usage_events
    where row_status = 'staged'
)

select * from final
