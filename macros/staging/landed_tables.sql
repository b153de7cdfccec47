{#-
    The tables whose rows make up one table of the raw contract
    ('billing.payments'): the table itself when it is delivered natively,
    otherwise the landed tables of the adapter that delivers it
    (source_adapters()), each as 'source.table'.
-#}
{% macro landed_tables(raw_table_name) -%}
    {%- set vendor = source_vendor(raw_table_name) -%}
    {%- if vendor == 'native' -%}
        {{ return([raw_table_name]) }}
    {%- endif -%}
    {{ return(source_adapters()[vendor]['provides'][raw_table_name]) }}
{%- endmacro %}
