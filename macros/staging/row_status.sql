{#-
    Classifies every raw row: 'quarantined' when a check failed, 'duplicate'
    when a usable row with the same key ranks after another, else 'staged'.
    Ties on `order_by` are broken by the latest load and the highest raw row
    id, so the choice is deterministic. Only usable rows compete for a key.
-#}
{% macro row_status(key, order_by) -%}
    case
        when quarantine_reason is not null then 'quarantined'
        when row_number() over (
            partition by {{ key }}, quarantine_reason
            order by {{ order_by }}, _loaded_at desc, _row_id desc
        ) > 1 then 'duplicate'
        else 'staged'
    end as row_status
{%- endmacro %}
