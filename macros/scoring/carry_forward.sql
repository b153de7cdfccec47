{#-
    Last non-null value of `expression` up to the current row, per
    `partition_by` ordered by `order_by`, in two steps that run on any engine
    (no IGNORE NULLS): first number the groups that start at each non-null
    value (carry_forward_group), then take the group's value (carry_forward).
-#}
{% macro carry_forward_group(expression, partition_by, order_by) -%}
    count({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{% macro carry_forward(expression, partition_by, group_column) -%}
    max({{ expression }}) over (
        partition by {{ partition_by }}, {{ group_column }}
    )
{%- endmacro %}
