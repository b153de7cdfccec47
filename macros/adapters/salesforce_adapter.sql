{#-
    The salesforce adapter (models/staging/adapters/salesforce/): switched on by
    crm_source: salesforce; the raw-contract tables it delivers and the landed
    salesforce tables each is made of.
-#}
{% macro salesforce_adapter() -%}
    {{ return({
        'var': 'crm_source',
        'provides': {},
    }) }}
{%- endmacro %}
