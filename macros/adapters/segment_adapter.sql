{#-
    The segment adapter (models/staging/adapters/segment/): switched on by
    events_source: segment; the raw-contract tables it delivers and the landed
    segment tables each is made of.
-#}
{% macro segment_adapter() -%}
    {{ return({
        'var': 'events_source',
        'provides': {},
    }) }}
{%- endmacro %}
