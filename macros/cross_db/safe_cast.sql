{#-
    Cast that yields null instead of failing when the value does not fit the
    type. Staging uses it so a bad raw value becomes a quarantined row, never a
    failed build.
-#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'customer_health')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
