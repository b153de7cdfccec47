{#-
    Every raw row that staging refused, with the reason. The raw values stay
    in the raw schema: raw.<source>_<table> where _row_id = raw_row_id.
-#}
with

unioned as (
    select * from {{ ref('int_quarantined_rows') }}
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
        unioned.external_id,
        unioned.quarantine_reason,
        unioned.quarantine_column,
        reasons.description as reason_description,
        unioned.loaded_at
    from unioned
    left join reasons
        on unioned.quarantine_reason = reasons.quarantine_reason
)

select * from final
