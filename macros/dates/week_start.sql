{#- Monday (ISO week start) of the week containing a timestamp or date. -#}
{% macro week_start(expression) -%}
    cast({{ dbt.date_trunc('week', expression) }} as date)
{%- endmacro %}
