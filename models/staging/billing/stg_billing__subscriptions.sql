with

subscriptions as (
    select * from {{ ref('base_billing__subscriptions') }}
),

final as (
    select
        subscription_id,
        customer_id,
        plan_name,
        change_type,
        currency,
        seats,
        mrr_amount,
        renews_on,
        started_at,
        ended_at
    from subscriptions
    where row_status = 'staged'
)

select * from final
