{#-
    First step of carry_forward(): numbers the groups of rows that start at
    each non-null value of `expression`, per `partition_by` ordered by
    `order_by` (a running count of the non-null values). Runs on any engine
    (no IGNORE NULLS).
-#}
{% macro carry_forward_group(expression, partition_by, order_by) -%}
    count({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}
