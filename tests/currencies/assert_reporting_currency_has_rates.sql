-- The reporting currency (var reporting_currency) is the base or one of the
-- currencies of seeds/exchange_rates.csv: otherwise no amount in another
-- currency could be converted (a misspelt code would leave every such amount
-- unconverted). An empty seed passes: all money is then in the reporting
-- currency or flagged.
with

rates as (
    select * from {{ ref('exchange_rates') }}
),

mentioned as (
    select count(*) as rows_mentioning
    from rates
    where
        currency = {{ reporting_currency() }}
        or base_currency = {{ reporting_currency() }}
)

select
    {{ reporting_currency() }} as reporting_currency,
    mentioned.rows_mentioning
from mentioned
where
    mentioned.rows_mentioning = 0
    and exists (select 1 from rates)
