{#-
    One row per scoring method and model version per horizon per segment
    (and 'all') per backtest window (and all windows pooled, window_number
    null): how well the method separated customers who churned within the
    horizon from those who stayed, on origins whose outcome is known.
    - auc: probability that a random churned customer-week was ranked riskier
      than a random retained one (ties count half), by the rank formula over
      the distinct risk values; arr_auc weighs each customer-week by its ARR.
    - top_decile_lift: churn rate of the riskiest tenth of customer-weeks
      over the base churn rate (arr_: churned ARR share over ARR share).
    Rows of earlier score model versions are kept (incremental, replaced per
    version, and full_refresh=false so a --full-refresh keeps them too), so a
    newly accepted weight set is compared side by side with the one before
    it. Drop the table to forget them.
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
),

as_of as (
    select max(as_of_date) as as_of_date from {{ ref('int_weeks') }}
),

risk_levels as (
    -- One row per distinct risk value in each group, with the churned and
    -- retained counts (and ARR) at it.
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        risk_value,
        sum(case when is_churned then 1 else 0 end) as positives,
        sum(case when is_churned then 0 else 1 end) as negatives,
        sum(case when is_churned then arr_amount else 0 end) as arr_positives,
        sum(case when is_churned then 0 else arr_amount end) as arr_negatives
    from scored
    group by 1, 2, 3, 4, 5, 6
),

risk_levels_cumulated as (
    select
        *,
        coalesce(sum(negatives) over (
            partition by
                scoring_method, model_version, horizon_weeks, segment,
                window_number
            order by risk_value asc
            rows between unbounded preceding and 1 preceding
        ), 0) as negatives_below,
        coalesce(sum(arr_negatives) over (
            partition by
                scoring_method, model_version, horizon_weeks, segment,
                window_number
            order by risk_value asc
            rows between unbounded preceding and 1 preceding
        ), 0) as arr_negatives_below
    from risk_levels
),

auc as (
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        sum(positives * (negatives_below + 0.5 * negatives))
        / nullif(sum(positives) * sum(negatives), 0) as auc,
        sum(arr_positives * (arr_negatives_below + 0.5 * arr_negatives))
        / nullif(sum(arr_positives) * sum(arr_negatives), 0) as arr_auc
    from risk_levels_cumulated
    group by 1, 2, 3, 4, 5
),

ranked as (
    select
        *,
        row_number() over (
            partition by
                scoring_method, model_version, horizon_weeks, segment,
                window_number
            order by risk_value desc, customer_id asc, week_start asc
        ) as risk_rank,
        count(*) over (
            partition by
                scoring_method, model_version, horizon_weeks, segment,
                window_number
        ) as group_size
    from scored
),

totals as (
    select
        scoring_method,
        model_version,
        horizon_weeks,
        segment,
        window_number,
        min(week_start) as first_origin_week,
        max(week_start) as last_origin_week,
        count(*) as customer_weeks,
        cast(
            sum(
                case when is_churned then 1 else 0 end
            ) as {{ dbt.type_bigint() }}
        )
            as churned_customer_weeks,
        count(distinct case
            when is_churned
                then
                    customer_id
                    || '|'
                    || cast(spell_number as {{ dbt.type_string() }})
        end) as churn_events,
        avg(case when is_churned then 1.0 else 0.0 end) as base_churn_rate,
        sum(case when is_churned then arr_amount else 0 end)
        / nullif(sum(arr_amount), 0) as arr_base_churn_rate,
        avg(case
            when risk_rank <= 0.1 * group_size
                then case when is_churned then 1.0 else 0.0 end
        end) as top_decile_churn_rate,
        sum(case
            when risk_rank <= 0.1 * group_size and is_churned then arr_amount
            else 0
        end)
        / nullif(sum(case
            when risk_rank <= 0.1 * group_size then arr_amount else 0
        end), 0) as arr_top_decile_churn_rate
    from ranked
    group by 1, 2, 3, 4, 5
),

final as (
    select
        totals.scoring_method,
        totals.model_version,
        totals.horizon_weeks,
        totals.segment,
        totals.window_number,
        cast(totals.customer_weeks as {{ dbt.type_bigint() }})
            as customer_weeks,
        totals.churned_customer_weeks,
        cast(totals.churn_events as {{ dbt.type_bigint() }}) as churn_events,
        cast(totals.base_churn_rate as {{ type_double() }}) as base_churn_rate,
        cast(auc.auc as {{ type_double() }}) as auc,
        cast(
            totals.top_decile_churn_rate / nullif(totals.base_churn_rate, 0)
            as {{ type_double() }}
        ) as top_decile_lift,
        cast(totals.arr_base_churn_rate as {{ type_double() }})
            as arr_base_churn_rate,
        cast(auc.arr_auc as {{ type_double() }}) as arr_auc,
        cast(
            totals.arr_top_decile_churn_rate
            / nullif(totals.arr_base_churn_rate, 0)
            as {{ type_double() }}
        ) as arr_top_decile_lift,
        totals.first_origin_week,
        totals.last_origin_week,
        as_of.as_of_date
    from totals
    inner join auc
        on
            totals.scoring_method = auc.scoring_method
            and totals.model_version = auc.model_version
            and totals.horizon_weeks = auc.horizon_weeks
            and totals.segment = auc.segment
            and coalesce(totals.window_number, -1)
            = coalesce(auc.window_number, -1)
    cross join as_of
)

select * from final
