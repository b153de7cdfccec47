{#-
    Billing indicators, one row per customer per week of the grid, from
    payment attempts before the end of the week and invoices due before it.
    Trailing 180 days are 26 weeks.
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

failed_per_week as (
    select
        customer_id,
        {{ week_start('attempted_at') }} as week_start,
        count(*) as failed_payments
    from payments
    where payment_status = 'failed'
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
        coalesce(failed_per_week.failed_payments, 0) as failed_payments,
        coalesce(late_per_week.late_payments, 0) as late_payments,
        coalesce(overdue_at_week_end.days_overdue, 0) as days_overdue
    from grid
    left join failed_per_week
        on {{ same_customer_week('grid', 'failed_per_week') }}
    left join late_per_week
        on {{ same_customer_week('grid', 'late_per_week') }}
    left join overdue_at_week_end
        on {{ same_customer_week('grid', 'overdue_at_week_end') }}
),

final as (
    select
        customer_id,
        week_start,
        {{ trailing_sum('failed_payments', 26) }} as failed_payments_180d,
        failed_payments as failed_payments_in_week,
        {{ trailing_sum('late_payments', 26) }} as late_payments_180d,
        days_overdue
    from joined
)

select * from final
