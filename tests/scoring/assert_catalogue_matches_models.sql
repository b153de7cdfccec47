-- The indicator catalogue and the indicator models name the same indicators.
with

catalogue as (
    select indicator_key from {{ ref('indicator_catalogue') }}
),

computed as (
    {%- for model, columns in indicator_columns().items() %}
    {%- set outer_loop = loop %}
    {%- for column in columns %}
    select '{{ column }}' as indicator_key
    {%- if not (outer_loop.last and loop.last) %} union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

compared as (
    select
        catalogue.indicator_key as in_catalogue,
        computed.indicator_key as in_models
    from catalogue
    full outer join computed
        on catalogue.indicator_key = computed.indicator_key
)

select * from compared
where in_catalogue is null or in_models is null
