-- What customers in the red band have in common: for each indicator, the
-- mean normalised score of red customers next to that of the others, in
-- the latest complete week. The largest gaps are the weak spots shared by
-- the customers most at risk.
with

current_scores as (
    select * from {{ ref('fct_customer_health_current') }}
    where is_active and is_scored
),

components as (
    select * from {{ ref('fct_customer_health_components') }}
),

latest_components as (
    select
        components.indicator_key,
        components.family,
        components.normalised_score,
        current_scores.health_band = 'red' as is_red
    from components
    inner join current_scores
        on
            components.customer_id = current_scores.customer_id
            and components.week_start = current_scores.week_start
    where components.is_present
),

final as (
    select
        indicator_key,
        family,
        avg(case when is_red then normalised_score end) as red_mean_score,
        avg(case when not is_red then normalised_score end)
            as others_mean_score,
        avg(case when not is_red then normalised_score end)
        - avg(case when is_red then normalised_score end) as gap
    from latest_components
    group by 1, 2
)

select * from final
order by 5 desc
