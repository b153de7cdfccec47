{#-
    One row per subscription spell of a customer: a run of subscription
    periods with no gap longer than the churn grace period (var
    churn_grace_days) between them. A spell that ends, and is not followed
    by another period within the grace period, is a churn at its end; a later
    subscription of change type 'new' starts a new spell (a reactivation, a
    return). Observed churn is derived only from the subscriptions a company
    has, and stays honest about what it cannot know:
    - a period that follows a longer gap as a renewal, upgrade or downgrade
      says the customer never left (a period is missing from the data), so
      the spell goes on;
    - a spell that ended while the customer has a subscription row that
      staging quarantined (and int_subscription_periods could not rescue)
      starting at or after the spell's start, or at an unknown time (its
      start unreadable, missing or in the future), may have been continued
      by that row: has_uncertain_end, and it is not counted as a churn.
      doubted_from says since when such a row exists (the spell's start for
      a row of unknown time), so the churn-risk training can tell what was
      in doubt at an earlier date;
    - a spell that ended less than the grace period before the as-of date is
      pending, not yet a churn.
-#}
with

periods as (
    select * from {{ ref('int_subscription_periods') }}
),

subscription_rows as (
    select * from {{ ref('base_billing__subscriptions') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

as_of as (
    select max(as_of_date) as as_of_date from weeks
),

periods_with_coverage as (
    -- covered_until: the latest end of the customer's earlier periods (an
    -- open period covers everything after it).
    select
        customer_id,
        subscription_id,
        change_type,
        started_at,
        ended_at,
        max(
            coalesce(ended_at, cast('9999-12-31' as {{ dbt.type_timestamp() }}))
        ) over (
            partition by customer_id
            order by started_at asc, subscription_id asc
            rows between unbounded preceding and 1 preceding
        ) as covered_until
    from periods
),

spell_starts as (
    select
        customer_id,
        subscription_id,
        started_at,
        ended_at,
        case
            when covered_until is null then 1
            when
                change_type = 'new'
                and started_at > {{ dbt.dateadd(
                    'day', var('churn_grace_days'), 'covered_until'
                ) }}
                then 1
            else 0
        end as is_spell_start
    from periods_with_coverage
),

numbered as (
    select
        customer_id,
        started_at,
        ended_at,
        cast(sum(is_spell_start) over (
            partition by customer_id
            order by started_at asc, subscription_id asc
            rows between unbounded preceding and current row
        ) as integer) as spell_number
    from spell_starts
),

spells as (
    select
        customer_id,
        spell_number,
        min(started_at) as started_at,
        case
            when count(*) = count(ended_at) then max(ended_at)
        end as ended_at
    from numbered
    group by 1, 2
),

unrescued_quarantined as (
    -- Quarantined subscription rows that no period stands for: their start
    -- as staged, null (an unknown time) when staging refused the start
    -- itself (unreadable, missing or in the future).
    select
        subscription_rows.customer_id,
        case
            when
                coalesce(subscription_rows.quarantine_column, '')
                != 'started_at'
                then subscription_rows.started_at
        end as started_at
    from subscription_rows
    left join periods
        on subscription_rows.subscription_id = periods.subscription_id
    where
        subscription_rows.row_status = 'quarantined'
        and subscription_rows.customer_id is not null
        and periods.subscription_id is null
),

doubts as (
    -- The earliest quarantined row that may continue each spell.
    select
        spells.customer_id,
        spells.spell_number,
        min(
            coalesce(unrescued_quarantined.started_at, spells.started_at)
        ) as doubted_from
    from spells
    inner join unrescued_quarantined
        on
            spells.customer_id = unrescued_quarantined.customer_id
            and (
                unrescued_quarantined.started_at is null
                or spells.started_at <= unrescued_quarantined.started_at
            )
    group by 1, 2
),

classified as (
    select
        spells.customer_id,
        spells.spell_number,
        spells.started_at,
        spells.ended_at,
        doubts.doubted_from,
        lead(spells.started_at) over (
            partition by spells.customer_id order by spells.spell_number
        ) as next_spell_started_at,
        spells.ended_at is not null
        and doubts.doubted_from is not null as has_uncertain_end,
        spells.ended_at is not null
        and {{ add_days('spells.ended_at', var('churn_grace_days')) }}
        > as_of.as_of_date as is_end_within_grace
    from spells
    left join doubts
        on
            spells.customer_id = doubts.customer_id
            and spells.spell_number = doubts.spell_number
    cross join as_of
),

final as (
    select
        customer_id,
        spell_number,
        started_at,
        ended_at,
        next_spell_started_at,
        doubted_from,
        has_uncertain_end,
        ended_at is not null
        and not has_uncertain_end
        and not is_end_within_grace as is_churned,
        ended_at is not null
        and not has_uncertain_end
        and is_end_within_grace as is_churn_pending
    from classified
)

select * from final
