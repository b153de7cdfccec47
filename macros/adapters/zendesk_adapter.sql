{#-
    The zendesk adapter (models/staging/adapters/zendesk/): switched on by
    support_source: zendesk; the raw-contract tables it delivers and the landed
    zendesk tables each is made of. Each Zendesk ticket is one support ticket;
    field history, comments, users and tags are looked up, not counted.
-#}
{% macro zendesk_adapter() -%}
    {{ return({
        'var': 'support_source',
        'provides': {
            'support.tickets': ['zendesk.ticket'],
        },
    }) }}
{%- endmacro %}
