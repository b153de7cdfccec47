{#-
    Generic test for base models: a row is quarantined exactly when it has a
    quarantine reason and column, and the reason is a documented code.
-#}
{% test row_status_consistent(model) %}

with

reasons as (
    select quarantine_reason
    from {{ ref('quarantine_reasons') }}
),

checked as (
    select tested.*
    from {{ model }} as tested
    left join reasons
        on tested.quarantine_reason = reasons.quarantine_reason
    where
        (tested.row_status = 'quarantined')
        != (tested.quarantine_reason is not null)
        or (tested.quarantine_reason is null)
        != (tested.quarantine_column is null)
        or (
            tested.quarantine_reason is not null
            and reasons.quarantine_reason is null
        )
        or tested.row_status not in ('staged', 'quarantined', 'duplicate')
)

select * from checked

{% endtest %}
