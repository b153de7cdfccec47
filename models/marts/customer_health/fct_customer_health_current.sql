{#-
    One row per customer that ever had a scored-history week: the latest week
    of the weekly history (so current and history can never disagree), with
    customer attributes (no PII). is_active says whether that week is the
    latest complete week; a customer whose subscription ended shows the
    score of its last subscribed week. The learned churn risk of that week
    stands beside the score, with the indicators that raise and lower it
    most (int_churn_risk_weekly).
-#}
with

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

churn_risks as (
    select * from {{ ref('int_churn_risk_weekly') }}
),

ranked as (
    select
        weekly.*,
        row_number() over (
            partition by weekly.customer_id order by weekly.week_start desc
        ) as recency,
        count(*) over (partition by weekly.customer_id) as weeks_of_history
    from weekly
),

final as (
    select
        ranked.customer_id,
        ranked.week_start,
        ranked.segment,
        ranked.business_type,
        customers.country_code,
        customers.csm_owner,
        ranked.plan_name,
        ranked.reporting_currency,
        ranked.billing_currency,
        ranked.score_model_version,
        churn_risks.risk_model_version,
        ranked.health_score,
        ranked.health_band,
        ranked.computed_score,
        ranked.computed_band,
        churn_risks.churn_risk,
        churn_risks.top_risk_up_1,
        churn_risks.top_risk_up_2,
        churn_risks.top_risk_up_3,
        churn_risks.top_risk_down_1,
        churn_risks.top_risk_down_2,
        churn_risks.top_risk_down_3,
        ranked.completeness,
        ranked.source_coverage,
        {{ family_score_columns('ranked') }},
        ranked.override_reason,
        ranked.override_set_by,
        ranked.override_expires_on,
        ranked.indicators_present,
        ranked.seats,
        ranked.mrr_amount,
        ranked.billing_mrr_amount,
        ranked.weeks_of_history,
        ranked.is_scored,
        ranked.is_overridden,
        ranked.is_latest_week as is_active,
        customers.has_data_issues,
        customers.data_issues,
        customers.signup_date,
        customers.first_subscribed_date,
        customers.subscription_ended_date
    from ranked
    inner join customers
        on ranked.customer_id = customers.customer_id
    left join churn_risks
        on {{ same_customer_week('ranked', 'churn_risks') }}
    where ranked.recency = 1
)

select * from final
