with

customers as (
    select * from {{ ref('base_crm__customers') }}
),

final as (
    select
        customer_id,
        customer_name,
        contact_email,
        country_code,
        segment,
        business_type,
        csm_owner,
        signup_at_issue,
        signup_at,
        cast(signup_at as date) as signup_date,
        updated_at
    from customers
    where row_status = 'staged'
)

select * from final
