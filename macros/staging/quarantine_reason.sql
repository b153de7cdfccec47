{#-
    Turns an ordered list of checks into the row's quarantine reason: the code of
    the first failing check, or null for a usable row. Each check is a mapping
    with `when` (SQL condition that is true for a bad row), `reason` (a code from
    seeds/quarantine_reasons.csv) and `column` (the offending column).
    Emits two columns: quarantine_reason and quarantine_column.
-#}
{% macro quarantine_reason(checks) -%}
    case
        {%- for check in checks %}
        when {{ check['when'] }} then '{{ check['reason'] }}'
        {%- endfor %}
    end as quarantine_reason,
    case
        {%- for check in checks %}
        when {{ check['when'] }} then '{{ check['column'] }}'
        {%- endfor %}
    end as quarantine_column
{%- endmacro %}
