{#-
    Sum of `expression` over the current week and the `weeks` - 1 weeks
    before it on a customer's dense week grid (one row per week, no gaps).
    `offset_weeks` shifts the window back: offset 4 with weeks 4 is the four
    weeks before the trailing four.
-#}
{% macro trailing_sum(expression, weeks, offset_weeks=0) -%}
    sum({{ expression }}) over (
        partition by customer_id
        order by week_start
        rows between {{ weeks + offset_weeks - 1 }} preceding
        {%- if offset_weeks == 0 %} and current row
        {%- else %} and {{ offset_weeks }} preceding
        {%- endif %}
    )
{%- endmacro %}
