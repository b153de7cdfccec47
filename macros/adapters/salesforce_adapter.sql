{#-
    The salesforce adapter (models/staging/adapters/salesforce/): switched on by
    crm_source: salesforce; the raw-contract tables it delivers and the landed
    salesforce tables each is made of (one customer row per account; user and
    contact are lookups). scripts/chs/landed/salesforce.py holds the same.
-#}
{% macro salesforce_adapter() -%}
    {{ return({
        'var': 'crm_source',
        'provides': {
            'crm.customers': ['salesforce.account'],
        },
    }) }}
{%- endmacro %}
