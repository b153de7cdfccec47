{#-
    A relation of the integers 0 .. upper_bound - 1 in a column `n`, built
    from cross-joined digits so it runs on any SQL engine.
-#}
{% macro integer_sequence(upper_bound) -%}
    {%- set digits = (upper_bound - 1) | string | length -%}
    select
        {% for position in range(digits) -%}
        d{{ position }}.digit * {{ 10 ** position }}
        {%- if not loop.last %} + {% endif %}
        {%- endfor %} as n
    from
        {% for position in range(digits) -%}
        (
            {% for digit in range(10) -%}
            select {{ digit }} as digit
            {%- if not loop.last %} union all {% endif %}
            {% endfor -%}
        ) as d{{ position }}
        {%- if not loop.last %}
        cross join
        {% endif %}
        {%- endfor %}
    where
        {% for position in range(digits) -%}
        d{{ position }}.digit * {{ 10 ** position }}
        {%- if not loop.last %} + {% endif %}
        {%- endfor %} < {{ upper_bound }}
{%- endmacro %}
