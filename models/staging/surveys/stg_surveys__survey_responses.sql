with

survey_responses as (
    select * from {{ ref('base_surveys__survey_responses') }}
),

final as (
    select
        response_id,
        customer_id,
        respondent_id,
        survey_type,
        survey_channel,
        score,
        responded_at
    from survey_responses
    where row_status = 'staged'
)

select * from final
