{#-
    One row per customer per subscribed week in which the customer is still
    subscribed at the week's end (the instant the week's score is made): what
    happened next, from the subscriptions alone. next_churned_at is the end of
    the customer's current spell when that spell is an observed churn
    (int_subscription_spells); next_downgraded_at the start of the first
    downgrade period after the week. known_horizon_weeks is the longest
    horizon (in whole weeks after week_end) whose outcome is fully observed on
    the as-of date: a churn can only be told from a pause once the grace
    period after it has passed, so the horizon plus the grace period must lie
    before the as-of date; it is null in a spell whose end is uncertain (a
    quarantined subscription row may continue it). The backtest and the churn-risk training use
    horizons up to it only, so no week's label reads the future.
-#}
with

customer_weeks as (
    select * from {{ ref('int_customer_weeks') }}
),

spells as (
    select * from {{ ref('int_subscription_spells') }}
),

periods as (
    select * from {{ ref('int_subscription_periods') }}
),

weeks_in_spells as (
    -- The spell that covers the week's end; a customer whose spell ended
    -- inside the week has already left when the score is made.
    select
        customer_weeks.customer_id,
        customer_weeks.week_start,
        customer_weeks.week_end,
        customer_weeks.segment,
        customer_weeks.mrr_amount,
        spells.spell_number,
        spells.ended_at as spell_ended_at,
        spells.is_churned,
        spells.has_uncertain_end
    from customer_weeks
    inner join spells
        on
            customer_weeks.customer_id = spells.customer_id
            and customer_weeks.week_end > spells.started_at
            and (
                spells.ended_at is null
                or customer_weeks.week_end <= spells.ended_at
            )
    where customer_weeks.is_subscribed
),

next_downgrades as (
    select
        weeks_in_spells.customer_id,
        weeks_in_spells.week_start,
        min(periods.started_at) as next_downgraded_at
    from weeks_in_spells
    inner join periods
        on
            weeks_in_spells.customer_id = periods.customer_id
            and weeks_in_spells.week_end <= periods.started_at
            and periods.change_type = 'downgrade'
    group by 1, 2
),

as_of as (
    select max(as_of_date) as as_of_date from {{ ref('int_weeks') }}
),

final as (
    select
        weeks_in_spells.customer_id,
        weeks_in_spells.week_start,
        weeks_in_spells.segment,
        weeks_in_spells.spell_number,
        cast(weeks_in_spells.mrr_amount * 12 as {{ type_double() }})
            as arr_amount,
        case
            -- What follows a spell with an uncertain end is never known.
            when not weeks_in_spells.has_uncertain_end
                then cast(floor(
                    {{ dbt.datediff(
                        'weeks_in_spells.week_end',
                        add_days('as_of.as_of_date', 1 - var('churn_grace_days')),
                        'day'
                    ) }} / 7.0
                ) as integer)
        end as known_horizon_weeks,
        weeks_in_spells.week_end,
        case
            when weeks_in_spells.is_churned
                then weeks_in_spells.spell_ended_at
        end as next_churned_at,
        next_downgrades.next_downgraded_at
    from weeks_in_spells
    left join next_downgrades
        on {{ same_customer_week('weeks_in_spells', 'next_downgrades') }}
    cross join as_of
)

select * from final
