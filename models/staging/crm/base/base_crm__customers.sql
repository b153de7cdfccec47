{#-
    A customer is too important to refuse for a bad signup date: the row is
    staged with signup_at null and the problem named in signup_at_issue
    (later models fall back to the first subscription). Every other failed
    check quarantines the row.
-#}
{%- set checks = identity_checks() + hierarchy_checks('crm.customers') + [
    {'when': 'customer_id is null', 'reason': 'missing_key',
     'column': 'customer_id'},
] + category_checks('segment') + category_checks('business_type')
  + timestamp_checks('updated_at') + [
    {'when': "country_code is null or length(country_code) != 2",
     'reason': 'invalid_value', 'column': 'country_code'},
] -%}

with

source as (
    select * from {{ raw_table('crm', 'customers') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        _external_id,
        {{ trimmed('customer_id') }} as customer_id,
        {{ trimmed('customer_name') }} as customer_name,
        lower({{ trimmed('contact_email') }}) as contact_email,
        upper({{ trimmed('country_code') }}) as country_code,
        lower({{ trimmed('segment') }}) as segment_raw,
        lower({{ trimmed('business_type') }}) as business_type_raw,
        {{ trimmed('csm_owner') }} as csm_owner,
        {{ trimmed('signup_at') }} as signup_at_raw,
        {{ to_utc_timestamp(trimmed('signup_at')) }} as signup_at_parsed,
        {{ trimmed('updated_at') }} as updated_at_raw,
        {{ to_utc_timestamp(trimmed('updated_at')) }} as updated_at
    from source
),

checked as (
    select
        parsed.*,
        case
            when parsed.signup_at_raw is null then 'missing_value'
            when parsed.signup_at_parsed is null then 'invalid_timestamp'
            when parsed.signup_at_parsed > {{ dbt.dateadd(
                'hour', var('future_tolerance_hours'), 'parsed._loaded_at'
            ) }} then 'future_timestamp'
        end as signup_at_issue,
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
        signup_at_issue,
        case
            when signup_at_issue is null then signup_at_parsed
        end as signup_at,
        updated_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('customer_id', 'updated_at desc') }}
    from checked
)

select * from final
