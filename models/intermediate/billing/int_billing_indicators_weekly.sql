{#-
    Billing indicators, one row per customer per week of the grid, from
    payment attempts before the end of the week and invoices due before it.
    Trailing 180 days are 26 weeks. The week's last failed attempt (time,
    amount, currency) comes along for alerts that name it.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

payments as (
    select * from {{ ref('stg_billing__payments') }}
),

invoices as (
    select * from {{ ref('int_invoices_settled') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

failed_attempts as (
    select
        customer_id,
        currency,
        amount,
        attempted_at,
        {{ week_start('attempted_at') }} as week_start,
        row_number() over (
            partition by customer_id, {{ week_start('attempted_at') }}
            order by attempted_at desc, payment_id desc
        ) as recency_in_week
    from payments
    where payment_status = 'failed'
),

failed_per_week as (
    select
        customer_id,
        week_start,
        count(*) as failed_payments
    from failed_attempts
    group by 1, 2
),

late_per_week as (
    select
        customer_id,
        {{ week_start('paid_at') }} as week_start,
        count(*) as late_payments
    from invoices
    where is_paid_late
    group by 1, 2
),

overdue_at_week_end as (
    select
        invoices.customer_id,
        weeks.week_start,
        max({{ dbt.datediff('invoices.due_on', 'weeks.week_end', 'day') }})
            as days_overdue
    from invoices
    inner join weeks
        on
            invoices.due_on < weeks.week_end
            and invoices.issued_at < weeks.week_end
            and (
                invoices.settled_at is null
                or invoices.settled_at >= weeks.week_end
            )
    group by 1, 2
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        last_failed.currency as last_failed_payment_currency,
        last_failed.amount as last_failed_payment_amount,
        last_failed.attempted_at as last_failed_payment_at,
        coalesce(failed_per_week.failed_payments, 0) as failed_payments,
        coalesce(late_per_week.late_payments, 0) as late_payments,
        coalesce(overdue_at_week_end.days_overdue, 0) as days_overdue
    from grid
    left join failed_per_week
        on {{ same_customer_week('grid', 'failed_per_week') }}
    left join failed_attempts as last_failed
        on
            {{ same_customer_week('grid', 'last_failed') }}
            and last_failed.recency_in_week = 1
    left join late_per_week
        on {{ same_customer_week('grid', 'late_per_week') }}
    left join overdue_at_week_end
        on {{ same_customer_week('grid', 'overdue_at_week_end') }}
),

final as (
    select
        customer_id,
        week_start,
        last_failed_payment_currency,
        {{ trailing_sum('failed_payments', 26) }} as failed_payments_180d,
        failed_payments as failed_payments_in_week,
        last_failed_payment_amount,
        {{ trailing_sum('late_payments', 26) }} as late_payments_180d,
        days_overdue,
        last_failed_payment_at
    from joined
)

select * from final
