{#-
    The weeks of score history: ISO weeks (Monday start) from the history
    start to the latest complete week. See the as_of_date and
    history_start_date vars in dbt_project.yml.
-#}
with

events as (
    select occurred_at from {{ ref('stg_product__usage_events') }}
),

bounds as (
    select
        {% if var('history_start_date') -%}
        {{ week_start("cast('" ~ var('history_start_date') ~ "' as date)") }}
        {%- else -%}
        {{ week_start('min(occurred_at)') }}
        {%- endif %} as first_week_start,
        {% if var('as_of_date') -%}
        cast('{{ var("as_of_date") }}' as date)
        {%- else -%}
        cast(max(occurred_at) as date)
        {%- endif %} as as_of_date
    from events
),

latest_complete as (
    select
        first_week_start,
        as_of_date,
        {{ add_days(week_start(add_days('as_of_date', 1)), -7) }}
            as last_week_start
    from bounds
),

numbers as (
    {{ integer_sequence(var('max_history_weeks')) }}
),

weeks as (
    select
        {{ add_days('latest_complete.first_week_start', '7 * numbers.n') }}
            as week_start,
        latest_complete.last_week_start,
        latest_complete.as_of_date
    from latest_complete
    cross join numbers
),

final as (
    select
        week_start,
        {{ add_days('week_start', 7) }} as week_end,
        as_of_date,
        week_start = last_week_start as is_latest_week
    from weeks
    where week_start <= last_week_start
)

select * from final
