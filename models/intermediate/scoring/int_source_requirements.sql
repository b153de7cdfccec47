{#-
    One row per indicator (seeds/indicator_catalogue.csv) and per alert rule
    (seeds/alert_rules.csv): whether every raw table it is computed from (the
    seeds' `requires`, space-separated relations) is present for this build.
    An indicator of an absent source is missing for every customer (its
    weight is spread over the available indicators, never scored as zero),
    and an alert rule of an absent source never fires.
-#}
with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

presence as (
    select * from {{ ref('stg_loader__source_presence') }}
),

requirements as (
    select
        'indicator' as requirement_kind,
        indicator_key as requirement_key,
        requires
    from catalogue
    union all
    select
        'alert_rule' as requirement_kind,
        rule_key as requirement_key,
        requires
    from rules
),

required_tables as (
    select
        requirements.requirement_kind,
        requirements.requirement_key,
        presence.relation,
        presence.is_present
    from requirements
    inner join presence
        on
            ' ' || requirements.requires || ' '
            like '% ' || presence.relation || ' %'
),

final as (
    select
        requirements.requirement_kind,
        requirements.requirement_key,
        count(required_tables.relation) as required_tables,
        coalesce(
            {{ dbt.listagg(
                "case when not required_tables.is_present"
                ~ " then required_tables.relation end",
                "', '",
                "order by required_tables.relation"
            ) }},
            ''
        ) as absent_tables,
        coalesce(sum(
            case when not required_tables.is_present then 1 else 0 end
        ), 0) = 0 as is_available
    from requirements
    left join required_tables
        on
            requirements.requirement_kind = required_tables.requirement_kind
            and requirements.requirement_key = required_tables.requirement_key
    group by 1, 2
)

select * from final
