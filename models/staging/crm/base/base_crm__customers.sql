{%- set checks = [
    {'when': 'customer_id is null', 'reason': 'missing_key',
     'column': 'customer_id'},
] + category_checks('segment') + category_checks('business_type')
  + timestamp_checks('signup_at') + timestamp_checks('updated_at') + [
    {'when': "country_code is null or length(country_code) != 2",
     'reason': 'invalid_value', 'column': 'country_code'},
] -%}

with

source as (
    select * from {{ source('crm', 'customers') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        {{ trimmed('customer_id') }} as customer_id,
        {{ trimmed('customer_name') }} as customer_name,
        lower({{ trimmed('contact_email') }}) as contact_email,
        upper({{ trimmed('country_code') }}) as country_code,
        lower({{ trimmed('segment') }}) as segment_raw,
        lower({{ trimmed('business_type') }}) as business_type_raw,
        {{ trimmed('csm_owner') }} as csm_owner,
        {{ trimmed('signup_at') }} as signup_at_raw,
        {{ to_utc_timestamp(trimmed('signup_at')) }} as signup_at,
        {{ trimmed('updated_at') }} as updated_at_raw,
        {{ to_utc_timestamp(trimmed('updated_at')) }} as updated_at
    from source
),

checked as (
    select
        parsed.*,
        segment_aliases.standard_value as segment,
        business_type_aliases.standard_value as business_type,
        {{ quarantine_reason(checks) }}
    from parsed
    {{ category_alias_join('segment', 'segment') }}
    {{ category_alias_join('business_type', 'business_type') }}
),

final as (
    select
        _row_id,
        customer_id,
        customer_name,
        contact_email,
        country_code,
        segment,
        business_type,
        csm_owner,
        signup_at,
        updated_at,
        _loaded_at,
        quarantine_reason,
        quarantine_column,
        {{ row_status('customer_id', 'updated_at desc') }}
    from checked
)

select * from final
