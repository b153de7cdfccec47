{#-
    One row per week, segment and band: how the portfolio is spread over the
    bands (customers, ARR and their shares within the segment and week, mean
    score) and how many customers entered the band that week. ARR is
    mrr_amount * 12 in the reporting currency; it is missing for a band
    with a customer whose MRR has no exchange rate that week (and so is
    the share of ARR of every band of that segment and week), never summed
    without that customer.
-#}
with

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

customer_weeks as (
    select
        weekly.week_start,
        weekly.segment,
        weekly.health_band,
        weekly.health_score,
        weekly.is_missing_exchange_rate,
        weekly.mrr_amount * 12 as arr,
        case
            when
                trends.previous_band is not null
                and trends.previous_band != trends.health_band
                then 1
            else 0
        end as entered_band
    from weekly
    inner join trends
        on {{ same_customer_week('weekly', 'trends') }}
),

aggregated as (
    select
        week_start,
        segment,
        health_band,
        count(*) as customers,
        case
            when not {{ dbt.bool_or('is_missing_exchange_rate') }}
                then sum(arr)
        end as arr,
        {{ dbt.bool_or('is_missing_exchange_rate') }}
            as has_missing_exchange_rate,
        {{ exact_sum('health_score') }} / count(health_score) as mean_score,
        cast(sum(entered_band) as {{ dbt.type_bigint() }}) as customers_entered
    from customer_weeks
    group by 1, 2, 3
),

final as (
    select
        week_start,
        segment,
        health_band,
        {{ reporting_currency() }} as reporting_currency,
        customers,
        customers_entered,
        cast(arr as {{ type_double() }}) as arr,
        customers * 1.0
        / sum(customers) over (partition by week_start, segment)
            as share_of_customers,
        cast(
            case
                when
                    not {{ dbt.bool_or('has_missing_exchange_rate') }}
                        over (partition by week_start, segment)
                    then
                        arr
                        / nullif(
                            sum(arr) over (partition by week_start, segment),
                            0
                        )
            end
            as {{ type_double() }}
        ) as share_of_arr,
        mean_score
    from aggregated
)

select * from final
