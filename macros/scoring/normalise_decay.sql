{#-
    Exponential decay for "days since" indicators: 100 at zero days (or
    fewer), halving every `half_life_days`. Null in, null out.
-#}
{% macro normalise_decay(days, half_life_days) -%}
    case
        when {{ days }} is null or {{ half_life_days }} is null then null
        when {{ days }} <= 0 then 100.0
        else 100.0 * power(0.5, {{ days }} * 1.0 / {{ half_life_days }})
    end
{%- endmacro %}
