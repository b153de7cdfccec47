{#- The indicator families, in the order the marts show their sub-scores. -#}
{% macro indicator_families() -%}
    {{ return(['usage', 'support', 'surveys', 'billing', 'orders',
        'commercial']) }}
{%- endmacro %}
