{#-
    An indicator in a customer-success manager's words: the catalogue's
    driver label (driver_label_worse or driver_label_better) with {value}
    replaced by the raw value (a whole number, or rounded to one decimal), or
    'no recent data: <description>' when the raw value is missing. The score's
    drivers and the churn risk's explanations both speak through it.
-#}
{% macro driver_text(label, raw_value, description) -%}
    case
        when {{ raw_value }} is null
            then 'no recent data: ' || {{ description }}
        else replace(
            {{ label }},
            '{value}',
            case
                when round({{ raw_value }}, 1) = round({{ raw_value }}, 0)
                    then
                        cast(
                            cast(round({{ raw_value }}, 0) as bigint)
                            as {{ dbt.type_string() }}
                        )
                else cast(round({{ raw_value }}, 1) as {{ dbt.type_string() }})
            end
        )
    end
{%- endmacro %}
