{#-
    Piecewise-linear score: 0 at (or beyond) `bad`, 100 at (or beyond) `good`,
    linear in between. Works in both directions: when good < bad, lower raw
    values score higher. Null in, null out.
-#}
{% macro normalise_threshold(value, bad, good) -%}
    case
        when {{ value }} is null or {{ bad }} is null or {{ good }} is null
            then null
        when {{ good }} = {{ bad }}
            then case when {{ value }} >= {{ good }} then 100.0 else 0.0 end
        else 100.0 * least(greatest(
            ({{ value }} - {{ bad }}) * 1.0 / ({{ good }} - {{ bad }}), 0.0
        ), 1.0)
    end
{%- endmacro %}
