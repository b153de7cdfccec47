{#-
    Quarantine check for a CRM row whose customer was found through the
    account hierarchy: a source adapter that resolves a child account
    without an identity mapping of its own through its parent (Salesforce's
    parent_id) gives the row the parent's customer_id and the child's own
    vendor id as `_external_id`. Such a row must neither win the customer's
    attributes nor be lost, so it is quarantined as rolled_up_child_account:
    its customer is set, but its own vendor id is not in the identity map.
    Native rows (no vendor, `_external_id` null) never match.
-#}
{% macro hierarchy_checks(raw_table_name) -%}
    {%- set vendor = source_vendor(raw_table_name) -%}
    {%- if vendor == 'native' -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return([
        {
            'when': 'customer_id is not null and _external_id is not null'
                ~ ' and _external_id not in (select external_id from '
                ~ ref('stg_identity__customer_id_map')
                ~ " where source_system = '" ~ vendor ~ "')",
            'reason': 'rolled_up_child_account',
            'column': 'customer_id',
        },
    ]) }}
{%- endmacro %}
