{#-
    The indicator registry: per family (in the order the marts show their
    sub-scores), the intermediate model that computes its indicators and the
    columns of that model that are scored. Together with
    seeds/indicator_catalogue.csv (what each indicator means and how it is
    normalised) this is the single list of indicators: the scoring models
    unpivot these columns, the family sub-scores follow the families, and
    tests/scoring/assert_catalogue_matches_models.sql checks that catalogue
    and registry name the same indicators in the same families. Adding an
    indicator: compute the column in its family model, name it here, and
    give it a catalogue row and a weight per segment.
-#}
{% macro indicator_registry() -%}
    {{ return({
        'usage': {
            'model': 'int_usage_indicators_weekly',
            'indicators': [
                'active_days_28d', 'active_users_28d', 'seat_utilisation_28d',
                'feature_breadth_28d', 'key_features_used_28d',
                'usage_trend_28d_pct', 'days_since_last_activity',
                'days_since_key_feature_use',
            ],
        },
        'support': {
            'model': 'int_support_indicators_weekly',
            'indicators': [
                'tickets_90d_per_10_seats', 'oldest_open_ticket_days',
                'median_resolution_hours_90d', 'escalated_tickets_90d',
                'support_satisfaction_180d', 'support_good_rating_share_180d',
            ],
        },
        'surveys': {
            'model': 'int_survey_indicators_weekly',
            'indicators': ['latest_nps', 'nps_change', 'csat_180d'],
        },
        'billing': {
            'model': 'int_billing_indicators_weekly',
            'indicators': [
                'failed_payments_180d', 'late_payments_180d', 'days_overdue',
            ],
        },
        'orders': {
            'model': 'int_order_indicators_weekly',
            'indicators': [
                'orders_90d', 'order_value_trend_90d_pct',
                'days_since_last_order',
            ],
        },
        'commercial': {
            'model': 'int_commercial_indicators_weekly',
            'indicators': [
                'net_expansions_180d', 'tenure_days',
                'lifetime_revenue', 'has_churned_before',
            ],
        },
    }) }}
{%- endmacro %}
