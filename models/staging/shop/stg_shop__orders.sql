with

orders as (
    select * from {{ ref('base_shop__orders') }}
),

final as (
    select
        order_id,
        customer_id,
        order_type,
        order_status,
        currency,
        amount,
        ordered_at
    from orders
    where row_status = 'staged'
)

select * from final
