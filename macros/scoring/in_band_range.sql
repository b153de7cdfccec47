{#-
    Join condition: `score` lies in the band range `band_range` (a row of
    int_score_band_ranges), at or above its min_score and below the next
    band's. Joined with a left join, a score in no range (null) finds no
    band; the caller names that 'not_scored'.
-#}
{% macro in_band_range(score, band_range) -%}
    {{ score }} >= {{ band_range }}.min_score
    and (
        {{ band_range }}.next_min_score is null
        or {{ score }} < {{ band_range }}.next_min_score
    )
{%- endmacro %}
