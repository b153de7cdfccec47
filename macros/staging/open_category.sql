{#-
    The value of an open categorical column: a category that belongs to the
    company (plan names, channels, ticket statuses) and that scoring does not
    depend on. It is taken as it comes, standardised for case and spacing
    (`<column>_raw` is lower(trim(...))), and mapped to the standard spelling
    when seeds/category_aliases.csv knows it (category_alias_join); unknown
    values are kept, never quarantined. Closed categories, which scoring
    depends on, use category_checks() and quarantine what the seed does not
    know.
-#}
{% macro open_category(column) -%}
    coalesce({{ column }}_aliases.standard_value, {{ column }}_raw)
{%- endmacro %}
