-- Every raw table named in a `requires` of the indicator catalogue or the
-- alert rules is a table of the raw contract (one the loader records), so a
-- typo cannot make an indicator or rule silently unavailable: each requires
-- must name as many known tables as it has words.
with

requirements as (
    select * from {{ ref('int_source_requirements') }}
),

catalogue as (
    select
        'indicator' as requirement_kind,
        indicator_key as requirement_key,
        requires
    from {{ ref('indicator_catalogue') }}
    union all
    select
        'alert_rule' as requirement_kind,
        rule_key as requirement_key,
        requires
    from {{ ref('alert_rules') }}
),

compared as (
    select
        catalogue.requirement_kind,
        catalogue.requirement_key,
        catalogue.requires,
        requirements.required_tables,
        case
            when coalesce(trim(catalogue.requires), '') = '' then 0
            else
                length(trim(catalogue.requires))
                - length(replace(trim(catalogue.requires), ' ', '')) + 1
        end as words
    from catalogue
    inner join requirements
        on
            catalogue.requirement_kind = requirements.requirement_kind
            and catalogue.requirement_key = requirements.requirement_key
)

select * from compared
where required_tables != words
