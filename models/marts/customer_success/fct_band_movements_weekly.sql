{#-
    One row per week, segment and band movement (from the band of the
    customer's previous subscribed week to this week's band, including
    staying): customers and ARR that moved. ARR is mrr_amount * 12 in the
    reporting currency, missing for a movement with a customer whose MRR
    has no exchange rate that week rather than summed without it.
-#}
with

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

movements as (
    select
        weekly.week_start,
        weekly.segment,
        trends.previous_band as from_band,
        trends.health_band as to_band,
        weekly.is_missing_exchange_rate,
        weekly.mrr_amount * 12 as arr
    from trends
    inner join weekly
        on {{ same_customer_week('trends', 'weekly') }}
    where trends.previous_band is not null
),

final as (
    select
        week_start,
        segment,
        from_band,
        to_band,
        {{ reporting_currency() }} as reporting_currency,
        count(*) as customers,
        cast(
            case
                when not {{ dbt.bool_or('is_missing_exchange_rate') }}
                    then sum(arr)
            end
            as {{ type_double() }}
        ) as arr,
        from_band != to_band as is_change
    from movements
    group by 1, 2, 3, 4
)

select * from final
