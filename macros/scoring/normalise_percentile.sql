{#-
    Percentile rank (0-100) of `value` among the non-null values of its
    partition (for scores: segment and week). Ties share the mean of their
    ranks, so equal values score equally and the scale stays symmetric; a
    partition with a single value scores 50. With direction
    'lower_is_better' the scale is reversed. Null in, null out.
-#}
{% macro normalise_percentile(value, partition_by, direction) -%}
    {%- set partition = partition_by | join(', ') -%}
    {%- set present = 'case when ' ~ value ~ ' is null then 0 else 1 end' -%}
    case
        when {{ value }} is null then null
        when count({{ value }}) over (partition by {{ partition }}) = 1
            then 50.0
        else (
            case when {{ direction }} = 'lower_is_better' then -1 else 1 end
            * (
                100.0 * (
                    rank()
                        over (
                            partition by {{ partition }}, {{ present }}
                            order by {{ value }}
                        )
                    - 1
                    + (
                        count(*) over (
                            partition by {{ partition }}, {{ value }}
                        ) - 1
                    ) / 2.0
                ) / (count({{ value }}) over (partition by {{ partition }}) - 1)
                - 50.0
            ) + 50.0
        )
    end
{%- endmacro %}
