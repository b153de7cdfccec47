{#- The family sub-score column names, qualified with `relation`. -#}
{% macro family_score_columns(relation) -%}
    {%- for family in indicator_families() -%}
    {{ relation }}.{{ family }}_score{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
