{#-
    One row per subscription period that sets a customer's status: every
    staged period, plus the periods staging quarantined only for their seats
    or MRR (a negative, non-numeric or oversized amount) whose identity and
    dates passed every check. Such a period still says the customer was
    subscribed, so one bad amount cannot make an active customer look
    churned or drop it from the marts; its seats and MRR are unknown (null,
    so seat-based indicators are missing) and has_quarantined_amounts flags
    it. The quarantined row stays in the quarantine mart as it is.
-#}
with

staged as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

subscriptions as (
    select * from {{ ref('base_billing__subscriptions') }}
),

rescued as (
    -- The checks are ordered: a row whose first failing check is on seats or
    -- MRR passed those on key, customer, dates and categories; currency and
    -- date order come after, so they are checked here. A period that also
    -- has a staged version keeps the staged one.
    select subscriptions.*
    from subscriptions
    left join staged
        on subscriptions.subscription_id = staged.subscription_id
    where
        subscriptions.row_status = 'quarantined'
        and subscriptions.quarantine_column in ('seats', 'mrr_amount')
        and staged.subscription_id is null
        and length(subscriptions.currency) = 3
        and (
            subscriptions.ended_at is null
            or subscriptions.ended_at >= subscriptions.started_at
        )
),

rescued_deduplicated as (
    select
        rescued.*,
        row_number() over (
            partition by rescued.subscription_id
            order by rescued.started_at desc, rescued._row_id desc
        ) as recency
    from rescued
),

final as (
    select
        subscription_id,
        customer_id,
        plan_name,
        change_type,
        currency,
        seats,
        mrr_amount,
        started_at,
        ended_at,
        false as has_quarantined_amounts
    from staged
    union all
    select
        subscription_id,
        customer_id,
        plan_name,
        change_type,
        currency,
        cast(null as integer) as seats,
        cast(null as decimal(18, 2)) as mrr_amount,
        started_at,
        ended_at,
        true as has_quarantined_amounts
    from rescued_deduplicated
    where recency = 1
)

select * from final
