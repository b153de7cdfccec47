{#-
    One row per staged payment attempt, with its amount in the reporting
    currency at the rate of the month it was attempted in
    (to_reporting_currency). An amount without a rate for its currency and
    month has no reporting amount and is_missing_exchange_rate: what sums it
    is missing, never understated.
-#}
with

payments as (
    select * from {{ ref('stg_billing__payments') }}
),

exchange_rates as (
    select * from {{ ref('int_exchange_rates_monthly') }}
),

converted as (
    {{ to_reporting_currency(
        'payments', 'amount', 'attempted_at', 'exchange_rates'
    ) }}
),

final as (
    select
        payment_id,
        invoice_id,
        customer_id,
        payment_status,
        currency,
        amount,
        reporting_amount,
        is_missing_exchange_rate,
        attempted_at
    from converted
)

select * from final
