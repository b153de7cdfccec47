{#-
    One row per customer per subscribed week per enabled alert rule whose raw
    tables are present: whether the rule's condition holds that week (rules
    and thresholds in seeds/alert_rules.csv).
-#}
with

trends as (
    select * from {{ ref('int_customer_health_trends') }}
),

usage_indicators as (
    select * from {{ ref('int_usage_indicators_weekly') }}
),

billing_indicators as (
    select * from {{ ref('int_billing_indicators_weekly') }}
),

survey_indicators as (
    select * from {{ ref('int_survey_indicators_weekly') }}
),

champions as (
    select * from {{ ref('int_usage_champions_gone_quiet') }}
),

settings as (
    select * from {{ ref('int_score_settings') }}
),

requirements as (
    select * from {{ ref('int_source_requirements') }}
    where requirement_kind = 'alert_rule'
),

rules as (
    -- Enabled rules whose raw tables are present: a rule on payments cannot
    -- fire for a company that delivers no payments.
    select alert_rules.*
    from {{ ref('alert_rules') }} as alert_rules
    inner join requirements
        on alert_rules.rule_key = requirements.requirement_key
    where alert_rules.is_enabled and requirements.is_available
),

weekly_facts as (
    select
        trends.customer_id,
        trends.week_start,
        trends.health_band,
        trends.previous_band,
        trends.change_4w,
        trends.weeks_declining_in_row,
        trends.declining_streak_change,
        trends.trend_label,
        usage_indicators.seat_utilisation_28d,
        billing_indicators.failed_payments_in_week,
        survey_indicators.nps_in_week,
        champions.champion_user_id
    from trends
    left join usage_indicators
        on {{ same_customer_week('trends', 'usage_indicators') }}
    left join billing_indicators
        on {{ same_customer_week('trends', 'billing_indicators') }}
    left join survey_indicators
        on {{ same_customer_week('trends', 'survey_indicators') }}
    left join champions
        on {{ same_customer_week('trends', 'champions') }}
),

final as (
    select
        weekly_facts.customer_id,
        weekly_facts.week_start,
        rules.rule_key,
        coalesce(case rules.rule_key
            when 'entered_red' then weekly_facts.health_band = 'red'
            when 'score_drop_4w' then weekly_facts.change_4w <= -rules.threshold
            -- A real decline, not a score wobbling within its noise: enough
            -- falling weeks in a row, that together lost at least
            -- declining_streak_min_drop points, while the eight-week trend
            -- is declining. On the demo data the streak alone fired
            -- mostly on customers with a stable or improving trend (a
            -- steady score moves about 2.5 points a week, so three small
            -- falls in a row are common); no floor on the lost points
            -- below score_drop_4w's could separate those, the trend label
            -- does. The floor still keeps a run of one-point falls from
            -- firing on a customer whose slope comes from an older drop.
            when 'declining_streak'
                then
                    weekly_facts.weeks_declining_in_row >= rules.threshold
                    and -weekly_facts.declining_streak_change
                    >= settings.declining_streak_min_drop
                    and weekly_facts.trend_label = 'declining'
            when 'payment_failed' then weekly_facts.failed_payments_in_week > 0
            when 'nps_detractor'
                then weekly_facts.nps_in_week <= rules.threshold
            when 'champion_quiet'
                then weekly_facts.champion_user_id is not null
            when 'expansion_ready'
                then
                    weekly_facts.health_band = 'green'
                    and weekly_facts.trend_label = 'improving'
                    and weekly_facts.seat_utilisation_28d >= rules.threshold
        end, false) as is_met
    from weekly_facts
    cross join rules
    cross join settings
)

select * from final
