{#-
    Order indicators for webshop customers, one row per customer per week of
    the grid, from completed orders placed before the end of the week. For
    SaaS customers orders do not apply and every indicator is null. Trailing
    90 days are 13 weeks. Order values are summed in the reporting currency,
    each order converted at the rate of its own month (int_orders_converted);
    the value trend is missing while an order without a rate falls in its 26
    weeks.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

completed_per_week as (
    select
        customer_id,
        {{ week_start('ordered_at') }} as week_start,
        count(*) as orders,
        sum(reporting_amount) as order_value,
        count(case when is_missing_exchange_rate then 1 end)
            as orders_without_rate,
        max(ordered_at) as last_ordered_at
    from orders
    where order_status = 'completed'
    group by 1, 2
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        grid.week_end,
        grid.business_type,
        completed_per_week.last_ordered_at,
        coalesce(completed_per_week.orders, 0) as orders,
        coalesce(completed_per_week.order_value, 0) as order_value,
        coalesce(completed_per_week.orders_without_rate, 0)
            as orders_without_rate
    from grid
    left join completed_per_week
        on {{ same_customer_week('grid', 'completed_per_week') }}
),

windowed as (
    select
        customer_id,
        week_start,
        week_end,
        business_type,
        {{ trailing_sum('orders', 13) }} as orders_90d,
        {{ trailing_sum('order_value', 13) }} as order_value_90d,
        {{ trailing_sum('order_value', 13, offset_weeks=13) }}
            as order_value_prior_90d,
        {{ trailing_sum('orders_without_rate', 26) }}
            as orders_without_rate_180d,
        max(last_ordered_at) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as last_ordered_at
    from joined
),

final as (
    select
        customer_id,
        week_start,
        case when business_type = 'webshop' then orders_90d end as orders_90d,
        case
            when
                business_type = 'webshop'
                and order_value_prior_90d > 0
                and orders_without_rate_180d = 0
                then
                    100.0 * (order_value_90d - order_value_prior_90d)
                    / order_value_prior_90d
        end as order_value_trend_90d_pct,
        case
            when business_type = 'webshop'
                then {{ days_between('last_ordered_at', 'week_end') }}
        end as days_since_last_order
    from windowed
)

select * from final
