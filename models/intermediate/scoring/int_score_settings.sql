{#-
    One row: the scoring settings of seeds/score_settings.csv, typed, one
    column per setting. Models read their settings from here instead of
    pivoting the key/value seed themselves.
-#}
{%- set setting_names = [
    'min_completeness',
    'trend_improving_slope',
    'trend_declining_slope',
    'declining_week_points',
] %}

with

settings as (
    select * from {{ ref('score_settings') }}
),

final as (
    select
        {%- for setting_name in setting_names %}
        max(
            case
                when setting = '{{ setting_name }}'
                    then cast(value as {{ type_double() }})
            end
        ) as {{ setting_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from settings
)

select * from final
