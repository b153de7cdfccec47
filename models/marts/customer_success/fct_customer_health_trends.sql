{#-
    One row per customer per subscribed week: how the shown score moves
    (changes, eight-week slope, trend label, declining streak, band
    transition and top drivers), as computed in int_customer_health_trends.
-#}
with

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

final as (
    select
        trends.customer_id,
        trends.week_start,
        trends.health_score,
        trends.health_band,
        trends.previous_band,
        trends.band_transition,
        trends.change_1w,
        trends.change_4w,
        trends.slope_8w,
        trends.trend_label,
        trends.weeks_declining_in_row,
        trends.top_negative_indicator,
        trends.top_negative_driver,
        trends.top_negative_change,
        trends.top_positive_indicator,
        trends.top_positive_driver,
        trends.top_positive_change
    from trends
)

select * from final
