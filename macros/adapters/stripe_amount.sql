{#-
    A Stripe amount (an integer in the currency's smallest unit: cents for
    eur, usd, gbp) in units of its currency, as a double: divided by 100, by 1
    for Stripe's zero-decimal currencies (jpy, krw...) and by 1000 for its
    three-decimal ones (bhd, jod, kwd, omr, tnd). `currency` is Stripe's
    lower-case ISO code.
-#}
{% macro stripe_amount(amount, currency) -%}
    cast({{ amount }} as {{ type_double() }}) / case
        when lower({{ currency }}) in (
            'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg',
            'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'
        ) then 1
        when lower({{ currency }}) in ('bhd', 'jod', 'kwd', 'omr', 'tnd')
            then 1000
        else 100
    end
{%- endmacro %}
