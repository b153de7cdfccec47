-- The indicator catalogue and the indicator registry (the family models'
-- scored columns, macros/scoring/indicator_registry.sql) name the same
-- indicators, each in the same family.
with

catalogue as (
    select
        indicator_key,
        family as catalogue_family
    from {{ ref('indicator_catalogue') }}
),

registered as (
    {%- for family_name, family in indicator_registry().items() %}
    {%- set outer_loop = loop %}
    {%- for column in family.indicators %}
    select
        '{{ column }}' as indicator_key,
        '{{ family_name }}' as registry_family
    {%- if not (outer_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

compared as (
    select
        catalogue.indicator_key as in_catalogue,
        registered.indicator_key as in_registry,
        catalogue.catalogue_family,
        registered.registry_family
    from catalogue
    full outer join registered
        on catalogue.indicator_key = registered.indicator_key
)

select * from compared
where
    in_catalogue is null
    or in_registry is null
    or catalogue_family != registry_family
