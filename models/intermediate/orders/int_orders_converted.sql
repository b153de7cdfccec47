{#-
    One row per staged order, with its amount in the reporting currency at
    the rate of the month it was placed in (to_reporting_currency). An
    amount without a rate for its currency and month has no reporting amount
    and is_missing_exchange_rate: what sums it is missing, never understated.
-#}
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

exchange_rates as (
    select * from {{ ref('int_exchange_rates_monthly') }}
),

converted as (
    {{ to_reporting_currency(
        'orders', 'amount', 'ordered_at', 'exchange_rates'
    ) }}
),

final as (
    select
        order_id,
        customer_id,
        order_type,
        order_status,
        currency,
        amount,
        reporting_amount,
        is_missing_exchange_rate,
        ordered_at
    from converted
)

select * from final
