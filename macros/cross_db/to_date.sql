{#- Parses a YYYY-MM-DD string into a date; unparseable values give null. -#}
{% macro to_date(expression) -%}
    {{ return(adapter.dispatch('to_date', 'customer_health')(expression)) }}
{%- endmacro %}

{% macro default__to_date(expression) -%}
    try_cast({{ expression }} as date)
{%- endmacro %}
