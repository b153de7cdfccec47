{#-
    Join condition on the grain every weekly model shares: the same customer
    and the same week in relations `left` and `right`.
-#}
{% macro same_customer_week(left, right) -%}
    {{ left }}.customer_id = {{ right }}.customer_id
    and {{ left }}.week_start = {{ right }}.week_start
{%- endmacro %}
