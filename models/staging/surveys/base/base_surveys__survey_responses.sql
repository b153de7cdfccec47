{%- set checks = [
    {'when': 'response_id is null', 'reason': 'missing_key',
     'column': 'response_id'},
] + customer_checks() + timestamp_checks('responded_at')
  + category_checks('survey_type')
  + open_category_checks('survey_channel', required=false) + [
    {'when': 'score is null', 'reason': 'invalid_value', 'column': 'score'},
    {'when': "survey_type_aliases.standard_value = 'nps'"
        ~ ' and score not between 0 and 10',
     'reason': 'out_of_range', 'column': 'score'},
    {'when': "survey_type_aliases.standard_value = 'csat'"
        ~ ' and score not between 1 and 5',
     'reason': 'out_of_range', 'column': 'score'},
] -%}

with

source as (
    select * from {{ raw_table('surveys', 'survey_responses') }}
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
        {{ trimmed('response_id') }} as response_id,
        {{ trimmed('customer_id') }} as customer_id,
        {{ trimmed('respondent_id') }} as respondent_id,
        lower({{ trimmed('survey_type') }}) as survey_type_raw,
        lower({{ trimmed('survey_channel') }}) as survey_channel_raw,
        {{ safe_cast('score', 'integer') }} as score,
        {{ trimmed('responded_at') }} as responded_at_raw,
        {{ to_utc_timestamp(trimmed('responded_at')) }} as responded_at
    from source
),

checked as (
    select
        parsed.*,
        survey_type_aliases.standard_value as survey_type,
        {{ open_category('survey_channel') }} as survey_channel,
        {{ quarantine_reason(checks) }}
    from parsed
    left join customers on parsed.customer_id = customers.known_customer_id
    {{ category_alias_join('survey_type', 'survey_type') }}
    {{ category_alias_join('survey_channel', 'survey_channel') }}
),

final as (
    select
        _row_id,
        response_id,
        customer_id,
        respondent_id,
        survey_type,
        survey_channel,
        score,
        responded_at,
        _loaded_at,
        _external_id,
        quarantine_reason,
        quarantine_column,
        {{ row_status('response_id', 'responded_at desc') }}
    from checked
)

select * from final
