{#-
    Quarantine check for a row delivered by a source adapter whose vendor id
    (`_external_id`, from raw_table()) has no entry in the identity map
    (stg_identity__customer_id_map): the adapter leaves customer_id null,
    and the row is quarantined as unmapped_external_id rather than as a row
    without a customer. Native rows have no external id.
-#}
{% macro identity_checks(column='customer_id') -%}
    {{ return([
        {
            'when': column ~ ' is null and _external_id is not null',
            'reason': 'unmapped_external_id',
            'column': column,
        },
    ]) }}
{%- endmacro %}
