{#-
    Which system delivers one table of the raw contract: 'native' (the raw
    contract as exported) or the vendor whose adapter reshapes its landed
    schema into it. The vendor is the value of the table's domain var
    (source_adapters()); a vendor without an adapter for the table is a
    compile error naming the choices.
-#}
{% macro source_vendor(raw_table_name) -%}
    {#- A `set` inside a for loop does not outlive the loop in Jinja: the
        domain vars found are collected in a list instead. -#}
    {%- set domain_vars = [] -%}
    {%- set choices = ['native'] -%}
    {%- for vendor, adapter in source_adapters().items() -%}
        {%- if raw_table_name in adapter['provides'] -%}
            {%- do domain_vars.append(adapter['var']) -%}
            {%- do choices.append(vendor) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not domain_vars -%}
        {{ return('native') }}
    {%- endif -%}
    {%- set vendor = var(domain_vars[0]) -%}
    {%- if vendor not in choices -%}
        {{ exceptions.raise_compiler_error(
            'var ' ~ domain_vars[0] ~ ': ' ~ vendor ~ ' cannot deliver '
            ~ raw_table_name ~ ' (choose one of ' ~ choices | join(', ')
            ~ ')') }}
    {%- endif -%}
    {{ return(vendor) }}
{%- endmacro %}
