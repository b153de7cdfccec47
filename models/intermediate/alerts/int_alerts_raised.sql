{#-
    One row per raised alert: customer, rule and the week it was raised in.
    Dedupe rule: an alert is raised once per occurrence, in the first week
    of each run of consecutive subscribed weeks in which the rule's condition
    holds (int_alert_conditions); it is raised again only after a week in
    which the condition did not hold. For entered_red that means on entering
    the band, not every week spent in it. The alert keeps the words and the
    event date of that first week (int_alert_conditions).
-#}
with

conditions as (
    select * from {{ ref('int_alert_conditions') }}
),

onsets as (
    select
        customer_id,
        week_start,
        rule_key,
        alert_message,
        is_met,
        event_date,
        lag(is_met) over (
            partition by customer_id, rule_key order by week_start
        ) as was_met
    from conditions
),

final as (
    select
        customer_id,
        week_start,
        rule_key,
        alert_message,
        event_date
    from onsets
    where is_met and not coalesce(was_met, false)
)

select * from final
