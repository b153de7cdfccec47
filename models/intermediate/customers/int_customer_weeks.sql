{#-
    The dense week grid every indicator is computed on: one row per customer
    per week from the customer's first subscription or first product event
    (whichever is earlier, not before the history start) to the latest
    complete week, with the subscription state at the end of the week.
    Trailing windows are plain row windows on this grid. Weeks in which the
    customer had no active subscription stay in the grid (is_subscribed =
    false) so windows see them; the score marts keep subscribed weeks only.
    From the grid on, mrr_amount is in the reporting currency, converted at
    the rate of the month of week_start (to_reporting_currency), so a
    customer whose currency changes is converted week by week in the
    currency of each period; billing_mrr_amount keeps the period's own.
-#}
with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

subscriptions as (
    select * from {{ ref('int_subscription_periods') }}
),

customer_event_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_customer_weeks') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

exchange_rates as (
    select * from {{ ref('int_exchange_rates_monthly') }}
),

first_subscription as (
    select
        customer_id,
        min(started_at) as first_started_at
    from subscriptions
    group by 1
),

first_event as (
    select
        customer_id,
        min(week_start) as first_event_week_start
    from customer_event_weeks
    group by 1
),

customer_starts as (
    select
        customers.customer_id,
        customers.segment,
        customers.business_type,
        first_subscription.first_started_at,
        case
            when first_event.first_event_week_start is null
                then {{ week_start('first_subscription.first_started_at') }}
            when first_subscription.first_started_at is null
                then first_event.first_event_week_start
            else least(
                {{ week_start('first_subscription.first_started_at') }},
                first_event.first_event_week_start
            )
        end as grid_start
    from customers
    left join first_subscription
        on customers.customer_id = first_subscription.customer_id
    left join first_event
        on customers.customer_id = first_event.customer_id
),

grid as (
    select
        customer_starts.customer_id,
        customer_starts.segment,
        customer_starts.business_type,
        customer_starts.first_started_at,
        weeks.week_start,
        weeks.week_end,
        weeks.is_latest_week
    from customer_starts
    inner join weeks
        on customer_starts.grid_start <= weeks.week_start
),

periods_in_weeks as (
    select
        grid.customer_id,
        grid.week_start,
        subscriptions.subscription_id,
        subscriptions.plan_name,
        subscriptions.seats,
        subscriptions.mrr_amount,
        subscriptions.currency,
        row_number() over (
            partition by grid.customer_id, grid.week_start
            order by
                subscriptions.started_at desc, subscriptions.subscription_id asc
        ) as recency
    from grid
    inner join subscriptions
        on
            grid.customer_id = subscriptions.customer_id
            and grid.week_end > subscriptions.started_at
            and (
                subscriptions.ended_at is null
                or grid.week_start <= subscriptions.ended_at
            )
),

weeks_with_periods as (
    select
        grid.customer_id,
        grid.week_start,
        grid.week_end,
        grid.segment,
        grid.business_type,
        periods_in_weeks.subscription_id,
        periods_in_weeks.plan_name,
        periods_in_weeks.currency,
        periods_in_weeks.seats,
        periods_in_weeks.mrr_amount,
        grid.is_latest_week,
        grid.first_started_at,
        periods_in_weeks.subscription_id is not null as is_subscribed
    from grid
    left join periods_in_weeks
        on
            {{ same_customer_week('grid', 'periods_in_weeks') }}
            and periods_in_weeks.recency = 1
),

mrr_converted as (
    {{ to_reporting_currency(
        'weeks_with_periods', 'mrr_amount', 'week_start', 'exchange_rates'
    ) }}
),

final as (
    select
        customer_id,
        week_start,
        week_end,
        segment,
        business_type,
        subscription_id,
        plan_name,
        currency as billing_currency,
        seats,
        reporting_mrr_amount as mrr_amount,
        mrr_amount as billing_mrr_amount,
        is_latest_week,
        first_started_at,
        is_subscribed,
        is_missing_exchange_rate
    from mrr_converted
)

select * from final
