{#-
    Quarantine checks for a categorical column standardised through
    seeds/category_aliases.csv (joined with category_alias_join). Expects
    `<column>_raw` in the checked CTE.
-#}
{% macro category_checks(column, required=true) -%}
    {%- set checks = [] -%}
    {%- if required -%}
        {%- do checks.append({
            'when': column ~ '_raw is null',
            'reason': 'missing_value',
            'column': column,
        }) -%}
    {%- endif -%}
    {%- do checks.append({
        'when': column ~ '_raw is not null and '
            ~ column ~ '_aliases.standard_value is null',
        'reason': 'unknown_category',
        'column': column,
    }) -%}
    {{ return(checks) }}
{%- endmacro %}
