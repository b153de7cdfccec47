{#-
    One row per customer per week per backtest horizon (var
    backtest_horizon_weeks) whose outcome is fully observed: the origin of a
    rolling-origin backtest. The customer is subscribed at the week's end;
    is_churned says the customer churned within the horizon, is_downgraded
    that a downgrade started within it. Origins are grouped into backtest
    windows of var backtest_window_weeks weeks counted back from the newest
    origin with a known outcome (window_number 0 is the latest complete
    window, 1 the one before, ...).
-#}
with

outcomes as (
    select * from {{ ref('int_customer_week_outcomes') }}
),

horizons as (
    {% for horizon in var('backtest_horizon_weeks') -%}
    select {{ horizon }} as horizon_weeks
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

known as (
    select
        outcomes.customer_id,
        outcomes.week_start,
        outcomes.segment,
        outcomes.spell_number,
        horizons.horizon_weeks,
        outcomes.arr_amount,
        coalesce(
            outcomes.next_churned_at
            < {{ dbt.dateadd(
                'day', '7 * horizons.horizon_weeks', 'outcomes.week_end'
            ) }},
            false
        ) as is_churned,
        coalesce(
            outcomes.next_downgraded_at
            < {{ dbt.dateadd(
                'day', '7 * horizons.horizon_weeks', 'outcomes.week_end'
            ) }},
            false
        ) as is_downgraded,
        outcomes.week_end,
        outcomes.next_churned_at
    from outcomes
    cross join horizons
    where outcomes.known_horizon_weeks >= horizons.horizon_weeks
),

newest as (
    select
        horizon_weeks,
        max(week_start) as newest_week_start
    from known
    group by 1
),

final as (
    select
        known.customer_id,
        known.week_start,
        known.horizon_weeks,
        known.segment,
        known.spell_number,
        cast(floor(
            {{ dbt.datediff(
                'known.week_start', 'newest.newest_week_start', 'day'
            ) }}
            / (7.0 * {{ var('backtest_window_weeks') }})
        ) as integer) as window_number,
        known.arr_amount,
        known.is_churned,
        known.is_downgraded,
        known.week_end,
        known.next_churned_at
    from known
    inner join newest
        on known.horizon_weeks = newest.horizon_weeks
)

select * from final
