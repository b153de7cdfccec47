{#-
    One row per non-void invoice: when it was paid (its first succeeded
    payment attempt; the exported invoice_status is not used for this, since
    it has no timestamp and can lag behind payments) and when it stopped
    being outstanding: when paid, or earlier when a later invoice of the same
    customer was paid first. Customers pay invoices in order, so an older
    invoice still without payment once a newer one is paid is almost always
    a payment record that is missing (refused in staging or never exported),
    not money owed; counting it as overdue for ever would swamp the
    indicator. Both times use only payments, so each week sees only what was
    known before its end.
-#}
with

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

payments as (
    select * from {{ ref('stg_billing__payments') }}
),

first_success as (
    select
        invoice_id,
        min(attempted_at) as paid_at
    from payments
    where payment_status = 'succeeded'
    group by 1
),

paid as (
    select
        invoices.invoice_id,
        invoices.customer_id,
        invoices.amount,
        invoices.currency,
        invoices.due_on,
        invoices.issued_at,
        first_success.paid_at
    from invoices
    left join first_success
        on invoices.invoice_id = first_success.invoice_id
    where invoices.invoice_status != 'void'
),

with_later_payment as (
    select
        paid.*,
        min(paid.paid_at) over (
            partition by paid.customer_id
            order by paid.issued_at, paid.invoice_id
            rows between 1 following and unbounded following
        ) as later_invoice_paid_at
    from paid
),

final as (
    select
        invoice_id,
        customer_id,
        amount,
        currency,
        due_on,
        issued_at,
        paid_at,
        case
            when paid_at is null then later_invoice_paid_at
            when later_invoice_paid_at is null then paid_at
            else least(paid_at, later_invoice_paid_at)
        end as settled_at,
        coalesce(paid_at >= {{ add_days('due_on', 1) }}, false)
            as is_paid_late
    from with_later_payment
)

select * from final
