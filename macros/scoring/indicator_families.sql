{#-
    The indicator families, in the order the marts show their sub-scores:
    the families of indicator_registry().
-#}
{% macro indicator_families() -%}
    {{ return(indicator_registry().keys() | list) }}
{%- endmacro %}
