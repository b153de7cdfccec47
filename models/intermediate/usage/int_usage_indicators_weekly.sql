{#-
    Usage indicators, one row per customer per week of the grid, using only
    events that occurred before the end of the week. Trailing 28 days are the
    week and the three before it.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

customer_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_customer_weeks') }}
),

user_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_user_weeks') }}
),

feature_weeks as (
    select * from {{ ref('int_usage_events_aggregated_to_feature_weeks') }}
),

grid_starts as (
    select
        customer_id,
        min(week_start) as grid_start
    from grid
    group by 1
),

key_feature_weeks as (
    select * from feature_weeks
    where is_key_feature
),

user_deltas as (
    {{ trailing_distinct_deltas(
        'user_weeks', 'user_id', 4, 'grid_starts'
    ) }}
),

feature_deltas as (
    {{ trailing_distinct_deltas(
        'feature_weeks', 'feature_key', 4, 'grid_starts'
    ) }}
),

key_feature_deltas as (
    {{ trailing_distinct_deltas(
        'key_feature_weeks', 'feature_key', 4, 'grid_starts'
    ) }}
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        grid.week_end,
        grid.seats,
        customer_weeks.last_event_at,
        customer_weeks.last_key_feature_at,
        coalesce(customer_weeks.events, 0) as events,
        coalesce(customer_weeks.active_days, 0) as active_days,
        coalesce(user_deltas.delta, 0) as user_delta,
        coalesce(feature_deltas.delta, 0) as feature_delta,
        coalesce(key_feature_deltas.delta, 0) as key_feature_delta
    from grid
    left join customer_weeks
        on {{ same_customer_week('grid', 'customer_weeks') }}
    left join user_deltas
        on {{ same_customer_week('grid', 'user_deltas') }}
    left join feature_deltas
        on {{ same_customer_week('grid', 'feature_deltas') }}
    left join key_feature_deltas
        on {{ same_customer_week('grid', 'key_feature_deltas') }}
),

windowed as (
    select
        customer_id,
        week_start,
        week_end,
        seats,
        {{ trailing_sum('active_days', 4) }} as active_days_28d,
        {{ trailing_sum('events', 4) }} as events_28d,
        {{ trailing_sum('events', 4, offset_weeks=4) }} as events_prior_28d,
        sum(user_delta) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as active_users_28d,
        sum(feature_delta) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as feature_breadth_28d,
        sum(key_feature_delta) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as key_features_used_28d,
        max(last_event_at) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as last_event_at,
        max(last_key_feature_at) over (
            partition by customer_id order by week_start
            rows between unbounded preceding and current row
        ) as last_key_feature_at
    from joined
),

final as (
    select
        customer_id,
        week_start,
        active_days_28d,
        active_users_28d,
        case
            when seats > 0 then active_users_28d * 1.0 / seats
        end as seat_utilisation_28d,
        feature_breadth_28d,
        key_features_used_28d,
        case
            when events_prior_28d > 0
                then
                    100.0 * (events_28d - events_prior_28d) / events_prior_28d
        end as usage_trend_28d_pct,
        {{ days_between('last_event_at', 'week_end') }}
            as days_since_last_activity,
        {{ days_between('last_key_feature_at', 'week_end') }}
            as days_since_key_feature_use
    from windowed
)

select * from final
