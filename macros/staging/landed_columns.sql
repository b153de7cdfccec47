{#-
    Select list for a landed vendor table whose optional columns may be
    missing (connectors land only the fields a company uses): each column
    that exists is selected as is, each missing one becomes a typed null of
    the same name, never a compile error. `columns` is a list of
    (name, data type) pairs; the relation's real columns are looked up when
    the model runs.
-#}
{% macro landed_columns(relation, columns) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for name, data_type in columns %}
        {%- if name | lower in present or not execute %}
    {{ name }}
        {%- else %}
    cast(null as {{ data_type }}) as {{ name }}
        {%- endif %}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
