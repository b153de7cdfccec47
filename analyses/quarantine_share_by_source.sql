-- Share of each source table's raw rows that staging refused, by reason:
-- where to start when asking a source owner to fix an export.
with

reconciliation as (
    select * from {{ ref('fct_staging_reconciliation') }}
),

quarantined as (
    select * from {{ ref('fct_quarantined_rows') }}
),

reasons_counted as (
    select
        source_table,
        quarantine_reason,
        quarantine_column,
        count(*) as quarantined_rows
    from quarantined
    group by 1, 2, 3
),

final as (
    select
        reasons_counted.source_table,
        reasons_counted.quarantine_reason,
        reasons_counted.quarantine_column,
        reasons_counted.quarantined_rows,
        round(
            100.0 * reasons_counted.quarantined_rows
            / nullif(reconciliation.raw_rows, 0),
            2
        ) as share_of_raw_rows_pct
    from reasons_counted
    inner join reconciliation
        on reasons_counted.source_table = reconciliation.source_table
)

select * from final
order by 5 desc
