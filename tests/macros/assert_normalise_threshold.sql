-- Hand-worked cases of normalise_threshold; returns the cases that disagree.
with

cases as (
    select hand_worked.*
    from (
        values
        (5.0, 0.0, 10.0, 50.0),
        (-3.0, 0.0, 10.0, 0.0),
        (0.0, 0.0, 10.0, 0.0),
        (12.0, 0.0, 10.0, 100.0),
        (2.5, 0.0, 10.0, 25.0),
        (0.0, 30.0, 0.0, 100.0),
        (6.0, 30.0, 0.0, 80.0),
        (45.0, 30.0, 0.0, 0.0),
        (4.0, 4.0, 4.0, 100.0),
        (3.9, 4.0, 4.0, 0.0),
        (null, 0.0, 10.0, null)
    ) as hand_worked (raw_value, bad, good, expected)
),

actual as (
    select
        raw_value,
        bad,
        good,
        expected,
        {{ normalise_threshold('raw_value', 'bad', 'good') }} as actual
    from cases
)

select * from actual
where
    (actual is null) != (expected is null)
    or abs(actual - expected) > 1e-9
