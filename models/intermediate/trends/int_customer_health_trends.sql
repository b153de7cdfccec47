{#-
    One row per customer per subscribed week: how the shown score moves.
    change_1w and change_4w compare with the week before and four weeks
    before (null when that week has no score); slope_8w is the least-squares
    slope of the score over the last eight weeks (points per week, at least
    four scored weeks); trend_label compares it with the trend settings in
    seeds/score_settings.csv. weeks_declining_in_row counts the weeks in a
    row in which the score fell by at least declining_week_points, and
    declining_streak_change is what those weeks lost together. Band
    transitions and the week's top negative and positive driver come with
    it.
-#}
with

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

drivers as (
    select * from {{ ref('int_customer_health_drivers') }}
),

settings as (
    select * from {{ ref('int_score_settings') }}
),

indexed as (
    select
        customer_id,
        week_start,
        health_score,
        health_band,
        {{ dbt.datediff("cast('2000-01-03' as date)", 'week_start', 'day') }}
        / 7 as week_index
    from weekly
),

lagged as (
    select
        indexed.*,
        lag(indexed.week_index) over (
            partition by indexed.customer_id order by indexed.week_start
        ) as previous_week_index,
        lag(indexed.health_score) over (
            partition by indexed.customer_id order by indexed.week_start
        ) as previous_score,
        lag(indexed.health_band) over (
            partition by indexed.customer_id order by indexed.week_start
        ) as previous_band,
        lag(indexed.week_index, 4) over (
            partition by indexed.customer_id order by indexed.week_start
        ) as week_index_4w_before,
        lag(indexed.health_score, 4) over (
            partition by indexed.customer_id order by indexed.week_start
        ) as score_4w_before
    from indexed
),

regression_sums as (
    -- Sums for a least-squares slope over the scored weeks among the last 8.
    select
        lagged.*,
        count(lagged.health_score) over eight_weeks as n_8w,
        sum(
            case
                when lagged.health_score is not null then lagged.week_index
            end
        ) over eight_weeks as sum_x,
        sum(lagged.health_score) over eight_weeks as sum_y,
        sum(lagged.week_index * lagged.health_score) over eight_weeks as sum_xy,
        sum(
            case
                when lagged.health_score is not null
                    then lagged.week_index * lagged.week_index
            end
        ) over eight_weeks as sum_xx
    from lagged
    window eight_weeks as (
        partition by customer_id
        order by week_index
        range between 7 preceding and current row
    )
),

changes as (
    select
        customer_id,
        week_start,
        health_score,
        health_band,
        previous_band,
        case
            when previous_week_index = week_index - 1
                then health_score - previous_score
        end as change_1w,
        case
            when week_index_4w_before = week_index - 4
                then health_score - score_4w_before
        end as change_4w,
        case
            when n_8w >= 4 and n_8w * sum_xx - sum_x * sum_x > 0
                then
                    (n_8w * sum_xy - sum_x * sum_y)
                    / (n_8w * sum_xx - sum_x * sum_x)
        end as slope_8w
    from regression_sums
),

streaks as (
    select
        changes.*,
        case
            when changes.change_1w <= -settings.declining_week_points
                then changes.change_1w
            else 0
        end as declining_week_change,
        -- Weeks in a row in which the score fell by at least
        -- declining_week_points: count since the last week that did not.
        sum(
            case
                when
                    coalesce(changes.change_1w, 0)
                    > -settings.declining_week_points
                    then 1
                else 0
            end
        ) over (
            partition by changes.customer_id order by changes.week_start
            rows between unbounded preceding and current row
        ) as streak_group
    from changes
    cross join settings
),

declining_runs as (
    -- Every streak group starts with a week that did not fall (the first
    -- week counts as not falling), so the weeks after it in the group are
    -- the falling weeks in a row, and their changes add up to the streak's.
    select
        streaks.*,
        row_number() over streak_so_far - 1 as weeks_declining_in_row,
        sum(streaks.declining_week_change) over streak_so_far
            as declining_streak_change
    from streaks
    window streak_so_far as (
        partition by streaks.customer_id, streaks.streak_group
        order by streaks.week_start
        rows between unbounded preceding and current row
    )
),

ranked_drivers as (
    select
        customer_id,
        week_start,
        indicator_key,
        driver_text,
        contribution_change,
        row_number() over (
            partition by customer_id, week_start
            order by contribution_change asc, indicator_key asc
        ) as negative_rank,
        row_number() over (
            partition by customer_id, week_start
            order by contribution_change desc, indicator_key asc
        ) as positive_rank
    from drivers
),

final as (
    select
        declining_runs.customer_id,
        declining_runs.week_start,
        declining_runs.health_score,
        declining_runs.health_band,
        declining_runs.previous_band,
        declining_runs.change_1w,
        declining_runs.change_4w,
        declining_runs.slope_8w,
        declining_runs.weeks_declining_in_row,
        declining_runs.declining_streak_change,
        negative.indicator_key as top_negative_indicator,
        negative.driver_text as top_negative_driver,
        negative.contribution_change as top_negative_change,
        positive.indicator_key as top_positive_indicator,
        positive.driver_text as top_positive_driver,
        positive.contribution_change as top_positive_change,
        case
            when declining_runs.previous_band != declining_runs.health_band
                then
                    declining_runs.previous_band || ' -> '
                    || declining_runs.health_band
        end as band_transition,
        case
            when declining_runs.slope_8w is null then 'unknown'
            when declining_runs.slope_8w >= settings.trend_improving_slope
                then 'improving'
            when declining_runs.slope_8w <= settings.trend_declining_slope
                then 'declining'
            else 'stable'
        end as trend_label
    from declining_runs
    cross join settings
    left join ranked_drivers as negative
        on
            {{ same_customer_week('declining_runs', 'negative') }}
            and negative.negative_rank = 1
            and negative.contribution_change < 0
    left join ranked_drivers as positive
        on
            {{ same_customer_week('declining_runs', 'positive') }}
            and positive.positive_rank = 1
            and positive.contribution_change > 0
)

select * from final
