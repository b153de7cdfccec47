{#-
    The segment adapter (models/staging/adapters/segment/): switched on by
    events_source: segment; the raw-contract tables it delivers and the landed
    segment tables each is made of (one event per track call; groups is a
    lookup). scripts/chs/landed/segment.py holds the same.
-#}
{% macro segment_adapter() -%}
    {{ return({
        'var': 'events_source',
        'provides': {
            'product.usage_events': ['segment.tracks'],
        },
    }) }}
{%- endmacro %}
