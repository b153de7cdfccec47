{#-
    The zendesk adapter (models/staging/adapters/zendesk/): switched on by
    support_source: zendesk; the raw-contract tables it delivers and the landed
    zendesk tables each is made of.
-#}
{% macro zendesk_adapter() -%}
    {{ return({
        'var': 'support_source',
        'provides': {},
    }) }}
{%- endmacro %}
