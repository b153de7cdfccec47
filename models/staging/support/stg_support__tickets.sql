with

tickets as (
    select * from {{ ref('base_support__tickets') }}
),

final as (
    select
        ticket_id,
        customer_id,
        priority,
        ticket_status,
        channel,
        satisfaction_rating,
        satisfaction_label,
        is_escalated,
        opened_at,
        first_response_at,
        resolved_at
    from tickets
    where row_status = 'staged'
)

select * from final
