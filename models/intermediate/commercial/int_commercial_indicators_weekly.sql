{#-
    Commercial indicators, one row per customer per week of the grid:
    upgrades and downgrades started in the trailing 26 weeks (and
    their difference, the scored indicator), tenure, money
    received so far, and whether the customer left once and came back.
    Money is summed in the reporting currency, each payment converted at
    the rate of its own month (int_payments_converted); once a payment
    without a rate counts, lifetime_revenue is missing rather than short.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

payments as (
    select * from {{ ref('int_payments_converted') }}
),

changes_per_week as (
    select
        customer_id,
        {{ week_start('started_at') }} as week_start,
        sum(case when change_type = 'upgrade' then 1 else 0 end) as upgrades,
        sum(case when change_type = 'downgrade' then 1 else 0 end)
            as downgrades
    from subscriptions
    group by 1, 2
),

periods_ordered as (
    select
        customer_id,
        started_at,
        max(ended_at) over (
            partition by customer_id
            order by started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as previous_ended_at,
        count(*) over (
            partition by customer_id
            order by started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as previous_periods,
        count(*) over (
            partition by customer_id
            order by started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) - count(ended_at) over (
            partition by customer_id
            order by started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as previous_open_periods
    from subscriptions
),

returns as (
    -- A period that starts more than a day after every earlier period ended.
    select
        customer_id,
        min(started_at) as first_returned_at
    from periods_ordered
    where
        previous_periods > 0
        and previous_open_periods = 0
        and started_at > {{ dbt.dateadd('day', 1, 'previous_ended_at') }}
    group by 1
),

revenue_per_week as (
    select
        customer_id,
        {{ week_start('attempted_at') }} as week_start,
        sum(reporting_amount) as net_received,
        count(case when is_missing_exchange_rate then 1 end)
            as payments_without_rate
    from payments
    where payment_status in ('succeeded', 'refunded')
    group by 1, 2
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        grid.week_end,
        grid.first_started_at,
        returns.first_returned_at,
        coalesce(changes_per_week.upgrades, 0) as upgrades,
        coalesce(changes_per_week.downgrades, 0) as downgrades,
        coalesce(revenue_per_week.net_received, 0) as net_received,
        coalesce(revenue_per_week.payments_without_rate, 0)
            as payments_without_rate
    from grid
    left join changes_per_week
        on {{ same_customer_week('grid', 'changes_per_week') }}
    left join revenue_per_week
        on {{ same_customer_week('grid', 'revenue_per_week') }}
    left join returns
        on grid.customer_id = returns.customer_id
),

final as (
    select
        customer_id,
        week_start,
        {{ trailing_sum('upgrades - downgrades', 26) }} as net_expansions_180d,
        {{ days_between('first_started_at', 'week_end') }} as tenure_days,
        case
            when
                sum(payments_without_rate) over (
                    partition by customer_id order by week_start
                    rows between unbounded preceding and current row
                ) = 0
                then sum(net_received) over (
                    partition by customer_id order by week_start
                    rows between unbounded preceding and current row
                )
        end as lifetime_revenue,
        case
            when first_returned_at < week_end then 1 else 0
        end as has_churned_before
    from joined
)

select * from final
