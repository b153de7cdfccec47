{%- set checks = [
    {'when': 'invoice_id is null', 'reason': 'missing_key',
     'column': 'invoice_id'},
] + customer_checks() + timestamp_checks('issued_at') + [
    {'when': 'due_on_raw is null', 'reason': 'missing_value',
     'column': 'due_on'},
    {'when': 'due_on is null', 'reason': 'invalid_value', 'column': 'due_on'},
] + category_checks('invoice_status') + [
    {'when': 'amount is null', 'reason': 'invalid_value', 'column': 'amount'},
    {'when': 'amount < 0', 'reason': 'out_of_range', 'column': 'amount'},
    {'when': 'currency is null or length(currency) != 3',
     'reason': 'invalid_value', 'column': 'currency'},
] -%}

with

source as (
    select * from {{ raw_table('billing', 'invoices') }}
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
        {{ trimmed('invoice_id') }} as invoice_id,
        {{ trimmed('customer_id') }} as customer_id,
        {{ trimmed('subscription_id') }} as subscription_id,
        lower({{ trimmed('invoice_status') }}) as invoice_status_raw,
        upper({{ trimmed('currency') }}) as currency,
        {{ safe_cast('amount', 'decimal(18, 2)') }} as amount,
        {{ trimmed('due_on') }} as due_on_raw,
        {{ to_date(trimmed('due_on')) }} as due_on,
        {{ trimmed('issued_at') }} as issued_at_raw,
        {{ to_utc_timestamp(trimmed('issued_at')) }} as issued_at
    from source
),

checked as (
    select
        parsed.*,
        invoice_status_aliases.standard_value as invoice_status,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('invoice_status', 'invoice_status') }}
),

final as (
    select
        _row_id,
        invoice_id,
        customer_id,
        subscription_id,
        invoice_status,
        currency,
        amount,
        due_on,
        issued_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('invoice_id', 'issued_at desc') }}
    from checked
)

select * from final
