{#-
    Which system delivers one table of the raw contract: 'native' (the raw
    contract as exported) or the vendor whose adapter reshapes its landed
    schema into it. The vendor is the value of the table's domain var
    (source_adapters()); a vendor without an adapter for the table is a
    compile error naming the choices.
-#}
{% macro source_vendor(raw_table_name) -%}
    {#- A namespace: a plain `set` inside the loop would not outlive it. -#}
    {%- set found = namespace(domain_var=none) -%}
    {%- set choices = ['native'] -%}
    {%- for vendor, adapter in source_adapters().items() -%}
        {%- if raw_table_name in adapter['provides'] -%}
            {%- set found.domain_var = adapter['var'] -%}
            {%- do choices.append(vendor) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.domain_var is none -%}
        {{ return('native') }}
    {%- endif -%}
    {%- set domain_var = found.domain_var -%}
    {%- set vendor = var(domain_var) -%}
    {%- if vendor not in choices -%}
        {{ exceptions.raise_compiler_error(
            'var ' ~ domain_var ~ ': ' ~ vendor ~ ' cannot deliver '
            ~ raw_table_name ~ ' (choose one of ' ~ choices | join(', ')
            ~ ')') }}
    {%- endif -%}
    {{ return(vendor) }}
{%- endmacro %}
