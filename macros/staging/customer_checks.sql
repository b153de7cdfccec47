{#-
    Quarantine checks for a customer_id foreign key. Expects `customer_id` and
    `_external_id` (raw_table()) in the parsed CTE and `known_customer_id`
    from a left join to the staged customers.
-#}
{% macro customer_checks() -%}
    {{ return(identity_checks() + [
        {
            'when': 'customer_id is null',
            'reason': 'missing_customer_id',
            'column': 'customer_id',
        },
        {
            'when': 'known_customer_id is null',
            'reason': 'unknown_customer_id',
            'column': 'customer_id',
        },
    ]) }}
{%- endmacro %}
