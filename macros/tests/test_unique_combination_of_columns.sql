{#-
    Generic test: the combination of `combination_of_columns` is unique (a
    composite primary key). Fails with one row per duplicated combination.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from grouped

{% endtest %}
