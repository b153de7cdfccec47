{#- 8-byte floating point type (dbt.type_float() is 4-byte on some engines). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_health')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
