{%- set checks = [
    {'when': 'ticket_id is null', 'reason': 'missing_key',
     'column': 'ticket_id'},
    {'when': "ticket_status_raw = 'deleted'", 'reason': 'deleted_in_source',
     'column': 'ticket_status'},
] + customer_checks() + timestamp_checks('opened_at')
  + timestamp_checks('first_response_at', required=false)
  + timestamp_checks('resolved_at', required=false)
  + category_checks('priority') + open_category_checks('ticket_status')
  + open_category_checks('channel')
  + category_checks('satisfaction_label', required=false) + [
    {'when': 'is_escalated_raw is not null and is_escalated is null',
     'reason': 'invalid_value', 'column': 'is_escalated'},
    {'when': 'satisfaction_rating_raw is not null'
        ~ ' and satisfaction_rating is null',
     'reason': 'invalid_value', 'column': 'satisfaction_rating'},
    {'when': 'satisfaction_rating not between 1 and 5',
     'reason': 'out_of_range', 'column': 'satisfaction_rating'},
    {'when': 'first_response_at < opened_at',
     'reason': 'inconsistent_timestamps', 'column': 'first_response_at'},
    {'when': 'resolved_at < opened_at',
     'reason': 'inconsistent_timestamps', 'column': 'resolved_at'},
] -%}

with

source as (
    select * from {{ raw_table('support', 'tickets') }}
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
        {{ trimmed('ticket_id') }} as ticket_id,
        {{ trimmed('customer_id') }} as customer_id,
        lower({{ trimmed('priority') }}) as priority_raw,
        lower({{ trimmed('ticket_status') }}) as ticket_status_raw,
        lower({{ trimmed('channel') }}) as channel_raw,
        {{ trimmed('satisfaction_rating') }}
            as satisfaction_rating_raw,
        {{ safe_cast('satisfaction_rating', 'integer') }}
            as satisfaction_rating,
        lower({{ trimmed('satisfaction_label') }}) as satisfaction_label_raw,
        {{ trimmed('is_escalated') }} as is_escalated_raw,
        {{ safe_cast('is_escalated', 'boolean') }} as is_escalated,
        {{ trimmed('opened_at') }} as opened_at_raw,
        {{ to_utc_timestamp(trimmed('opened_at')) }} as opened_at,
        {{ trimmed('first_response_at') }} as first_response_at_raw,
        {{ to_utc_timestamp(trimmed('first_response_at')) }}
            as first_response_at,
        {{ trimmed('resolved_at') }} as resolved_at_raw,
        {{ to_utc_timestamp(trimmed('resolved_at')) }} as resolved_at
    from source
),

checked as (
    select
        parsed.*,
        priority_aliases.standard_value as priority,
        {{ open_category('ticket_status') }} as ticket_status,
        {{ open_category('channel') }} as channel,
        satisfaction_label_aliases.standard_value as satisfaction_label,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('priority', 'ticket_priority') }}
    {{ category_alias_join('ticket_status', 'ticket_status') }}
    {{ category_alias_join('channel', 'ticket_channel') }}
    {{ category_alias_join(
        'satisfaction_label', 'ticket_satisfaction_label'
    ) }}
),

final as (
    select
        _row_id,
        ticket_id,
        customer_id,
        priority,
        ticket_status,
        channel,
        satisfaction_rating,
        satisfaction_label,
        is_escalated,
        opened_at,
        first_response_at,
        resolved_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('ticket_id', 'opened_at desc') }}
    from checked
)

select * from final
