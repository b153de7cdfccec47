{#-
    One row per customer per subscribed week per indicator: what the score is
    made of (int_indicator_contributions). A scored week's computed_score is
    exactly the sum of its contributions.
-#}
with

contributions as (
    select * from {{ ref('int_indicator_contributions') }}
)

select * from contributions
