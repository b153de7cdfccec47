{#-
    The source adapters, by vendor: the domain var that switches each on, and
    for every table of the raw contract it delivers, the landed tables whose
    rows it is made of (each landed row gives exactly one row of the adapter
    model, so reconciliation counts landed rows). Each vendor's entry lives
    in macros/adapters/<vendor>.sql; scripts/chs/landed/ holds the same
    registry for the loader, and a test keeps the two equal.
-#}
{% macro source_adapters() -%}
    {{ return({
        'salesforce': salesforce_adapter(),
        'stripe': stripe_adapter(),
        'zendesk': zendesk_adapter(),
        'segment': segment_adapter(),
    }) }}
{%- endmacro %}
