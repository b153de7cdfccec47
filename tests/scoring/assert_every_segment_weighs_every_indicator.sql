-- Every segment of a staged customer has a weight for every indicator (an
-- indicator without a weight would silently not count).
with

segments as (
    select distinct segment from {{ ref('stg_crm__customers') }}
),

catalogue as (
    select indicator_key from {{ ref('indicator_catalogue') }}
),

weights as (
    select * from {{ ref('indicator_weights') }}
),

missing as (
    select
        segments.segment,
        catalogue.indicator_key
    from segments
    cross join catalogue
    left join weights
        on
            segments.segment = weights.segment
            and catalogue.indicator_key = weights.indicator_key
    where weights.weight is null
)

select * from missing
