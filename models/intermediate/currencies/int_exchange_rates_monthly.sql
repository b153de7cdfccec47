{#-
    One row per month and currency of seeds/exchange_rates.csv (the base
    currency included, at 1): units of the reporting currency (var
    reporting_currency) for one unit of the currency. The seed quotes every
    currency in one base; the rate into the reporting currency is the cross
    rate through that base, so the reporting currency can be any currency
    with rates in the seed. A month in which the reporting currency has no
    rate has no rows: amounts in other currencies of that month stay
    unconverted (to_reporting_currency). The rate is a decimal, so amounts
    convert in exact decimal arithmetic (and round to cents the same way on
    every engine).
-#}
with

seed_rates as (
    select * from {{ ref('exchange_rates') }}
),

rates_to_base as (
    select
        rate_month,
        currency,
        rate_to_base
    from seed_rates
    union
    select distinct
        rate_month,
        base_currency as currency,
        1.0 as rate_to_base
    from seed_rates
),

reporting_rates as (
    select
        rate_month,
        rate_to_base as reporting_rate_to_base
    from rates_to_base
    where currency = {{ reporting_currency() }}
),

final as (
    select
        rates_to_base.rate_month,
        rates_to_base.currency,
        cast(
            rates_to_base.rate_to_base
            / reporting_rates.reporting_rate_to_base
            as decimal(18, 10)
        ) as rate_to_reporting
    from rates_to_base
    inner join reporting_rates
        on rates_to_base.rate_month = reporting_rates.rate_month
)

select * from final
