{#-
    One row per customer per subscribed week per enabled alert rule whose raw
    tables are present: whether the rule's condition holds that week (rules
    and thresholds in seeds/alert_rules.csv) and, when it holds, the alert in
    words and its date. This is the one place alerts are put into words, so
    BI tools and the export read the same sentences:
      alert_message: the rule with its threshold and the observed value,
        numbers rounded (number_text), dates written out; never "this week",
        since an alert is read weeks after the fact;
      event_date: the date of what triggered it: the failed payment, the NPS
        answer, the champion's last event; for rules on the score, the last
        day (Sunday) of the week the score was computed for.
    Every fact comes from the customer-week's row, so from data before the
    week's end (point in time).
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

red_band as (
    select * from {{ ref('int_score_band_ranges') }}
    where band = 'red'
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
        billing_indicators.last_failed_payment_currency,
        champions.champion_user_id,
        trends.health_score,
        trends.change_4w,
        trends.weeks_declining_in_row,
        trends.declining_streak_change,
        trends.trend_label,
        usage_indicators.seat_utilisation_28d,
        billing_indicators.failed_payments_in_week,
        billing_indicators.last_failed_payment_amount,
        survey_indicators.nps_in_week,
        champions.champion_events,
        {{ add_days('trends.week_start', 6) }} as week_last_day,
        champions.champion_week_start,
        billing_indicators.last_failed_payment_at,
        survey_indicators.nps_in_week_responded_at,
        champions.champion_last_event_at
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

conditions as (
    select
        weekly_facts.*,
        rules.rule_key,
        rules.threshold,
        settings.declining_streak_min_drop,
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
),

facts_in_words as (
    -- Each number and date as the messages show it, rounded half away from
    -- zero (number_text). A fall is the difference of the rounded scores,
    -- so "from 72 to 54" and "18 points" agree; it is never below a
    -- whole-number threshold it met.
    select
        conditions.customer_id,
        conditions.week_start,
        conditions.rule_key,
        conditions.last_failed_payment_currency,
        conditions.champion_user_id,
        conditions.failed_payments_in_week,
        conditions.is_met,
        replace(conditions.previous_band, '_', ' ') as previous_band_text,
        {{ number_text('conditions.threshold') }} as threshold_text,
        {{ number_text('100 * conditions.threshold') }} as threshold_pct_text,
        {{ number_text('conditions.declining_streak_min_drop') }}
            as min_drop_text,
        {{ number_text('red_band.next_min_score') }} as red_below_text,
        {{ number_text('conditions.health_score') }} as score_text,
        -- A red score is below the band's limit; rounded down to one
        -- decimal, its text never reaches the limit (39.96 -> 39.9).
        {{ number_text('floor(10 * conditions.health_score) / 10', 1) }}
            as red_score_text,
        {{ number_text(
            'conditions.health_score - conditions.change_4w'
        ) }} as score_4w_before_text,
        {{ number_text(
            'round(conditions.health_score - conditions.change_4w)'
            ~ ' - round(conditions.health_score)'
        ) }} as fall_4w_text,
        {{ number_text('conditions.weeks_declining_in_row') }}
            as streak_weeks_text,
        {{ number_text('-conditions.declining_streak_change') }}
            as streak_fall_text,
        {{ number_text('100 * conditions.seat_utilisation_28d') }}
            as seats_pct_text,
        {{ number_text('conditions.failed_payments_in_week') }}
            as failed_payments_text,
        {{ number_text('conditions.last_failed_payment_amount') }}
            as failed_amount_text,
        {{ number_text('conditions.nps_in_week') }} as nps_text,
        {{ number_text('conditions.champion_events') }}
            as champion_events_text,
        {%- for date_column in [
            'week_last_day', 'champion_week_start', 'last_failed_payment_at',
            'nps_in_week_responded_at', 'champion_last_event_at',
        ] %}
        cast(
            cast(conditions.{{ date_column }} as date)
            as {{ dbt.type_string() }}
        ) as {{ date_column }}_text,
        {%- endfor %}
        case
            when not conditions.is_met then null
            when conditions.rule_key = 'payment_failed'
                then cast(conditions.last_failed_payment_at as date)
            when conditions.rule_key = 'nps_detractor'
                then cast(conditions.nps_in_week_responded_at as date)
            when conditions.rule_key = 'champion_quiet'
                then cast(conditions.champion_last_event_at as date)
            else conditions.week_last_day
        end as event_date
    from conditions
    left join red_band
        on true
),

final as (
    select
        customer_id,
        week_start,
        rule_key,
        is_met,
        event_date,
        case
            when not is_met then null
            when rule_key = 'entered_red'
                then
                    'Entered the red band in the week to '
                    || week_last_day_text
                    || coalesce(' with a score of ' || red_score_text, '')
                    || coalesce(' (red: below ' || red_below_text || ')', '')
                    || coalesce(
                        '; ' || previous_band_text || ' the week before', ''
                    )
            when rule_key = 'score_drop_4w'
                then
                    'Score fell ' || fall_4w_text
                    || ' points in the 4 weeks to ' || week_last_day_text
                    || ', from ' || score_4w_before_text
                    || ' to ' || score_text
                    || ' (threshold ' || threshold_text || ')'
            when rule_key = 'declining_streak'
                then
                    'Score fell ' || streak_weeks_text
                    || ' weeks in a row to ' || week_last_day_text
                    || ', ' || streak_fall_text || ' points in all, with a'
                    || ' declining 8-week trend (threshold ' || threshold_text
                    || ' weeks and ' || min_drop_text || ' points)'
            when rule_key = 'payment_failed' and failed_payments_in_week = 1
                then
                    'A payment'
                    || coalesce(
                        ' of ' || last_failed_payment_currency
                        || ' ' || failed_amount_text,
                        ''
                    )
                    || ' failed on ' || last_failed_payment_at_text
            when rule_key = 'payment_failed'
                then
                    failed_payments_text
                    || ' payment attempts failed in the week to '
                    || week_last_day_text || '; the last'
                    || coalesce(
                        ', of ' || last_failed_payment_currency
                        || ' ' || failed_amount_text || ',',
                        ''
                    )
                    || ' on ' || last_failed_payment_at_text
            when rule_key = 'nps_detractor'
                then
                    'NPS ' || nps_text || ' on '
                    || nps_in_week_responded_at_text
                    || ' (detractor: ' || threshold_text || ' or lower)'
            when rule_key = 'champion_quiet'
                then
                    'Their most active user (' || champion_user_id || ', '
                    || champion_events_text || ' events in the week of '
                    || champion_week_start_text
                    || ') has had no activity since '
                    || champion_last_event_at_text
                    || ' (threshold ' || threshold_text
                    || ' events in a week, then two weeks without any)'
            when rule_key = 'expansion_ready'
                then
                    'Green and improving in the week to '
                    || week_last_day_text || ', with ' || seats_pct_text
                    || ' % of seats in use over 28 days (threshold '
                    || threshold_pct_text || ' %)'
        end as alert_message
    from facts_in_words
)

select * from final
