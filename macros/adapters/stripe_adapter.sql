{#-
    The stripe adapter (models/staging/adapters/stripe/): switched on by
    billing_source: stripe; the raw-contract tables it delivers and the landed
    stripe tables each is made of (one adapter row per landed row: items,
    prices and products are looked up, not counted). `optional` lists, per
    landed table, the columns a connector may not land (older connections,
    fields never used), with their types: the models select them through
    landed_columns(), which makes a missing one a typed null. The loader's
    registry (scripts/chs/landed/stripe.py) holds the same provides and
    optional columns; tests/python/test_adapter_stripe.py keeps them equal.
-#}
{% macro stripe_adapter() -%}
    {{ return({
        'var': 'billing_source',
        'provides': {
            'billing.subscriptions': ['stripe.subscription_history'],
            'billing.invoices': ['stripe.invoice'],
            'billing.payments': ['stripe.charge', 'stripe.refund'],
        },
        'optional': {
            'customer': [('is_deleted', dbt.type_boolean())],
            'subscription_history': [
                ('cancel_at', dbt.type_timestamp()),
                ('current_period_end', dbt.type_timestamp()),
                ('_fivetran_active', dbt.type_boolean()),
            ],
            'price': [
                ('unit_amount_decimal', dbt.type_string()),
                ('recurring_interval_count', dbt.type_bigint()),
                ('is_deleted', dbt.type_boolean()),
            ],
            'product': [('is_deleted', dbt.type_boolean())],
            'invoice': [
                ('due_date', dbt.type_timestamp()),
                ('is_deleted', dbt.type_boolean()),
            ],
            'refund': [('status', dbt.type_string())],
        },
    }) }}
{%- endmacro %}
