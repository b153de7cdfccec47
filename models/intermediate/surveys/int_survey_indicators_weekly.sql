{#-
    Survey indicators, one row per customer per week of the grid, from answers
    given before the end of the week. NPS answers older than 365 days no
    longer count; CSAT is averaged over 26 weeks.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

responses as (
    select * from {{ ref('stg_surveys__survey_responses') }}
),

nps_answers as (
    select
        customer_id,
        response_id,
        score,
        responded_at,
        {{ week_start('responded_at') }} as week_start,
        lag(score) over (
            partition by customer_id order by responded_at, response_id
        ) as previous_score,
        lag(responded_at) over (
            partition by customer_id order by responded_at, response_id
        ) as previous_responded_at,
        row_number() over (
            partition by customer_id, {{ week_start('responded_at') }}
            order by responded_at desc, response_id desc
        ) as recency_in_week
    from responses
    where survey_type = 'nps'
),

csat_per_week as (
    select
        customer_id,
        {{ week_start('responded_at') }} as week_start,
        sum(score) as csat_sum,
        count(*) as csat_answers
    from responses
    where survey_type = 'csat'
    group by 1, 2
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        grid.week_end,
        nps_answers.score as nps_score,
        nps_answers.score as nps_in_week,
        nps_answers.responded_at as nps_responded_at,
        nps_answers.responded_at as nps_in_week_responded_at,
        nps_answers.previous_score as nps_previous_score,
        nps_answers.previous_responded_at as nps_previous_responded_at,
        coalesce(csat_per_week.csat_sum, 0) as csat_sum,
        coalesce(csat_per_week.csat_answers, 0) as csat_answers
    from grid
    left join nps_answers
        on
            {{ same_customer_week('grid', 'nps_answers') }}
            and nps_answers.recency_in_week = 1
    left join csat_per_week
        on {{ same_customer_week('grid', 'csat_per_week') }}
),

grouped as (
    select
        joined.*,
        {{ carry_forward_group('nps_responded_at', 'customer_id',
            'week_start') }} as nps_group,
        {{ trailing_sum('csat_sum', 26) }} as csat_sum_180d,
        {{ trailing_sum('csat_answers', 26) }} as csat_answers_180d
    from joined
),

carried as (
    select
        customer_id,
        week_start,
        week_end,
        csat_sum_180d,
        csat_answers_180d,
        nps_in_week,
        nps_in_week_responded_at,
        {{ carry_forward('nps_score', 'customer_id', 'nps_group') }}
            as nps_score,
        {{ carry_forward('nps_responded_at', 'customer_id', 'nps_group') }}
            as nps_responded_at,
        {{ carry_forward('nps_previous_score', 'customer_id', 'nps_group') }}
            as nps_previous_score,
        {{ carry_forward('nps_previous_responded_at', 'customer_id',
            'nps_group') }} as nps_previous_responded_at
    from grouped
),

final as (
    select
        customer_id,
        week_start,
        case
            when nps_responded_at >= {{ add_days('week_end', -365) }}
                then nps_score
        end as latest_nps,
        case
            when nps_previous_responded_at >= {{ add_days('week_end', -365) }}
                then nps_score - nps_previous_score
        end as nps_change,
        case
            when csat_answers_180d > 0
                then csat_sum_180d * 1.0 / csat_answers_180d
        end as csat_180d,
        nps_in_week,
        nps_in_week_responded_at
    from carried
)

select * from final
