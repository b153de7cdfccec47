{#-
    The delivered identity map. A vendor id mapped to two different customers
    is ambiguous: every row of it is quarantined as conflicting_id_mapping
    (its rows in the adapters then stay unmapped) instead of one mapping
    winning silently. The customer is not checked against the CRM here: the
    CRM adapters themselves read this map.
-#}
{%- set checks = [
    {'when': 'source_system is null', 'reason': 'missing_value',
     'column': 'source_system'},
    {'when': 'external_id is null', 'reason': 'missing_key',
     'column': 'external_id'},
    {'when': 'customer_id is null', 'reason': 'missing_customer_id',
     'column': 'customer_id'},
    {'when': 'mapped_customers > 1', 'reason': 'conflicting_id_mapping',
     'column': 'customer_id'},
] -%}

with

source as (
    select * from {{ raw_table('identity', 'customer_id_map') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        _external_id,
        lower({{ trimmed('source_system') }}) as source_system,
        {{ trimmed('external_id') }} as external_id,
        {{ trimmed('customer_id') }} as customer_id
    from source
),

customers_per_id as (
    select
        source_system as mapped_source_system,
        external_id as mapped_external_id,
        count(distinct customer_id) as mapped_customers
    from parsed
    group by 1, 2
),

checked as (
    select
        parsed.*,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers_per_id
        on
            parsed.source_system = customers_per_id.mapped_source_system
            and parsed.external_id = customers_per_id.mapped_external_id
),

final as (
    select
        _row_id,
        source_system,
        external_id,
        customer_id,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('source_system, external_id', '_loaded_at desc') }}
    from checked
)

select * from final
