{{ config(materialized='view') }}
{#-
    One row per scoring method per grouping per customer per week per
    horizon: every backtest origin (int_backtest_origins) with what each
    method said at it (int_backtest_scores), repeated for the groupings the
    backtest reports: the customer's segment and 'all', each window and all
    windows pooled (window_number null). The backtest marts aggregate it.
-#}
with

origins as (
    select * from {{ ref('int_backtest_origins') }}
),

scores as (
    select * from {{ ref('int_backtest_scores') }}
),

segment_groups as (
    select 'segment' as grouping_kind
    union all
    select 'all'
),

window_groups as (
    select 'window' as grouping_kind
    union all
    select 'all'
),

final as (
    select
        scores.scoring_method,
        scores.model_version,
        origins.horizon_weeks,
        origins.customer_id,
        origins.spell_number,
        origins.week_start,
        scores.band,
        scores.risk_value,
        origins.arr_amount,
        origins.is_churned,
        origins.is_downgraded,
        origins.week_end,
        origins.next_churned_at,
        case
            when segment_groups.grouping_kind = 'all' then 'all'
            else origins.segment
        end as segment,
        case
            when window_groups.grouping_kind = 'window'
                then origins.window_number
        end as window_number
    from origins
    inner join scores
        on {{ same_customer_week('origins', 'scores') }}
    cross join segment_groups
    cross join window_groups
)

select * from final
