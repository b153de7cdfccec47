{%- set checks = [
    {'when': 'feature_key is null', 'reason': 'missing_key',
     'column': 'feature_key'},
    {'when': 'is_key_feature is null', 'reason': 'invalid_value',
     'column': 'is_key_feature'},
    {'when': 'released_on_raw is not null and released_on is null',
     'reason': 'invalid_value', 'column': 'released_on'},
] -%}

with

source as (
    select * from {{ raw_table('product', 'features') }}
),

parsed as (
    select
        _row_id,
        _loaded_at,
        lower({{ trimmed('feature_key') }}) as feature_key,
        {{ trimmed('feature_name') }} as feature_name,
        lower({{ trimmed('feature_category') }}) as feature_category,
        {{ safe_cast('is_key_feature', 'boolean') }} as is_key_feature,
        {{ trimmed('released_on') }} as released_on_raw,
        {{ to_date(trimmed('released_on')) }} as released_on
    from source
),

checked as (
    select
        parsed.*,
        {{ quarantine_reason(checks) }}
    from parsed
),

final as (
    select
        _row_id,
        feature_key,
        feature_name,
        feature_category,
        is_key_feature,
        released_on,
        _loaded_at,
        quarantine_reason,
        quarantine_column,
        {{ row_status('feature_key', 'released_on desc') }}
    from checked
)

select * from final
