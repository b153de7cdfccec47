{#-
    One row per raw row that staging refused, across all source tables: the
    table, the raw row id, the row's key and customer as delivered, and the
    reason. The raw values stay in the raw schema.
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
        {{ '_external_id' if key != 'feature_key' else 'null' }}
            as external_id,
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
)

select * from unioned
