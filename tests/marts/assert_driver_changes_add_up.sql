-- For every week with drivers, the contribution changes add up to the change
-- of computed_score against the week before.
with

drivers as (
    select * from {{ ref('fct_customer_health_drivers') }}
),

weekly as (
    select * from {{ ref('fct_customer_health_weekly') }}
),

summed as (
    select
        customer_id,
        week_start,
        sum(contribution_change) as change_sum
    from drivers
    group by 1, 2
),

compared as (
    select
        summed.customer_id,
        summed.week_start,
        summed.change_sum,
        this_week.computed_score - previous_week.computed_score as score_change
    from summed
    inner join weekly as this_week
        on
            summed.customer_id = this_week.customer_id
            and summed.week_start = this_week.week_start
    inner join weekly as previous_week
        on
            summed.customer_id = previous_week.customer_id
            and {{ add_days('summed.week_start', -7) }}
            = previous_week.week_start
)

select * from compared
where abs(change_sum - score_change) > 1e-5
