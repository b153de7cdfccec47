{#-
    Left join of seeds/category_aliases.csv for one categorical column: the
    standard value is then `<column>_aliases.standard_value`. The raw value is
    matched on lower(trim(...)), prepared as `<column>_raw` in `from_cte`.
-#}
{% macro category_alias_join(column, category, from_cte='parsed') -%}
    left join {{ ref('category_aliases') }} as {{ column }}_aliases
        on
            {{ column }}_aliases.category = '{{ category }}'
            and {{ column }}_aliases.raw_value = {{ from_cte }}.{{ column }}_raw
{%- endmacro %}
