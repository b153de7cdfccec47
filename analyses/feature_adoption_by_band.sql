-- Weak spots of the product: for each feature, the share of customers in
-- each band (latest complete week) that used it in the trailing 28 days.
-- A key feature that red customers skip and green customers use is where
-- onboarding should start.
with

current_scores as (
    select * from {{ ref('fct_customer_health_current') }}
    where is_active
),

feature_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_feature_weeks') }}
),

features as (
    select * from {{ ref('stg_product__features') }}
),

used_recently as (
    select distinct
        current_scores.customer_id,
        feature_weeks.feature_key
    from current_scores
    inner join feature_weeks
        on
            current_scores.customer_id = feature_weeks.customer_id
            and {{ add_days('current_scores.week_start', -28) }}
            < feature_weeks.week_start
            and current_scores.week_start >= feature_weeks.week_start
),

band_sizes as (
    select
        health_band,
        count(*) as customers
    from current_scores
    group by 1
),

adoption as (
    select
        features.feature_key,
        features.is_key_feature,
        band_sizes.health_band,
        band_sizes.customers,
        count(used_recently.customer_id) as customers_using
    from features
    cross join band_sizes
    left join current_scores
        on band_sizes.health_band = current_scores.health_band
    left join used_recently
        on
            current_scores.customer_id = used_recently.customer_id
            and features.feature_key = used_recently.feature_key
    group by 1, 2, 3, 4
),

final as (
    select
        feature_key,
        is_key_feature,
        health_band,
        customers,
        customers_using,
        round(100.0 * customers_using / customers, 1) as adoption_pct
    from adoption
)

select * from final
order by 2 desc, 1 asc, 3 asc
