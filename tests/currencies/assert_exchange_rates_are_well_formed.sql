-- Rows of seeds/exchange_rates.csv that cannot be used as they are: a rate
-- that is not positive, a month not given as its first day, a code staging
-- would never match (staged currencies are three upper-case letters), a rate
-- quoted in the row's own currency, or a base that differs from the others.
with

rates as (
    select * from {{ ref('exchange_rates') }}
),

bases as (
    select count(distinct base_currency) as base_currencies
    from rates
),

problems as (
    select
        rates.rate_month,
        rates.currency,
        rates.base_currency,
        rates.rate_to_base,
        case
            when rates.rate_to_base <= 0 then 'rate not positive'
            when rates.rate_month != {{ month_start('rates.rate_month') }}
                then 'rate_month not the first day of a month'
            when
                length(rates.currency) != 3
                or rates.currency != upper(rates.currency)
                or length(rates.base_currency) != 3
                or rates.base_currency != upper(rates.base_currency)
                then 'currency code not three upper-case letters'
            when rates.currency = rates.base_currency
                then 'currency quoted in itself'
            when bases.base_currencies > 1 then 'more than one base currency'
        end as problem
    from rates
    cross join bases
)

select * from problems
where problem is not null
