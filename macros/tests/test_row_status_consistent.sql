{#-
    Generic test for base models: a row is quarantined exactly when it has a
    quarantine reason and column, and the reason is a documented code.
-#}
{% test row_status_consistent(model) %}

with

reasons as (
    select quarantine_reason from {{ ref('quarantine_reasons') }}
),

checked as (
    select
        model.*
    from {{ model }} as model
    left join reasons
        on model.quarantine_reason = reasons.quarantine_reason
    where
        (model.row_status = 'quarantined') != (model.quarantine_reason is not null)
        or (model.quarantine_reason is null) != (model.quarantine_column is null)
        or (model.quarantine_reason is not null and reasons.quarantine_reason is null)
        or model.row_status not in ('staged', 'quarantined', 'duplicate')
)

select * from checked

{% endtest %}
