{#-
    One row per customer per subscribed week: how the shown score moves
    (changes, eight-week slope, trend label, declining streak, band
    transition and top drivers), as computed in int_customer_health_trends.
-#}
with

trends as (
    select * from {{ ref('int_customer_health_trends') }}
)

select * from trends
