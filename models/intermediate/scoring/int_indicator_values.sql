{#-
    One row per customer per subscribed week per indicator: the raw value
    (null when the indicator does not apply or has no data; see
    when_missing in seeds/indicator_catalogue.csv, and null for every
    customer when a raw table it needs is absent: is_available false). The
    indicators are the scored columns of the family models named in
    indicator_registry().
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
    where is_subscribed
),

availability as (
    select
        requirement_key as indicator_key,
        is_available
    from {{ ref('int_source_requirements') }}
    where requirement_kind = 'indicator'
),

{% for family in indicator_registry().values() %}
{{ family.model }} as (
    select * from {{ ref(family.model) }}
),

{% endfor %}
unpivoted as (
    {%- for family in indicator_registry().values() %}
    {%- set model = family.model %}
    {%- set outer_loop = loop %}
    {%- for column in family.indicators %}
    select
        grid.customer_id,
        grid.week_start,
        grid.segment,
        '{{ column }}' as indicator_key,
        cast({{ model }}.{{ column }} as {{ type_double() }}) as raw_value
    from grid
    inner join {{ model }}
        on {{ same_customer_week('grid', model) }}
    {%- if not (outer_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select
        unpivoted.customer_id,
        unpivoted.week_start,
        unpivoted.segment,
        unpivoted.indicator_key,
        availability.is_available,
        case
            when availability.is_available then unpivoted.raw_value
        end as raw_value
    from unpivoted
    inner join availability
        on unpivoted.indicator_key = availability.indicator_key
)

select * from final
