{#-
    One row per customer whose data has an issue (int_customer_data_issues):
    quarantined rows naming it, disagreeing CRM versions, events before
    signup or without a subscription, periods with unknown amounts, amounts
    without an exchange rate. For the data team to fix at the source;
    has_data_issues marks the customers flagged in the score marts.
-#}
with

issues as (
    select * from {{ ref('int_customer_data_issues') }}
),

final as (
    select
        issues.customer_id,
        issues.data_issues,
        issues.quarantine_reasons,
        issues.quarantined_rows,
        issues.quarantined_status_rows,
        issues.events_before_signup,
        issues.missing_exchange_rates,
        issues.has_data_issues,
        issues.has_conflicting_versions,
        issues.has_events_without_subscription,
        issues.has_period_with_unknown_amounts
    from issues
)

select * from final
