{#-
    Quarantine checks for a closed categorical column, one scoring depends on,
    standardised through seeds/category_aliases.csv (joined with
    category_alias_join): a missing value when required (as for an open
    category, open_category_checks), and a value the seed does not know.
    Expects `<column>_raw` in the checked CTE.
-#}
{% macro category_checks(column, required=true) -%}
    {%- set checks = open_category_checks(column, required) -%}
    {%- do checks.append({
        'when': column ~ '_raw is not null and '
            ~ column ~ '_aliases.standard_value is null',
        'reason': 'unknown_category',
        'column': column,
    }) -%}
    {{ return(checks) }}
{%- endmacro %}
