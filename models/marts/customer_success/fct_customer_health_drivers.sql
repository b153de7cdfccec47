{#-
    What drove each week's score change: one row per customer per scored week
    per indicator whose previous week was scored too, with the contribution
    this week and the week before, the change and the words a
    customer-success manager reads (int_customer_health_drivers).
-#}
with

drivers as (
    select * from {{ ref('int_customer_health_drivers') }}
),

final as (
    select
        drivers.customer_id,
        drivers.week_start,
        drivers.indicator_key,
        drivers.family,
        drivers.raw_value,
        drivers.previous_raw_value,
        drivers.contribution,
        drivers.previous_contribution,
        drivers.contribution_change,
        drivers.driver_text
    from drivers
)

select * from final
