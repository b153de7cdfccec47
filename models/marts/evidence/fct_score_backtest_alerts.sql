{#-
    One row per score model version per horizon per segment (and 'all') per
    backtest window (and all pooled, window_number null) per alert rule: how
    the raised alerts (int_alerts_raised) turned out.
    - precision: share of the alerts raised at origins with a known outcome
      that were followed by churn within the horizon (arr_precision: by the
      customers' ARR);
    - recall: share of the group's churn events with the alert raised within
      the horizon before the churn (arr_recall: by ARR);
    - churn_rate_ratio: precision over the base churn rate;
    - median_lead_days: median days from the first such alert to the churn.
    Earlier score model versions are kept, as in fct_score_backtest.
-#}
{{ config(
    materialized='incremental',
    unique_key='model_version',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    full_refresh=false
) }}
with

scored as (
    select * from {{ ref('int_backtest_scored_origins') }}
    where scoring_method = 'health_score'
),

raised as (
    select * from {{ ref('int_alerts_raised') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

groups as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        avg(case when is_churned then 1.0 else 0.0 end) as base_churn_rate,
        count(distinct case
            when is_churned
                then
                    customer_id
                    || '|'
                    || cast(spell_number as {{ dbt.type_string() }})
        end) as group_churn_events
    from scored
    group by 1, 2, 3, 4
),

churn_events as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        customer_id,
        spell_number,
        max(arr_amount) as arr_amount
    from scored
    where is_churned
    group by 1, 2, 3, 4, 5, 6
),

churn_event_arr as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        sum(arr_amount) as churned_arr
    from churn_events
    group by 1, 2, 3, 4
),

alerted as (
    select
        scored.model_version,
        scored.horizon_weeks,
        scored.segment,
        scored.window_number,
        raised.rule_key,
        scored.customer_id,
        scored.spell_number,
        scored.week_end,
        scored.arr_amount,
        scored.is_churned,
        scored.next_churned_at
    from scored
    inner join raised
        on {{ same_customer_week('scored', 'raised') }}
),

alert_totals as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        rule_key,
        count(*) as alerts_raised,
        avg(case when is_churned then 1.0 else 0.0 end) as alert_precision,
        sum(case when is_churned then arr_amount else 0 end)
        / nullif(sum(arr_amount), 0) as arr_precision
    from alerted
    group by 1, 2, 3, 4, 5
),

caught_events as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        rule_key,
        customer_id,
        spell_number,
        max(arr_amount) as arr_amount,
        {{ days_between('min(week_end)', 'max(next_churned_at)') }}
            as lead_days
    from alerted
    where is_churned
    group by 1, 2, 3, 4, 5, 6, 7
),

caught as (
    select
        model_version,
        horizon_weeks,
        segment,
        window_number,
        rule_key,
        count(*) as churn_events_caught,
        sum(arr_amount) as caught_arr,
        {{ median('lead_days') }} as median_lead_days
    from caught_events
    group by 1, 2, 3, 4, 5
),

as_of as (
    select max(as_of_date) as as_of_date from {{ ref('int_weeks') }}
),

final as (
    select
        'health_score' as scoring_method,
        groups.model_version,
        groups.horizon_weeks,
        groups.segment,
        groups.window_number,
        rules.rule_key,
        rules.severity,
        coalesce(alert_totals.alerts_raised, 0) as alerts_raised,
        coalesce(caught.churn_events_caught, 0) as churn_events_caught,
        groups.group_churn_events as churn_events,
        cast(alert_totals.alert_precision as {{ type_double() }})
            as alert_precision,
        cast(
            coalesce(caught.churn_events_caught, 0) * 1.0
            / nullif(groups.group_churn_events, 0)
            as {{ type_double() }}
        ) as alert_recall,
        cast(groups.base_churn_rate as {{ type_double() }}) as base_churn_rate,
        cast(
            alert_totals.alert_precision / nullif(groups.base_churn_rate, 0)
            as {{ type_double() }}
        ) as churn_rate_ratio,
        cast(alert_totals.arr_precision as {{ type_double() }})
            as arr_precision,
        cast(
            coalesce(caught.caught_arr, 0)
            / nullif(churn_event_arr.churned_arr, 0)
            as {{ type_double() }}
        ) as arr_recall,
        cast(caught.median_lead_days as {{ type_double() }})
            as median_lead_days,
        as_of.as_of_date
    from groups
    cross join rules
    left join alert_totals
        on
            groups.model_version = alert_totals.model_version
            and groups.horizon_weeks = alert_totals.horizon_weeks
            and groups.segment = alert_totals.segment
            and coalesce(groups.window_number, -1)
            = coalesce(alert_totals.window_number, -1)
            and rules.rule_key = alert_totals.rule_key
    left join caught
        on
            groups.model_version = caught.model_version
            and groups.horizon_weeks = caught.horizon_weeks
            and groups.segment = caught.segment
            and coalesce(groups.window_number, -1)
            = coalesce(caught.window_number, -1)
            and rules.rule_key = caught.rule_key
    left join churn_event_arr
        on
            groups.model_version = churn_event_arr.model_version
            and groups.horizon_weeks = churn_event_arr.horizon_weeks
            and groups.segment = churn_event_arr.segment
            and coalesce(groups.window_number, -1)
            = coalesce(churn_event_arr.window_number, -1)
    cross join as_of
    where rules.is_enabled
)

select * from final
