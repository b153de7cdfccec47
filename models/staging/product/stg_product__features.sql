with

features as (
    select * from {{ ref('base_product__features') }}
),

final as (
    select
        feature_key,
        feature_name,
        feature_category,
        is_key_feature,
        released_on
    from features
    where row_status = 'staged'
)

select * from final
