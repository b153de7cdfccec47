-- The weights of every segment sum to one (within rounding).
with

weights as (
    select * from {{ ref('indicator_weights') }}
),

sums as (
    select
        segment,
        sum(weight) as total_weight
    from weights
    group by 1
)

select * from sums
where abs(total_weight - 1.0) > 1e-6
