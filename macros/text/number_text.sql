{#-
    A number as text for sentences people read (alert messages), rounded half
    away from zero to `decimals` places: 17.5 -> '18', 239.99 -> '240',
    0.25 with one decimal -> '0.3'. Rounded through a decimal cast, so the
    text never shows float noise ('17.999999') or a trailing '.0'; null
    stays null.
-#}
{% macro number_text(expression, decimals=0) -%}
    cast(
        cast({{ expression }} as decimal(18, {{ decimals }}))
        as {{ dbt.type_string() }}
    )
{%- endmacro %}
