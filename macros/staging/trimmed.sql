{#-
    A raw value as trimmed text, the empty string read as null. Casting to text
    first means a column delivered with another type still reaches the checks.
-#}
{% macro trimmed(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
