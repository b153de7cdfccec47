{#-
    Distinct members (users, features) active in a trailing window of weeks,
    without joining every member-week to every week: each member-week row
    covers the weeks from its own week until the member's next active week or
    the end of the window, whichever is first. Emitting +1 where a cover starts
    and -1 where it ends, a running sum over a customer's weeks gives the
    count of distinct members active in the trailing `weeks` weeks.

    `member_weeks` is a CTE or relation with customer_id, <member>, week_start
    (one row per member and active week). `grid_starts` has customer_id and
    grid_start, the first week of the customer's grid: deltas from before it
    are moved onto it, so that activity from before the grid still counts
    (and its -1 does not stand alone). Returns customer_id, week_start, delta.
-#}
{% macro trailing_distinct_deltas(member_weeks, member, weeks, grid_starts) -%}
    select
        covers.customer_id,
        case
            when covers.week_start < {{ grid_starts }}.grid_start
                then {{ grid_starts }}.grid_start
            else covers.week_start
        end as week_start,
        sum(covers.delta) as delta
    from (
        select
            customer_id,
            week_start,
            1 as delta
        from {{ member_weeks }}
        union all
        select
            customer_id,
            coalesce(
                least(
                    lead(week_start) over (
                        partition by customer_id, {{ member }}
                        order by week_start
                    ),
                    {{ add_days('week_start', 7 * weeks) }}
                ),
                {{ add_days('week_start', 7 * weeks) }}
            ) as week_start,
            -1 as delta
        from {{ member_weeks }}
    ) as covers
    inner join {{ grid_starts }}
        on covers.customer_id = {{ grid_starts }}.customer_id
    group by 1, 2
{%- endmacro %}
