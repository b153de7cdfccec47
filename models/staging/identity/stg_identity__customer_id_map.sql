{#-
    The identity map the source adapters use: the seed's hand-kept entries
    (seeds/customer_id_map.csv) and the delivered map, where a vendor id in
    the seed overrides the delivered one.
-#}
with

seeded as (
    select * from {{ ref('customer_id_map') }}
),

delivered as (
    select * from {{ ref('base_identity__customer_id_map') }}
    where row_status = 'staged'
),

seeded_cleaned as (
    select
        lower(trim(source_system)) as source_system,
        trim(external_id) as external_id,
        trim(customer_id) as customer_id,
        'seed' as mapped_by
    from seeded
),

delivered_not_seeded as (
    select
        delivered.source_system,
        delivered.external_id,
        delivered.customer_id,
        'delivered' as mapped_by
    from delivered
    left join seeded_cleaned
        on
            delivered.source_system = seeded_cleaned.source_system
            and delivered.external_id = seeded_cleaned.external_id
    where seeded_cleaned.external_id is null
),

final as (
    select * from seeded_cleaned
    union all
    select * from delivered_not_seeded
)

select * from final
