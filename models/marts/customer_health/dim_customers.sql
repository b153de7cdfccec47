{#-
    One row per staged customer: descriptive attributes for slicing scores,
    and whether the customer's data has issues that touch its status
    (int_customer_data_issues). Holds no PII (no names, no e-mail
    addresses).
-#}
with

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

subscriptions as (
    select * from {{ ref('int_subscription_periods') }}
),

data_issues as (
    select * from {{ ref('int_customer_data_issues') }}
),

subscription_spans as (
    select
        customer_id,
        min(started_at) as first_subscribed_at,
        max(started_at) as latest_period_started_at,
        count(*) - count(ended_at) as open_periods,
        max(ended_at) as last_ended_at
    from subscriptions
    group by 1
),

final as (
    select
        customers.customer_id,
        customers.segment,
        customers.business_type,
        customers.country_code,
        customers.csm_owner,
        customers.signup_date,
        cast(subscription_spans.first_subscribed_at as date)
            as first_subscribed_date,
        case
            when subscription_spans.open_periods = 0
                then cast(subscription_spans.last_ended_at as date)
        end as subscription_ended_date,
        coalesce(subscription_spans.open_periods > 0, false)
            as has_open_subscription,
        coalesce(data_issues.has_data_issues, false) as has_data_issues,
        case when data_issues.has_data_issues then data_issues.data_issues end
            as data_issues
    from customers
    left join subscription_spans
        on customers.customer_id = subscription_spans.customer_id
    left join data_issues
        on customers.customer_id = data_issues.customer_id
)

select * from final
