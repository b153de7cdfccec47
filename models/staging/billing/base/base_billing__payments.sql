{#-
    Refunds are stored as negative amounts. A refund exported with a positive
    amount is normalised, not quarantined: its status says what it is. A
    negative amount on a succeeded or failed attempt is out of range.
-#}
{%- set checks = [
    {'when': 'payment_id is null', 'reason': 'missing_key',
     'column': 'payment_id'},
] + customer_checks() + timestamp_checks('attempted_at')
  + category_checks('payment_status') + [
    {'when': 'amount_raw is null', 'reason': 'invalid_value',
     'column': 'amount'},
    {'when': "amount_raw < 0 and payment_status_aliases.standard_value != 'refunded'",
     'reason': 'out_of_range', 'column': 'amount'},
    {'when': 'currency is null or length(currency) != 3',
     'reason': 'invalid_value', 'column': 'currency'},
] -%}

with

source as (
    select * from {{ raw_table('billing', 'payments') }}
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
        {{ trimmed('payment_id') }} as payment_id,
        {{ trimmed('invoice_id') }} as invoice_id,
        {{ trimmed('customer_id') }} as customer_id,
        lower({{ trimmed('payment_status') }}) as payment_status_raw,
        upper({{ trimmed('currency') }}) as currency,
        {{ safe_cast('amount', 'decimal(18, 2)') }} as amount_raw,
        {{ trimmed('attempted_at') }} as attempted_at_raw,
        {{ to_utc_timestamp(trimmed('attempted_at')) }} as attempted_at
    from source
),

checked as (
    select
        parsed.*,
        payment_status_aliases.standard_value as payment_status,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('payment_status', 'payment_status') }}
),

final as (
    select
        _row_id,
        payment_id,
        invoice_id,
        customer_id,
        payment_status,
        currency,
        case
            when payment_status = 'refunded' then -abs(amount_raw)
            else amount_raw
        end as amount,
        coalesce(
            payment_status = 'refunded' and amount_raw > 0, false
        ) as is_refund_sign_corrected,
        attempted_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('payment_id', 'attempted_at desc') }}
    from checked
)

select * from final
