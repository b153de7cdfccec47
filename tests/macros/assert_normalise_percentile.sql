-- Hand-worked cases of normalise_percentile; returns the cases that disagree.
-- Group a: 10, 20, 20, 40 -> ranks 1, 2, 2, 4; ties take the mean rank
-- (2.5), so the percentiles are 0/3, 1.5/3, 1.5/3, 3/3.
-- Group b is lower-is-better: 1, 2, 3 -> 100, 50, 0.
-- Group c has one value (50) and a null (null).
with

cases as (
    select hand_worked.*
    from (
        values
        ('a', 'higher_is_better', 10.0, 0.0),
        ('a', 'higher_is_better', 20.0, 50.0),
        ('a', 'higher_is_better', 20.0, 50.0),
        ('a', 'higher_is_better', 40.0, 100.0),
        ('a', 'higher_is_better', null, null),
        ('b', 'lower_is_better', 1.0, 100.0),
        ('b', 'lower_is_better', 2.0, 50.0),
        ('b', 'lower_is_better', 3.0, 0.0),
        ('c', 'higher_is_better', 7.0, 50.0),
        ('c', 'higher_is_better', null, null)
    ) as hand_worked (grp, direction, raw_value, expected)
),

actual as (
    select
        grp,
        raw_value,
        expected,
        {{ normalise_percentile('raw_value', ['grp'], 'direction') }} as actual
    from cases
)

select * from actual
where
    (actual is null) != (expected is null)
    or abs(actual - expected) > 1e-9
