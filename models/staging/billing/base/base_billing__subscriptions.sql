{%- set checks = [
    {'when': 'subscription_id is null', 'reason': 'missing_key',
     'column': 'subscription_id'},
] + customer_checks() + timestamp_checks('started_at')
  + timestamp_checks('ended_at', required=false) + [
    {'when': 'renews_on_raw is not null and renews_on is null',
     'reason': 'invalid_value', 'column': 'renews_on'},
] + open_category_checks('plan_name') + category_checks('change_type') + [
    {'when': 'seats is null', 'reason': 'invalid_value', 'column': 'seats'},
    {'when': 'seats < 0', 'reason': 'out_of_range', 'column': 'seats'},
    {'when': 'mrr_amount is null', 'reason': 'invalid_value',
     'column': 'mrr_amount'},
    {'when': 'mrr_amount < 0', 'reason': 'out_of_range',
     'column': 'mrr_amount'},
    {'when': 'currency is null or length(currency) != 3',
     'reason': 'invalid_value', 'column': 'currency'},
    {'when': 'ended_at < started_at', 'reason': 'inconsistent_timestamps',
     'column': 'ended_at'},
] -%}

with

source as (
    select * from {{ raw_table('billing', 'subscriptions') }}
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
        {{ trimmed('subscription_id') }} as subscription_id,
        {{ trimmed('customer_id') }} as customer_id,
        lower({{ trimmed('plan_name') }}) as plan_name_raw,
        lower({{ trimmed('change_type') }}) as change_type_raw,
        upper({{ trimmed('currency') }}) as currency,
        {{ safe_cast('seats', 'integer') }} as seats,
        {{ safe_cast('mrr_amount', 'decimal(18, 2)') }} as mrr_amount,
        {{ trimmed('started_at') }} as started_at_raw,
        {{ to_utc_timestamp(trimmed('started_at')) }} as started_at,
        {{ trimmed('ended_at') }} as ended_at_raw,
        {{ to_utc_timestamp(trimmed('ended_at')) }} as ended_at,
        {{ trimmed('renews_on') }} as renews_on_raw,
        {{ to_date(trimmed('renews_on')) }} as renews_on
    from source
),

checked as (
    select
        parsed.*,
        {{ open_category('plan_name') }} as plan_name,
        change_type_aliases.standard_value as change_type,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('plan_name', 'plan') }}
    {{ category_alias_join('change_type', 'subscription_change') }}
),

final as (
    select
        _row_id,
        subscription_id,
        customer_id,
        plan_name,
        change_type,
        currency,
        seats,
        mrr_amount,
        renews_on,
        started_at,
        ended_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('subscription_id', 'started_at desc') }}
    from checked
)

select * from final
