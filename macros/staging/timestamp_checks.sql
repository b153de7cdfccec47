{#-
    Quarantine checks for a timestamp column. Expects, in the checked CTE,
    `<column>_raw` (trimmed raw string, null when empty) and `<column>` (the
    parsed UTC timestamp) and `_loaded_at` (the loader's batch time).
    A timestamp later than its own load time cannot have happened yet.
-#}
{% macro timestamp_checks(column, required=true) -%}
    {%- set checks = [] -%}
    {%- if required -%}
        {%- do checks.append({
            'when': column ~ '_raw is null',
            'reason': 'missing_value',
            'column': column,
        }) -%}
    {%- endif -%}
    {%- do checks.append({
        'when': column ~ '_raw is not null and ' ~ column ~ ' is null',
        'reason': 'invalid_timestamp',
        'column': column,
    }) -%}
    {%- do checks.append({
        'when': column ~ ' > '
            ~ dbt.dateadd('hour', var('future_tolerance_hours'), '_loaded_at'),
        'reason': 'future_timestamp',
        'column': column,
    }) -%}
    {{ return(checks) }}
{%- endmacro %}
