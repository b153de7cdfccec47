{#-
    The family sub-score columns of an aggregate over indicator scores: per
    family, the weighted mean of its present normalised scores (null when
    none is present), named <family>_score, rounded to 6 decimals so that
    floating-point noise cannot push a mean of 100s above 100.
-#}
{% macro family_scores() -%}
    {%- for family in indicator_families() %}
    round({{ exact_sum(
        "case when family = '" ~ family ~ "' then weight * normalised_score end"
    ) }} / nullif({{ exact_sum(
        "case when family = '" ~ family ~ "' and normalised_score is not null"
        ~ " then weight end"
    ) }}, 0), 6) as {{ family }}_score{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
