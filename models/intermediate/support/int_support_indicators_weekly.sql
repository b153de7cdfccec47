{#-
    Support indicators, one row per customer per week of the grid, as known
    at the end of the week: tickets opened, open and resolved before it.
    Trailing 90 days are 13 weeks, 180 days 26 weeks. A help desk rates
    either 1-5 (satisfaction_rating) or good/bad (satisfaction_label): each
    scale is its own indicator, missing when the desk does not use it.
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

opened_per_week as (
    select
        customer_id,
        {{ week_start('opened_at') }} as week_start,
        count(*) as tickets_opened,
        sum(
            case
                when is_escalated or priority in ('high', 'urgent') then 1
                else 0
            end
        ) as escalated_opened
    from tickets
    group by 1, 2
),

rated_per_week as (
    select
        customer_id,
        {{ week_start('resolved_at') }} as week_start,
        sum(satisfaction_rating) as rating_sum,
        count(satisfaction_rating) as ratings,
        sum(
            case when satisfaction_label = 'good' then 1 else 0 end
        ) as good_labels,
        count(satisfaction_label) as labels
    from tickets
    where resolved_at is not null
    group by 1, 2
),

open_at_week_end as (
    select
        tickets.customer_id,
        weeks.week_start,
        max({{ days_between('tickets.opened_at', 'weeks.week_end') }})
            as oldest_open_ticket_days
    from tickets
    inner join weeks
        on
            tickets.opened_at < weeks.week_end
            and (
                tickets.resolved_at is null
                or tickets.resolved_at >= weeks.week_end
            )
    group by 1, 2
),

resolution_in_trailing_90d as (
    select
        tickets.customer_id,
        weeks.week_start,
        {{ median(days_between('tickets.opened_at', 'tickets.resolved_at')
            ~ ' * 24') }} as median_resolution_hours_90d
    from tickets
    inner join weeks
        on
            tickets.resolved_at < weeks.week_end
            and tickets.resolved_at >= {{ add_days('weeks.week_end', -91) }}
    group by 1, 2
),

joined as (
    select
        grid.customer_id,
        grid.week_start,
        grid.seats,
        resolution_in_trailing_90d.median_resolution_hours_90d,
        coalesce(opened_per_week.tickets_opened, 0) as tickets_opened,
        coalesce(opened_per_week.escalated_opened, 0) as escalated_opened,
        coalesce(rated_per_week.rating_sum, 0) as rating_sum,
        coalesce(rated_per_week.ratings, 0) as ratings,
        coalesce(rated_per_week.good_labels, 0) as good_labels,
        coalesce(rated_per_week.labels, 0) as labels,
        coalesce(open_at_week_end.oldest_open_ticket_days, 0)
            as oldest_open_ticket_days
    from grid
    left join opened_per_week
        on {{ same_customer_week('grid', 'opened_per_week') }}
    left join rated_per_week
        on {{ same_customer_week('grid', 'rated_per_week') }}
    left join open_at_week_end
        on {{ same_customer_week('grid', 'open_at_week_end') }}
    left join resolution_in_trailing_90d
        on {{ same_customer_week('grid', 'resolution_in_trailing_90d') }}
),

windowed as (
    select
        customer_id,
        week_start,
        seats,
        oldest_open_ticket_days,
        median_resolution_hours_90d,
        {{ trailing_sum('tickets_opened', 13) }} as tickets_90d,
        {{ trailing_sum('escalated_opened', 13) }} as escalated_tickets_90d,
        {{ trailing_sum('rating_sum', 26) }} as rating_sum_180d,
        {{ trailing_sum('ratings', 26) }} as ratings_180d,
        {{ trailing_sum('good_labels', 26) }} as good_labels_180d,
        {{ trailing_sum('labels', 26) }} as labels_180d
    from joined
),

final as (
    select
        customer_id,
        week_start,
        oldest_open_ticket_days,
        median_resolution_hours_90d,
        escalated_tickets_90d,
        case
            when seats > 0 then tickets_90d * 10.0 / seats
        end as tickets_90d_per_10_seats,
        case
            when ratings_180d > 0 then rating_sum_180d * 1.0 / ratings_180d
        end as support_satisfaction_180d,
        case
            when labels_180d > 0 then good_labels_180d * 1.0 / labels_180d
        end as support_good_rating_share_180d
    from windowed
)

select * from final
