{#-
    What drove each week's score change: one row per customer per scored week
    per indicator whose previous week was scored too, with the contribution
    this week and the week before, the change and the words a
    customer-success manager reads (int_customer_health_drivers).
-#}
with

drivers as (
    select * from {{ ref('int_customer_health_drivers') }}
)

select * from drivers
