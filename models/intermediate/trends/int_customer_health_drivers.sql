{#-
    What drove each week's score change: one row per customer per scored week
    per indicator, with the indicator's contribution this week and the week
    before, and the change. For a week whose previous week was also scored,
    the contribution changes add up exactly to the change of computed_score
    (tests/marts/assert_driver_changes_add_up.sql). driver_text says it in a
    customer-success manager's words (macro driver_text(): labels from
    seeds/indicator_catalogue.csv, {value} replaced by the raw value).
-#}
with

components as (
    select * from {{ ref('int_indicator_contributions') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

scored_components as (
    select
        components.*,
        lag(components.week_start) over (
            partition by components.customer_id, components.indicator_key
            order by components.week_start
        ) as previous_week_start,
        lag(components.contribution) over (
            partition by components.customer_id, components.indicator_key
            order by components.week_start
        ) as previous_contribution,
        lag(components.raw_value) over (
            partition by components.customer_id, components.indicator_key
            order by components.week_start
        ) as previous_raw_value
    from components
    where components.contribution is not null
),

changes as (
    select
        scored_components.customer_id,
        scored_components.week_start,
        scored_components.indicator_key,
        scored_components.family,
        scored_components.raw_value,
        scored_components.previous_raw_value,
        scored_components.contribution,
        scored_components.previous_contribution,
        scored_components.contribution
        - scored_components.previous_contribution as contribution_change,
        case
            when
                scored_components.contribution
                < scored_components.previous_contribution
                then catalogue.driver_label_worse
            else catalogue.driver_label_better
        end as driver_label,
        lower(catalogue.description) as description
    from scored_components
    inner join catalogue
        on scored_components.indicator_key = catalogue.indicator_key
    where
        scored_components.previous_week_start
        = {{ add_days('scored_components.week_start', -7) }}
),

final as (
    select
        customer_id,
        week_start,
        indicator_key,
        family,
        raw_value,
        previous_raw_value,
        contribution,
        previous_contribution,
        contribution_change,
        {{ driver_text('driver_label', 'raw_value', 'description') }}
            as driver_text
    from changes
)

select * from final
