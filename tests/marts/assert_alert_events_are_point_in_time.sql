-- An alert's event_date is known when the alert is raised: never after the
-- last day of its week, and never before the champion week of
-- champion_quiet (two weeks back), the furthest any rule looks. Returns the
-- alerts that break this.
with

alerts as (
    select * from {{ ref('fct_customer_health_alerts') }}
)

select
    alert_id,
    rule_key,
    week_start,
    event_date
from alerts
where
    event_date > {{ add_days('week_start', 6) }}
    or event_date < {{ add_days('week_start', -14) }}
