-- Hand-worked cases of logistic; returns the cases that disagree.
with

cases as (
    select hand_worked.*
    from (
        values
        (0.0, 0.5),
        (2.0, 0.8807970779778823),
        (-2.0, 0.11920292202211755),
        (-1.0986122886681098, 0.25),
        (800.0, 1.0),
        (-800.0, 0.0),
        (null, null)
    ) as hand_worked (log_odds, expected)
),

actual as (
    select
        log_odds,
        expected,
        {{ logistic('log_odds') }} as actual
    from cases
)

select * from actual
where
    (actual is null) != (expected is null)
    or abs(actual - expected) > 1e-12
