{#-
    One row: the scoring settings of seeds/score_settings.csv, typed, one
    column per setting. Models read their settings from here instead of
    pivoting the key/value seed themselves.
-#}
with

settings as (
    select
        setting,
        cast(value as {{ type_double() }}) as setting_value
    from {{ ref('score_settings') }}
),

final as (
    select
        max(
            case when setting = 'min_completeness' then setting_value end
        ) as min_completeness,
        max(
            case when setting = 'trend_improving_slope' then setting_value end
        ) as trend_improving_slope,
        max(
            case when setting = 'trend_declining_slope' then setting_value end
        ) as trend_declining_slope,
        max(
            case when setting = 'declining_week_points' then setting_value end
        ) as declining_week_points,
        max(
            case
                when setting = 'declining_streak_min_drop' then setting_value
            end
        ) as declining_streak_min_drop
    from settings
)

select * from final
