{#-
    Which intermediate model computes which indicator columns. The scoring
    models unpivot these columns; seeds/indicator_catalogue.csv describes and
    configures them (tests/scoring/assert_catalogue_matches_models.sql checks
    that both name the same indicators).
-#}
{% macro indicator_columns() -%}
    {{ return({
        'int_usage_indicators_weekly': [
            'active_days_28d', 'active_users_28d', 'seat_utilisation_28d',
            'feature_breadth_28d', 'key_features_used_28d',
            'usage_trend_28d_pct', 'days_since_last_activity',
            'days_since_key_feature_use',
        ],
        'int_support_indicators_weekly': [
            'tickets_90d_per_10_seats', 'oldest_open_ticket_days',
            'median_resolution_hours_90d', 'escalated_tickets_90d',
            'support_satisfaction_180d',
        ],
        'int_survey_indicators_weekly': [
            'latest_nps', 'nps_change', 'csat_180d',
        ],
        'int_billing_indicators_weekly': [
            'failed_payments_180d', 'late_payments_180d', 'days_overdue',
        ],
        'int_order_indicators_weekly': [
            'orders_90d', 'order_value_trend_90d_pct', 'days_since_last_order',
        ],
        'int_commercial_indicators_weekly': [
            'net_expansions_180d', 'tenure_days',
            'lifetime_revenue', 'has_churned_before',
        ],
    }) }}
{%- endmacro %}
