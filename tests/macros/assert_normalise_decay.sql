-- Hand-worked cases of normalise_decay; returns the cases that disagree.
with

cases as (
    select hand_worked.*
    from (
        values
        (0.0, 14.0, 100.0),
        (-2.0, 14.0, 100.0),
        (14.0, 14.0, 50.0),
        (28.0, 14.0, 25.0),
        (7.0, 14.0, 70.71067811865476),
        (90.0, 30.0, 12.5),
        (null, 14.0, null)
    ) as hand_worked (days, half_life, expected)
),

actual as (
    select
        days,
        half_life,
        expected,
        {{ normalise_decay('days', 'half_life') }} as actual
    from cases
)

select * from actual
where
    (actual is null) != (expected is null)
    or abs(actual - expected) > 1e-9
