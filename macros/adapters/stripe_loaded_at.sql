{#-
    The column of a landed Stripe table that says when its rows arrived: the
    one the `stripe_loaded_at_field` var names (the loader's `_loaded_at` by
    default), or Fivetran's `_fivetran_synced` when the table has no such
    column (a schema Fivetran fills has no `_loaded_at`). Looked up when the
    model runs, like landed_columns().
-#}
{% macro stripe_loaded_at(relation) -%}
    {%- set column = var('stripe_loaded_at_field', '_loaded_at') -%}
    {%- if execute -%}
        {%- set present = [] -%}
        {%- for landed in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(landed.name | lower) -%}
        {%- endfor -%}
        {%- if column | lower not in present -%}
            {%- set column = '_fivetran_synced' -%}
        {%- endif -%}
    {%- endif -%}
    {{ column }}
{%- endmacro %}
