{#-
    One row per alert: a rule of seeds/alert_rules.csv whose condition became
    true for a customer (raised once per occurrence, see int_alerts_raised).
    Each alert carries what a CRM or e-mail tool needs on its own: the alert
    in words with its threshold and observed value and the date of what
    triggered it (both from int_alert_conditions, so BI tools and the export
    read the same), the customer's owner, the score and its drivers, the ARR
    at stake and the recommended playbook. ARR is arr_at_risk on risk alerts
    and arr_opportunity on opportunities, never both, rounded to whole units.
    alert_id is stable across rebuilds (customer, rule, week), so receivers
    can dedupe.
-#}
with

raised as (
    select * from {{ ref('int_alerts_raised') }}
),

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

weekly as (
    select * from {{ ref('int_customer_health_weekly') }}
),

churn_risk as (
    select * from {{ ref('int_churn_risk_weekly') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

playbooks as (
    select * from {{ ref('playbooks') }}
),

final as (
    select
        substr(
            md5(
                raised.customer_id || '|' || raised.rule_key || '|'
                || cast(raised.week_start as {{ dbt.type_string() }})
            ),
            1,
            20
        ) as alert_id,
        raised.customer_id,
        raised.rule_key,
        rules.description as rule_description,
        raised.alert_message,
        rules.severity,
        customers.csm_owner,
        weekly.segment,
        weekly.business_type,
        weekly.plan_name,
        weekly.reporting_currency,
        weekly.score_model_version,
        trends.health_band,
        trends.band_transition,
        trends.trend_label,
        trends.top_negative_driver,
        trends.top_positive_driver,
        rules.playbook_key,
        playbooks.playbook_name,
        playbooks.channel as playbook_channel,
        playbooks.steps as playbook_steps,
        trends.health_score,
        -- The learned churn risk beside the score, as a CSM reads it: a
        -- probability rounded to two decimals (null before the first
        -- trained model).
        cast(round(churn_risk.churn_risk, 2) as {{ type_double() }})
            as churn_risk,
        trends.change_1w,
        trends.change_4w,
        case
            when rules.severity != 'opportunity'
                then cast(round(weekly.mrr_amount * 12) as {{ type_double() }})
        end as arr_at_risk,
        case
            when rules.severity = 'opportunity'
                then cast(round(weekly.mrr_amount * 12) as {{ type_double() }})
        end as arr_opportunity,
        raised.event_date,
        raised.week_start,
        {{ add_days('raised.week_start', 7) }} as raised_on,
        weekly.is_latest_week as is_raised_in_latest_week
    from raised
    inner join rules
        on raised.rule_key = rules.rule_key
    inner join playbooks
        on rules.playbook_key = playbooks.playbook_key
    inner join weekly
        on {{ same_customer_week('raised', 'weekly') }}
    inner join trends
        on {{ same_customer_week('raised', 'trends') }}
    inner join customers
        on raised.customer_id = customers.customer_id
    left join churn_risk
        on {{ same_customer_week('raised', 'churn_risk') }}
)

select * from final
