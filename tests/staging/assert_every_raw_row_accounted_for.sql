{#-
    Every raw row is staged, quarantined or removed as a duplicate: the raw
    table's own row count (read from the source, not from the models) equals
    the sum of the three. A table a source adapter delivers counts the rows
    of the landed tables it is made of (landed_tables()). Returns the tables
    where it does not hold.
-#}
with

{% for source_table, _, _ in staged_tables() %}
raw_{{ loop.index }} as (
    select
        '{{ source_table }}' as source_table,
        0
        {%- for landed in landed_tables(source_table) %}
        + (select count(*) from {{ source(*landed.split('.')) }})
        {%- endfor %} as raw_rows
),

{% endfor %}
raw_counts as (
    {%- for _ in staged_tables() %}
    select * from raw_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

reconciliation as (
    select * from {{ ref('fct_staging_reconciliation') }}
),

compared as (
    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        reconciliation.staged_rows,
        reconciliation.quarantined_rows,
        reconciliation.duplicate_rows
    from raw_counts
    left join reconciliation
        on raw_counts.source_table = reconciliation.source_table
    where
        reconciliation.source_table is null
        or raw_counts.raw_rows != reconciliation.staged_rows
        + reconciliation.quarantined_rows
        + reconciliation.duplicate_rows
)

select * from compared
