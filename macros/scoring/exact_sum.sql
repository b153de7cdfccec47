{#-
    Sum of a floating-point expression made exact: each value is fixed to 12
    decimals first, and decimals add up exactly whatever the order. A plain
    sum of doubles depends on the order a parallel engine adds them in, which
    would make scores differ in their last bits from one build to the next
    (and could flip a score sitting exactly on a threshold). Returns a double.
-#}
{% macro exact_sum(expression) -%}
    cast(
        sum(cast({{ expression }} as decimal(38, 12))) as {{ type_double() }}
    )
{%- endmacro %}
