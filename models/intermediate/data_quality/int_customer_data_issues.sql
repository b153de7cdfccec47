{#-
    One row per staged customer whose data has an issue: raw rows naming the
    customer that were quarantined (with their reasons), CRM versions that
    disagree on the segment or the business type, product events dated
    before the signup, product events without any subscription period, a
    subscription period kept with unknown seats or MRR, or amounts that
    cannot be converted to the reporting currency (a payment, an order or a
    subscription period whose currency has no exchange rate for the month:
    the figures summing them are missing). has_data_issues marks
    the issues that touch the customer's status or attributes (everything but
    quarantined activity rows, such as an unreadable event among thousands,
    which only count, and a subsidiary's CRM row rolled up to the customer).
    Customers without an issue have no row.
-#}
with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

crm_versions as (
    select * from {{ ref('base_crm__customers') }}
    where row_status in ('staged', 'duplicate')
),

quarantined as (
    select * from {{ ref('int_quarantined_rows') }}
),

events as (
    select * from {{ ref('stg_product__usage_events') }}
),

periods as (
    select * from {{ ref('int_subscription_periods') }}
),

payments as (
    select * from {{ ref('int_payments_converted') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

customer_weeks as (
    select * from {{ ref('int_customer_weeks') }}
),

quarantined_per_customer as (
    select
        quarantined.customer_id,
        count(*) as quarantined_rows,
        count(
            case
                -- a subsidiary's own CRM row, rolled up to its parent's
                -- customer, leaves the customer's attributes as they are
                when
                    quarantined.source_table
                    in ('crm.customers', 'billing.subscriptions')
                    and quarantined.quarantine_reason
                    != 'rolled_up_child_account'
                    then 1
            end
        ) as quarantined_status_rows,
        {{ dbt.listagg(
            "distinct quarantined.source_table || ' ' || quarantined.quarantine_reason",
            "', '",
            "order by quarantined.source_table || ' ' || quarantined.quarantine_reason"
        ) }} as quarantine_reasons
    from quarantined
    inner join customers
        on quarantined.customer_id = customers.customer_id
    group by 1
),

conflicting_versions as (
    select customer_id
    from crm_versions
    group by 1
    having
        count(distinct segment) > 1
        or count(distinct business_type) > 1
),

events_before_signup as (
    select
        events.customer_id,
        count(*) as events_before_signup
    from events
    inner join customers
        on events.customer_id = customers.customer_id
    where events.occurred_at < customers.signup_at
    group by 1
),

events_without_subscription as (
    select distinct events.customer_id
    from events
    left join periods
        on events.customer_id = periods.customer_id
    where periods.customer_id is null
),

rescued_periods as (
    select distinct customer_id
    from periods
    where has_quarantined_amounts
),

amounts_without_rate as (
    -- A subscription period counts once, however many weeks lack its rate.
    select
        customer_id,
        payment_id as amount_id
    from payments
    where is_missing_exchange_rate
    union all
    select
        customer_id,
        order_id as amount_id
    from orders
    where is_missing_exchange_rate
    union all
    select distinct
        customer_id,
        subscription_id as amount_id
    from customer_weeks
    where is_missing_exchange_rate
),

amounts_without_rate_per_customer as (
    select
        customer_id,
        count(*) as missing_exchange_rates
    from amounts_without_rate
    group by 1
),

issues as (
    select
        customers.customer_id,
        quarantined_per_customer.quarantine_reasons,
        coalesce(quarantined_per_customer.quarantined_rows, 0)
            as quarantined_rows,
        coalesce(quarantined_per_customer.quarantined_status_rows, 0)
            as quarantined_status_rows,
        coalesce(events_before_signup.events_before_signup, 0)
            as events_before_signup,
        coalesce(amounts_without_rate_per_customer.missing_exchange_rates, 0)
            as missing_exchange_rates,
        conflicting_versions.customer_id is not null
            as has_conflicting_versions,
        events_without_subscription.customer_id is not null
            as has_events_without_subscription,
        rescued_periods.customer_id is not null
            as has_period_with_unknown_amounts
    from customers
    left join quarantined_per_customer
        on customers.customer_id = quarantined_per_customer.customer_id
    left join conflicting_versions
        on customers.customer_id = conflicting_versions.customer_id
    left join events_before_signup
        on customers.customer_id = events_before_signup.customer_id
    left join events_without_subscription
        on customers.customer_id = events_without_subscription.customer_id
    left join rescued_periods
        on customers.customer_id = rescued_periods.customer_id
    left join amounts_without_rate_per_customer
        on
            customers.customer_id
            = amounts_without_rate_per_customer.customer_id
),

final as (
    select
        customer_id,
        quarantined_rows,
        quarantined_status_rows,
        quarantine_reasons,
        events_before_signup,
        missing_exchange_rates,
        has_conflicting_versions,
        has_events_without_subscription,
        has_period_with_unknown_amounts,
        quarantined_status_rows > 0
        or has_conflicting_versions
        or events_before_signup > 0
        or has_events_without_subscription
        or has_period_with_unknown_amounts
        or missing_exchange_rates > 0 as has_data_issues,
        concat_ws(
            '; ',
            case
                when quarantined_rows > 0
                    then 'quarantined rows: ' || quarantine_reasons
            end,
            case
                when has_conflicting_versions
                    then 'CRM versions disagree on segment or business type'
            end,
            case
                when events_before_signup > 0
                    then 'product events before signup'
            end,
            case
                when has_events_without_subscription
                    then 'product events without a subscription'
            end,
            case
                when has_period_with_unknown_amounts
                    then 'a subscription period with unknown seats or MRR'
            end,
            case
                when missing_exchange_rates > 0
                    then
                        'amounts without an exchange rate: '
                        || cast(
                            missing_exchange_rates as {{ dbt.type_string() }}
                        )
            end
        ) as data_issues
    from issues
    where
        quarantined_rows > 0
        or has_conflicting_versions
        or events_before_signup > 0
        or has_events_without_subscription
        or has_period_with_unknown_amounts
        or missing_exchange_rates > 0
)

select * from final
