{#-
    One row per customer and week in which the customer's champion went
    quiet: the user with the most events in a week (at least the rule's
    threshold of events) who then had no event in the two weeks after it.
    The row's week is the second quiet week, when the silence is known;
    the champion's last event (in its champion week) dates the silence.
-#}
with

user_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_user_weeks') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
    where rule_key = 'champion_quiet'
),

ranked as (
    select
        customer_id,
        user_id,
        week_start,
        events,
        last_event_at,
        row_number() over (
            partition by customer_id, week_start
            order by events desc, user_id asc
        ) as rank_in_week,
        lead(week_start) over (
            partition by customer_id, user_id order by week_start
        ) as next_active_week_start
    from user_weeks
),

final as (
    select
        ranked.customer_id,
        {{ add_days('ranked.week_start', 14) }} as week_start,
        ranked.user_id as champion_user_id,
        ranked.events as champion_events,
        ranked.week_start as champion_week_start,
        ranked.last_event_at as champion_last_event_at
    from ranked
    cross join rules
    where
        ranked.rank_in_week = 1
        and ranked.events >= rules.threshold
        and (
            ranked.next_active_week_start is null
            or ranked.next_active_week_start
            > {{ add_days('ranked.week_start', 14) }}
        )
)

select * from final
