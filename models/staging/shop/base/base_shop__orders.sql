{%- set checks = [
    {'when': 'order_id is null', 'reason': 'missing_key',
     'column': 'order_id'},
] + customer_checks() + timestamp_checks('ordered_at')
  + open_category_checks('order_type') + category_checks('order_status') + [
    {'when': 'amount is null', 'reason': 'invalid_value', 'column': 'amount'},
    {'when': 'amount < 0', 'reason': 'out_of_range', 'column': 'amount'},
    {'when': 'currency is null or length(currency) != 3',
     'reason': 'invalid_value', 'column': 'currency'},
] -%}

with

source as (
    select * from {{ raw_table('shop', 'orders') }}
),

customers as (
    select customer_id as known_customer_id
    from {{ ref('stg_crm__customers') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        _external_id,
        {{ trimmed('order_id') }} as order_id,
        {{ trimmed('customer_id') }} as customer_id,
        lower({{ trimmed('order_type') }}) as order_type_raw,
        lower({{ trimmed('order_status') }}) as order_status_raw,
        upper({{ trimmed('currency') }}) as currency,
        {{ safe_cast('amount', 'decimal(18, 2)') }} as amount,
        {{ trimmed('ordered_at') }} as ordered_at_raw,
        {{ to_utc_timestamp(trimmed('ordered_at')) }} as ordered_at
    from source
),

checked as (
    select
        parsed.*,
        {{ open_category('order_type') }} as order_type,
        order_status_aliases.standard_value as order_status,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('order_type', 'order_type') }}
    {{ category_alias_join('order_status', 'order_status') }}
),

final as (
    select
        _row_id,
        order_id,
        customer_id,
        order_type,
        order_status,
        currency,
        amount,
        ordered_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('order_id', 'ordered_at desc') }}
    from checked
)

select * from final
