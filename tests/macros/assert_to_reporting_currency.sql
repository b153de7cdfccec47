-- Hand-worked cases of to_reporting_currency, reporting in EUR (the default
-- of var reporting_currency); returns the cases that disagree. Rates: January
-- 1 GBP = 1.25 EUR and 1 USD = 0.8 EUR, February only GBP at 1.2.
with

rates as (
    select hand_worked.*
    from (
        values
        (date '2025-01-01', 'EUR', 1.0),
        (date '2025-01-01', 'GBP', 1.25),
        (date '2025-01-01', 'USD', 0.8),
        (date '2025-02-01', 'EUR', 1.0),
        (date '2025-02-01', 'GBP', 1.2)
    ) as hand_worked (rate_month, currency, rate_to_reporting)
),

cases as (
    select hand_worked.*
    from (
        values
        -- the month of the event picks the rate: 100 * 1.25, then 100 * 1.2
        ('GBP', 100.00, timestamp '2025-01-31 23:59:59', 125.00, false),
        ('GBP', 100.00, timestamp '2025-02-01 00:00:00', 120.00, false),
        -- a refund: -30.25 * 1.25 = -37.8125, rounded to cents
        ('GBP', -30.25, timestamp '2025-01-15 00:00:00', -37.81, false),
        -- 12.34 * 0.8 = 9.872 -> 9.87
        ('USD', 12.34, timestamp '2025-01-15 00:00:00', 9.87, false),
        -- no USD rate in February: no amount, and flagged
        ('USD', 12.34, timestamp '2025-02-15 00:00:00', null, true),
        -- the reporting currency needs no rate, in any month
        ('EUR', 19.99, timestamp '2030-06-01 00:00:00', 19.99, false),
        -- an unknown amount is not a missing rate
        ('GBP', null, timestamp '2025-01-15 00:00:00', null, false),
        ('CHF', null, timestamp '2025-01-15 00:00:00', null, false),
        -- a currency the rates do not know
        ('CHF', 5.00, timestamp '2025-01-15 00:00:00', null, true)
    ) as hand_worked (currency, amount, paid_at, expected, expected_missing)
),

actual as (
    {{ to_reporting_currency('cases', 'amount', 'paid_at', 'rates') }}
)

select * from actual
where
    (reporting_amount is null) != (expected is null)
    or reporting_amount != expected
    or is_missing_exchange_rate != expected_missing
