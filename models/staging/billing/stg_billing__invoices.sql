with

invoices as (
    select * from {{ ref('base_billing__invoices') }}
),

final as (
    select
        invoice_id,
        customer_id,
        subscription_id,
        invoice_status,
        currency,
        amount,
        due_on,
        issued_at
    from invoices
    where row_status = 'staged'
)

select * from final
