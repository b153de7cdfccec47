{#-
    The logistic function 1 / (1 + exp(-x)) of a log-odds expression: a
    probability in (0, 1); null in, null out. The log-odds are clamped to
    [-500, 500] so exp cannot overflow on engines that raise an error instead
    of giving infinity (PostgreSQL); beyond that range the result is 0 or 1 to
    double precision anyway. (A case, not least/greatest: those skip nulls.)
-#}
{% macro logistic(log_odds) -%}
    1.0 / (
        1.0 + exp(
            -case
                when {{ log_odds }} > 500 then 500.0
                when {{ log_odds }} < -500 then -500.0
                else {{ log_odds }}
            end
        )
    )
{%- endmacro %}
