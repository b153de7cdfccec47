-- Hand-worked cases of number_text; returns the cases that disagree.
with

cases as (
    select hand_worked.*
    from (
        values
        -- halves round away from zero, whatever the type
        (cast(17.5 as {{ type_double() }}), 0, '18'),
        (cast(239.5 as decimal(18, 2)), 0, '240'),
        (cast(-12.5 as {{ type_double() }}), 0, '-13'),
        -- float noise and a whole value print without decimals
        (cast(17.999999 as {{ type_double() }}), 0, '18'),
        (cast(15 as {{ type_double() }}), 0, '15'),
        -- a small negative rounds to a plain zero
        (cast(-0.4 as {{ type_double() }}), 0, '0'),
        -- one decimal: 0.25 is exact in binary, so it rounds up
        (cast(0.25 as {{ type_double() }}), 1, '0.3'),
        (cast(94.44 as {{ type_double() }}), 1, '94.4'),
        (cast(null as {{ type_double() }}), 0, null)
    ) as hand_worked (number_value, decimals, expected)
),

actual as (
    select
        number_value,
        decimals,
        expected,
        case decimals
            when 0 then {{ number_text('number_value') }}
            when 1 then {{ number_text('number_value', 1) }}
        end as actual
    from cases
)

select * from actual
where
    (actual is null) != (expected is null)
    or actual != expected
