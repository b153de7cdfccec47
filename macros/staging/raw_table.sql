{#-
    The relation a base model reads for one table of the raw contract: the
    loader's raw table (native), or the model of the source adapter chosen by
    the table's domain var (`billing_source: stripe` reads
    adapter_stripe__billing_invoices). Either way the same checks, quarantine
    and reconciliation apply. Native tables get a null `_external_id`; an
    adapter's rows carry the vendor's customer id there, so a row whose id is
    not in the identity map is quarantined as unmapped_external_id.
-#}
{% macro raw_table(source_name, table_name) -%}
    {%- set vendor = source_vendor(source_name ~ '.' ~ table_name) -%}
    {%- if vendor == 'native' -%}
        (
        select
            *,
            cast(null as {{ dbt.type_string() }}) as _external_id
        from {{ source(source_name, table_name) }}
        ) as native_{{ table_name }}
    {%- else -%}
        {{ ref('adapter_' ~ vendor ~ '__' ~ source_name ~ '_' ~ table_name) }}
    {%- endif -%}
{%- endmacro %}
