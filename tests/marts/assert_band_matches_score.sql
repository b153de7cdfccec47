{#-
    Every band is the band of its score: the band with the highest min_score
    at or below it in seeds/score_bands.csv, not_scored when there is no
    score. Checked for the computed score and band of every week, and for
    the shown score and band of weeks without an override (an override may
    set the band itself: seeds/_seeds.yml tests that an override band is a
    band of the seed, and tests/python/test_scoring.py covers overrides), so
    the bands of the seed are the only list of bands the marts are held to.
    Written independently of in_band_range() (a max over the bands at or
    below the score rather than a range join), so a mistake in either shows
    here. Returns the rows that disagree.
-#}
with

weekly as (
    select * from {{ ref('fct_customer_health_weekly') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

scores_to_check as (
    select
        customer_id,
        week_start,
        'computed' as score_kind,
        computed_score as score,
        computed_band as band
    from weekly
    union all
    select
        customer_id,
        week_start,
        'shown' as score_kind,
        health_score as score,
        health_band as band
    from weekly
    where not is_overridden
),

highest_min_score_at_or_below as (
    select
        scores_to_check.customer_id,
        scores_to_check.week_start,
        scores_to_check.score_kind,
        max(bands.min_score) as band_min_score
    from scores_to_check
    inner join bands
        on scores_to_check.score >= bands.min_score
    group by 1, 2, 3
),

expected as (
    select
        scores_to_check.*,
        case
            when scores_to_check.score is null then 'not_scored'
            else bands.band
        end as expected_band
    from scores_to_check
    left join highest_min_score_at_or_below
        on
            scores_to_check.customer_id
            = highest_min_score_at_or_below.customer_id
            and scores_to_check.week_start
            = highest_min_score_at_or_below.week_start
            and scores_to_check.score_kind
            = highest_min_score_at_or_below.score_kind
    left join bands
        on highest_min_score_at_or_below.band_min_score = bands.min_score
)

select * from expected
where expected_band is null or band != expected_band
