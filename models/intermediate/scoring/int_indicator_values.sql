{#-
    One row per customer per subscribed week per indicator: the raw value
    (null when the indicator does not apply or has no data; see
    when_missing in seeds/indicator_catalogue.csv).
-#}
with

grid as (
    select * from {{ ref('int_customer_weeks') }}
    where is_subscribed
),

{% for model in indicator_columns() %}
{{ model }} as (
    select * from {{ ref(model) }}
),

{% endfor %}
unpivoted as (
    {%- for model, columns in indicator_columns().items() %}
    {%- set outer_loop = loop %}
    {%- for column in columns %}
    select
        grid.customer_id,
        grid.week_start,
        grid.segment,
        '{{ column }}' as indicator_key,
        cast({{ model }}.{{ column }} as {{ type_double() }}) as raw_value
    from grid
    inner join {{ model }}
        on
            grid.customer_id = {{ model }}.customer_id
            and grid.week_start = {{ model }}.week_start
    {%- if not (outer_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
)

select * from unpivoted
