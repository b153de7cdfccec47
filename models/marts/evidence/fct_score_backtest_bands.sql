{#-
    One row per banded scoring method and model version per horizon per
    segment (and 'all') per backtest window (and all pooled, window_number
    null) per band: how the band's customer-weeks turned out.
    - churn_rate_ratio: the band's churn rate over the base churn rate of the
      group (red should be well above 1, green below);
    - churners_in_band_share: share of the churn events of the group whose
      customer was in the band at some origin within the horizon before the
      churn (for red: the share of churners red in their last H weeks);
    - median_lead_days: median days from the first such week's end to the
      churn.
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
    where band is not null
),

groups as (
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        count(*) as group_customer_weeks,
        avg(case when is_churned then 1.0 else 0.0 end) as base_churn_rate,
        sum(arr_amount) as group_arr,
        count(distinct case
            when is_churned
                then
                    customer_id
                    || '|'
                    || cast(spell_number as {{ dbt.type_string() }})
        end) as group_churn_events
    from scored
    group by 1, 2, 3, 4, 5
),

bands as (
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        band,
        count(*) as customer_weeks,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate,
        sum(arr_amount) as band_arr,
        sum(case when is_churned then arr_amount else 0 end)
        / nullif(sum(arr_amount), 0) as arr_churn_rate
    from scored
    group by 1, 2, 3, 4, 5, 6
),

churn_events_in_band as (
    -- Each churn event once per band it passed through within the horizon.
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        band,
        customer_id,
        spell_number,
        {{ days_between('min(week_end)', 'max(next_churned_at)') }}
            as lead_days
    from scored
    where is_churned
    group by 1, 2, 3, 4, 5, 6, 7, 8
),

churners as (
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        band,
        count(*) as churn_events,
        {{ median('lead_days') }} as median_lead_days
    from churn_events_in_band
    group by 1, 2, 3, 4, 5, 6
),

as_of as (
    select max(as_of_date) as as_of_date from {{ ref('int_weeks') }}
),

final as (
    select
        bands.scoring_method,
        bands.model_version,
        bands.horizon_weeks,
        bands.segment,
        bands.window_number,
        bands.band,
        bands.customer_weeks,
        coalesce(churners.churn_events, 0) as churn_events,
        cast(
            bands.customer_weeks * 1.0 / groups.group_customer_weeks
            as {{ type_double() }}
        ) as share_of_customer_weeks,
        cast(bands.churn_rate as {{ type_double() }}) as churn_rate,
        cast(groups.base_churn_rate as {{ type_double() }}) as base_churn_rate,
        cast(
            bands.churn_rate / nullif(groups.base_churn_rate, 0)
            as {{ type_double() }}
        ) as churn_rate_ratio,
        cast(
            bands.band_arr / nullif(groups.group_arr, 0) as {{ type_double() }}
        ) as share_of_arr,
        cast(bands.arr_churn_rate as {{ type_double() }}) as arr_churn_rate,
        cast(
            coalesce(churners.churn_events, 0) * 1.0
            / nullif(groups.group_churn_events, 0)
            as {{ type_double() }}
        ) as churners_in_band_share,
        cast(churners.median_lead_days as {{ type_double() }})
            as median_lead_days,
        as_of.as_of_date
    from bands
    inner join groups
        on
            bands.scoring_method = groups.scoring_method
            and bands.model_version = groups.model_version
            and bands.horizon_weeks = groups.horizon_weeks
            and bands.segment = groups.segment
            and coalesce(bands.window_number, -1)
            = coalesce(groups.window_number, -1)
    left join churners
        on
            bands.scoring_method = churners.scoring_method
            and bands.model_version = churners.model_version
            and bands.horizon_weeks = churners.horizon_weeks
            and bands.segment = churners.segment
            and coalesce(bands.window_number, -1)
            = coalesce(churners.window_number, -1)
            and bands.band = churners.band
    cross join as_of
)

select * from final
