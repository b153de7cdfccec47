{#-
    The one rule for money in several currencies: a select of every column of
    `relation` plus
      reporting_<amount>: the amount in the reporting currency (var
        reporting_currency) at the rate of the month of `event_at` in
        `rates` (int_exchange_rates_monthly, imported by the caller), rounded
        to cents. An amount already in the reporting currency needs no rate.
        Null when the amount is null or has no rate for its currency and
        month: never the unconverted amount.
      is_missing_exchange_rate: true when the amount is known but has no rate
        for its currency and month; what sums it must then be missing too,
        and the customer is flagged (int_customer_data_issues).
    Convert row by row, before summing: a customer whose currency changes
    keeps each amount at its own currency and month.
-#}
{% macro to_reporting_currency(relation, amount, event_at, rates) -%}
    {%- set is_reporting = relation ~ '.currency = ' ~ reporting_currency() %}
    {%- set its_rate = rates ~ '.rate_to_reporting' %}
    {%- set rate = 'case when ' ~ is_reporting ~ ' then 1.0' %}
    {%- set rate = rate ~ ' else ' ~ its_rate ~ ' end' %}
    select
        {{ relation }}.*,
        cast(
            round({{ relation }}.{{ amount }} * {{ rate }}, 2)
            as decimal(18, 2)
        ) as reporting_{{ amount }},
        {{ relation }}.{{ amount }} is not null
        and {{ rate }} is null as is_missing_exchange_rate
    from {{ relation }}
    left join {{ rates }}
        on
            {{ relation }}.currency = {{ rates }}.currency
            and {{ month_start(relation ~ '.' ~ event_at) }}
            = {{ rates }}.rate_month
{%- endmacro %}
