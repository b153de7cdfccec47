{#-
    One row per raw table: whether its data is present for this build. A
    table is absent when the loader found no file for it, or when the
    disabled_sources var names it (switching a source off without touching
    the raw folder). Absent tables' indicators are missing, not zero.
-#}
with

source as (
    select * from {{ source('loader', 'source_presence') }}
),

final as (
    select
        relation,
        source as source_name,
        table_name,
        provided_by,
        cast(row_count as {{ dbt.type_bigint() }}) as row_count,
        is_required,
        is_present
        and relation not in (
            {%- for disabled in var('disabled_sources') %}
            '{{ disabled }}',
            {%- endfor %}
            ''
        ) as is_present,
        loaded_at
    from source
)

select * from final
