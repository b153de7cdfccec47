{#-
    The stripe adapter (models/staging/adapters/stripe/): switched on by
    billing_source: stripe; the raw-contract tables it delivers and the landed
    stripe tables each is made of.
-#}
{% macro stripe_adapter() -%}
    {{ return({
        'var': 'billing_source',
        'provides': {},
    }) }}
{%- endmacro %}
