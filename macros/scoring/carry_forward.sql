{#-
    Last non-null value of `expression` up to the current row: the value of
    the group the row belongs to, where `group_column` holds the group
    numbers of carry_forward_group() over the same partition and order.
-#}
{% macro carry_forward(expression, partition_by, group_column) -%}
    max({{ expression }}) over (
        partition by {{ partition_by }}, {{ group_column }}
    )
{%- endmacro %}
