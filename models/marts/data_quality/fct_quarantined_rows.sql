{#-
    Every raw row that staging refused, with the reason. The raw values stay
    in the raw schema: raw.<source>_<table> where _row_id = raw_row_id.
-#}
with

{% for source_table, base_model, key in staged_tables() %}
{{ base_model }} as (
    select
        '{{ source_table }}' as source_table,
        _row_id as raw_row_id,
        cast({{ key }} as {{ dbt.type_string() }}) as record_id,
        {{ 'customer_id' if key != 'feature_key' else 'null' }}
            as customer_id,
        quarantine_reason,
        quarantine_column,
        _loaded_at as loaded_at
    from {{ ref(base_model) }}
    where row_status = 'quarantined'
),

{% endfor %}
unioned as (
    {%- for _, base_model, _ in staged_tables() %}
    select * from {{ base_model }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

reasons as (
    select * from {{ ref('quarantine_reasons') }}
),

final as (
    select
        unioned.source_table,
        unioned.raw_row_id,
        unioned.record_id,
        unioned.customer_id,
        unioned.quarantine_reason,
        unioned.quarantine_column,
        reasons.description as reason_description,
        unioned.loaded_at
    from unioned
    left join reasons
        on unioned.quarantine_reason = reasons.quarantine_reason
)

select * from final
