{#-
    One row per customer per subscribed week per indicator: the raw value
    (null when the indicator does not apply or has no data; see
    when_missing in seeds/indicator_catalogue.csv). The indicators are the
    scored columns of the family models named in indicator_registry().
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
    where is_subscribed
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
)

select * from unpivoted
