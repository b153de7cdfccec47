-- A scored week's computed score is exactly the sum of its indicators'
-- contributions, and the effective weights of a scored week sum to one.
with

weekly as (
    select * from {{ ref('fct_customer_health_weekly') }}
),

components as (
    select * from {{ ref('fct_customer_health_components') }}
),

summed as (
    select
        customer_id,
        week_start,
        sum(contribution) as contribution_sum,
        sum(effective_weight) as effective_weight_sum
    from components
    group by 1, 2
),

compared as (
    select
        weekly.customer_id,
        weekly.week_start,
        weekly.computed_score,
        summed.contribution_sum,
        summed.effective_weight_sum
    from weekly
    left join summed
        on
            weekly.customer_id = summed.customer_id
            and weekly.week_start = summed.week_start
    where weekly.is_scored
)

select * from compared
where
    contribution_sum is null
    or abs(computed_score - contribution_sum) > 1e-6
    or abs(effective_weight_sum - 1.0) > 1e-6
