{#-
    Quarantine checks for an open categorical column (see open_category()):
    only a missing value, when the column is required. Any spelling is kept.
-#}
{% macro open_category_checks(column, required=true) -%}
    {%- set checks = [] -%}
    {%- if required -%}
        {%- do checks.append({
            'when': column ~ '_raw is null',
            'reason': 'missing_value',
            'column': column,
        }) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}
