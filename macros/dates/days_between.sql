{#-
    Days from `start` to `end` as a fraction (timestamps) : (end - start) in
    seconds / 86400. Portable through dbt.datediff on seconds.
-#}
{% macro days_between(start, end) -%}
    ({{ dbt.datediff(start, end, 'second') }} / 86400.0)
{%- endmacro %}
