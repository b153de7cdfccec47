{#-
    One row per week, segment and band movement (from the band of the
    customer's previous subscribed week to this week's band, including
    staying): customers and ARR that moved.
-#}
with

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

movements as (
    select
        weekly.week_start,
        weekly.segment,
        trends.previous_band as from_band,
        trends.health_band as to_band,
        weekly.mrr_amount * 12 as arr
    from trends
    inner join weekly
        on {{ same_customer_week('trends', 'weekly') }}
    where trends.previous_band is not null
),

final as (
    select
        week_start,
        segment,
        from_band,
        to_band,
        count(*) as customers,
        cast(sum(arr) as {{ type_double() }}) as arr,
        from_band != to_band as is_change
    from movements
    group by 1, 2, 3, 4
)

select * from final
