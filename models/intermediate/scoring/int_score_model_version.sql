{#-
    One row: a version id derived from the whole scoring configuration (the
    indicator catalogue, the weights, the bands and the settings). Any change
    to a seed that shapes the score gives a new version, so scores computed
    under different configurations are never mixed up.
-#}
with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

weights as (
    select * from {{ ref('indicator_weights') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

settings as (
    select * from {{ ref('score_settings') }}
),

configuration_lines as (
    select
        'catalogue|' || indicator_key || '|' || family || '|' || direction
        || '|' || normalisation_method
        || '|' || coalesce(cast(bad_value as {{ dbt.type_string() }}), '')
        || '|' || coalesce(cast(good_value as {{ dbt.type_string() }}), '')
        || '|'
        || coalesce(cast(half_life_days as {{ dbt.type_string() }}), '')
            as config_line
    from catalogue
    union all
    select
        'weight|' || segment || '|' || indicator_key || '|'
        || cast(weight as {{ dbt.type_string() }})
    from weights
    union all
    select
        'band|' || band || '|' || cast(min_score as {{ dbt.type_string() }})
    from bands
    union all
    select
        'setting|' || setting || '|' || cast(value as {{ dbt.type_string() }})
    from settings
),

final as (
    select
        'chs-' || substr(
            md5(
                {{ dbt.listagg(
                    'config_line', "'\\n'", 'order by config_line'
                ) }}
            ),
            1,
            12
        ) as score_model_version
    from configuration_lines
)

select * from final
