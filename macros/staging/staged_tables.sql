{#-
    The raw tables and their validating base models, in one place for the
    data-quality marts: source table, base model, key column.
-#}
{% macro staged_tables() -%}
    {{ return([
        ('crm.customers', 'base_crm__customers', 'customer_id'),
        ('billing.subscriptions', 'base_billing__subscriptions',
            'subscription_id'),
        ('billing.invoices', 'base_billing__invoices', 'invoice_id'),
        ('billing.payments', 'base_billing__payments', 'payment_id'),
        ('product.features', 'base_product__features', 'feature_key'),
        ('product.usage_events', 'base_product__usage_events', 'event_id'),
        ('support.tickets', 'base_support__tickets', 'ticket_id'),
        ('shop.orders', 'base_shop__orders', 'order_id'),
        ('surveys.survey_responses', 'base_surveys__survey_responses',
            'response_id'),
        ('identity.customer_id_map', 'base_identity__customer_id_map',
            'external_id'),
    ]) }}
{%- endmacro %}
