with

payments as (
    select * from {{ ref('base_billing__payments') }}
),

final as (
    select
        payment_id,
        invoice_id,
        customer_id,
        payment_status,
        currency,
        amount,
        is_refund_sign_corrected,
        attempted_at,
        payment_status = 'refunded' as is_refund
    from payments
    where row_status = 'staged'
)

select * from final
