{#-
    One row per invoice with the time it was paid: the first succeeded
    payment attempt for it. An invoice's exported status can lag behind its
    payments, so payments decide; an invoice exported as paid whose payment
    is missing (refused in staging, or never exported) counts as paid on its
    due date, not as overdue for ever. Void invoices are left out.
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

final as (
    select
        invoices.invoice_id,
        invoices.customer_id,
        invoices.amount,
        invoices.currency,
        invoices.due_on,
        invoices.issued_at,
        coalesce(
            first_success.paid_at,
            case
                when invoices.invoice_status = 'paid'
                    then cast(invoices.due_on as {{ dbt.type_timestamp() }})
            end
        ) as paid_at,
        first_success.paid_at is null
        and invoices.invoice_status = 'paid' as is_paid_without_payment,
        coalesce(
            first_success.paid_at >= {{ add_days('invoices.due_on', 1) }},
            false
        ) as is_paid_late
    from invoices
    left join first_success
        on invoices.invoice_id = first_success.invoice_id
    where invoices.invoice_status != 'void'
)

select * from final
