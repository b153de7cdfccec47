{#-
    Accounts for every raw row: raw_rows = staged_rows + quarantined_rows
    + duplicate_rows for each source table.
-#}
with

{% for source_table, base_model, _ in staged_tables() %}
{{ base_model }} as (
    select
        '{{ source_table }}' as source_table,
        count(*) as raw_rows,
        count(case when row_status = 'staged' then 1 end)
            as staged_rows,
        count(case when row_status = 'quarantined' then 1 end)
            as quarantined_rows,
        count(case when row_status = 'duplicate' then 1 end)
            as duplicate_rows,
        max(_loaded_at) as loaded_at
    from {{ ref(base_model) }}
),

{% endfor %}
final as (
    {%- for _, base_model, _ in staged_tables() %}
    select * from {{ base_model }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
