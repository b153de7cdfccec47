{#-
    The largest table: only parsed columns are kept (the raw strings stay in
    the raw schema, reachable through _row_id).
-#}
{%- set checks = [
    {'when': 'event_id is null', 'reason': 'missing_key',
     'column': 'event_id'},
] + customer_checks() + timestamp_checks('occurred_at')
  + timestamp_checks('received_at', required=false) + [
    {'when': 'user_id is null', 'reason': 'missing_value',
     'column': 'user_id'},
    {'when': 'feature_key is null', 'reason': 'missing_value',
     'column': 'feature_key'},
    {'when': 'known_feature_key is null', 'reason': 'unknown_reference',
     'column': 'feature_key'},
] -%}

with

source as (
    select * from {{ raw_table('product', 'usage_events') }}
),

customers as (
    select customer_id as known_customer_id
    from {{ ref('stg_crm__customers') }}
),

features as (
    select feature_key as known_feature_key
    from {{ ref('stg_product__features') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        _external_id,
        {{ trimmed('event_id') }} as event_id,
        {{ trimmed('customer_id') }} as customer_id,
        {{ trimmed('user_id') }} as user_id,
        lower({{ trimmed('feature_key') }}) as feature_key,
        {{ trimmed('occurred_at') }} as occurred_at_raw,
        {{ to_utc_timestamp(trimmed('occurred_at')) }} as occurred_at,
        {{ trimmed('received_at') }} as received_at_raw,
        {{ to_utc_timestamp(trimmed('received_at')) }} as received_at
    from source
),

checked as (
    select
        parsed.*,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    left join features on parsed.feature_key = features.known_feature_key
),

final as (
    select
        _row_id,
        event_id,
        customer_id,
        user_id,
        feature_key,
        occurred_at,
        received_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('event_id', 'received_at desc') }}
    from checked
)

select * from final
