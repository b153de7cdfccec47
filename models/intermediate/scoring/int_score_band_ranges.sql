{#-
    One row per band of seeds/score_bands.csv: the range of scores it holds,
    from its min_score up to (not including) the next band's min_score; the
    top band has no upper bound. With the in_band_range() join condition
    this is the one place where a score is mapped to a band.
-#}
with

bands as (
    select * from {{ ref('score_bands') }}
),

final as (
    select
        band,
        min_score,
        lead(min_score) over (order by min_score) as next_min_score
    from bands
)

select * from final
