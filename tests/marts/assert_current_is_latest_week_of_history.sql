-- The current mart is the latest week of the weekly history, value for value.
with

weekly as (
    select * from {{ ref('fct_customer_health_weekly') }}
),

current_scores as (
    select * from {{ ref('fct_customer_health_current') }}
),

latest as (
    select
        customer_id,
        max(week_start) as week_start
    from weekly
    group by 1
),

compared as (
    select
        latest.customer_id,
        current_scores.week_start as current_week,
        latest.week_start as latest_week,
        weekly.health_score as weekly_score,
        current_scores.health_score as current_score,
        weekly.health_band as weekly_band,
        current_scores.health_band as current_band
    from latest
    inner join weekly
        on
            latest.customer_id = weekly.customer_id
            and latest.week_start = weekly.week_start
    left join current_scores
        on latest.customer_id = current_scores.customer_id
)

select * from compared
where
    current_week is null
    or current_week != latest_week
    or coalesce(weekly_score, -1) != coalesce(current_score, -1)
    or weekly_band != current_band
