{#-
    The reporting currency (var reporting_currency) as an SQL string literal,
    e.g. 'EUR': the one currency money figures are reported in, upper-cased
    as staging upper-cases currency codes. tests/currencies/
    assert_reporting_currency_has_rates.sql checks that the seed knows it.
-#}
{% macro reporting_currency() -%}
    {{ return("'" ~ (var('reporting_currency') | string | trim | upper) ~ "'") }}
{%- endmacro %}
