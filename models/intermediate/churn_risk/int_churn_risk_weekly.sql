{#-
    One row per customer per subscribed week that a churn-risk model scores
    (weeks from the end of the first trained checkpoint on): the probability
    that the customer churns within var primary_horizon_weeks weeks of the
    week's end. The model is the one whose checkpoint last preceded the
    week's end (int_churn_risk_coefficients: applies_from_week <= week_start
    < applies_until_week), trained only on outcomes known by then. Applied
    here in plain SQL on the long indicator scores, with no Python: with
    standardised features z = (x - feature_mean) / feature_scale,
        log_odds = intercept + sum of coefficient * z over the features
        churn_risk = 1 / (1 + exp(-log_odds))
    where a missing score takes its mean (z = 0) and its missing flag is 1.
    The sum is regrouped per indicator to explain it: an indicator's
    contribution is how far it moves the log-odds from a customer with the
    training-average score on every indicator and none missing:
        present: score coefficient * (score - mean) / scale
        missing: missing-flag coefficient / missing-flag scale
    (the rest, the intercept, the segment flags and the missing flags at 0,
    is the same for every customer of a segment). Sums are exact_sum()s, so
    a rebuild gives the same risk to the last bit. Score coefficients are
    never positive (a better score never raises the risk), so an indicator
    that raises the risk is one the customer is worse on than the average:
    the three largest positive contributions are named with the
    catalogue's driver_label_worse (top_risk_up_*), the three most negative
    with driver_label_better (top_risk_down_*), in the words of the score's
    drivers (macro driver_text), or 'no recent data: ...' when missing. A
    missing indicator the customer never had a value for (the order
    indicators of a SaaS customer, NPS never answered) is not named: like
    the segment, it says what kind of customer this is, not what changed.
-#}
with

indicator_scores as (
    select * from {{ ref('int_indicator_scores') }}
),

coefficients as (
    select * from {{ ref('int_churn_risk_coefficients') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

models as (
    select
        model_id,
        model_version,
        trained_through,
        applies_from_week,
        applies_until_week
    from coefficients
    where feature_kind = 'intercept'
),

indicator_terms as (
    -- One row per model per indicator: its score and missing-flag features.
    select
        model_id,
        indicator_key,
        max(case when feature_kind = 'score' then coefficient end)
            as score_coefficient,
        max(case when feature_kind = 'score' then feature_mean end)
            as score_mean,
        max(case when feature_kind = 'score' then feature_scale end)
            as score_scale,
        max(case when feature_kind = 'missing' then coefficient end)
            as missing_coefficient,
        max(case when feature_kind = 'missing' then feature_scale end)
            as missing_scale
    from coefficients
    where feature_kind in ('score', 'missing')
    group by 1, 2
),

model_constants as (
    -- The intercept plus the terms of every segment and missing flag at 0.
    select
        model_id,
        {{ exact_sum(
            "case when feature_kind = 'intercept' then coefficient"
            ~ " else -coefficient * feature_mean / feature_scale end"
        ) }} as constant_log_odds
    from coefficients
    where feature_kind in ('intercept', 'segment', 'missing')
    group by 1
),

segment_terms as (
    -- What the customer's own segment flag (1 instead of 0) adds.
    select
        model_id,
        segment,
        coefficient / feature_scale as segment_log_odds
    from coefficients
    where feature_kind = 'segment'
),

first_values as (
    -- The first week each customer had a score of each indicator.
    select
        customer_id,
        indicator_key,
        min(week_start) as first_value_week
    from indicator_scores
    where normalised_score is not null
    group by 1, 2
),

scores_with_history as (
    -- has_had_value: the customer had a score of the indicator by the week.
    select
        indicator_scores.customer_id,
        indicator_scores.week_start,
        indicator_scores.segment,
        indicator_scores.indicator_key,
        indicator_scores.raw_value,
        indicator_scores.normalised_score,
        coalesce(
            first_values.first_value_week <= indicator_scores.week_start,
            false
        ) as has_had_value
    from indicator_scores
    left join first_values
        on
            indicator_scores.customer_id = first_values.customer_id
            and indicator_scores.indicator_key = first_values.indicator_key
),

indicator_contributions as (
    select
        histories.customer_id,
        histories.week_start,
        histories.segment,
        histories.indicator_key,
        models.model_id,
        histories.raw_value,
        histories.has_had_value as is_nameable,
        histories.normalised_score is null as is_missing,
        case
            when histories.normalised_score is null
                then
                    indicator_terms.missing_coefficient
                    / indicator_terms.missing_scale
            else
                indicator_terms.score_coefficient
                * (
                    histories.normalised_score
                    - indicator_terms.score_mean
                )
                / indicator_terms.score_scale
        end as log_odds_contribution
    from scores_with_history as histories
    inner join models
        on
            histories.week_start >= models.applies_from_week
            and (
                models.applies_until_week is null
                or histories.week_start < models.applies_until_week
            )
    inner join indicator_terms
        on
            models.model_id = indicator_terms.model_id
            and histories.indicator_key = indicator_terms.indicator_key
),

ranked as (
    -- Ranks among the indicators that can be named.
    select
        customer_id,
        week_start,
        segment,
        model_id,
        indicator_key,
        raw_value,
        log_odds_contribution,
        is_missing,
        is_nameable,
        row_number() over (
            partition by customer_id, week_start, is_nameable
            order by log_odds_contribution desc, indicator_key asc
        ) as rank_up,
        count(*) over (
            partition by customer_id, week_start, is_nameable
        ) as nameable_indicators
    from indicator_contributions
),

explained as (
    -- rank_down is 1 for the most negative contribution.
    select
        ranked.customer_id,
        ranked.week_start,
        ranked.segment,
        ranked.model_id,
        ranked.log_odds_contribution,
        ranked.rank_up,
        ranked.nameable_indicators + 1 - ranked.rank_up as rank_down,
        case
            when not ranked.is_nameable then null
            when ranked.log_odds_contribution > 0
                then {{ driver_text(
                    'catalogue.driver_label_worse',
                    'case when not ranked.is_missing then ranked.raw_value end',
                    'lower(catalogue.description)'
                ) }}
            when ranked.log_odds_contribution < 0
                then {{ driver_text(
                    'catalogue.driver_label_better',
                    'case when not ranked.is_missing then ranked.raw_value end',
                    'lower(catalogue.description)'
                ) }}
        end as risk_text
    from ranked
    inner join catalogue
        on ranked.indicator_key = catalogue.indicator_key
),

customer_weeks as (
    select
        customer_id,
        week_start,
        segment,
        model_id,
        {{ exact_sum('log_odds_contribution') }} as indicator_log_odds,
        max(
            case
                when rank_up = 1 and log_odds_contribution > 0 then risk_text
            end
        ) as top_risk_up_1,
        max(
            case
                when rank_up = 2 and log_odds_contribution > 0 then risk_text
            end
        ) as top_risk_up_2,
        max(
            case
                when rank_up = 3 and log_odds_contribution > 0 then risk_text
            end
        ) as top_risk_up_3,
        max(
            case
                when rank_down = 1 and log_odds_contribution < 0 then risk_text
            end
        ) as top_risk_down_1,
        max(
            case
                when rank_down = 2 and log_odds_contribution < 0 then risk_text
            end
        ) as top_risk_down_2,
        max(
            case
                when rank_down = 3 and log_odds_contribution < 0 then risk_text
            end
        ) as top_risk_down_3
    from explained
    group by 1, 2, 3, 4
),

scored as (
    select
        customer_weeks.*,
        model_constants.constant_log_odds
        + coalesce(segment_terms.segment_log_odds, 0)
        + customer_weeks.indicator_log_odds as log_odds
    from customer_weeks
    inner join model_constants
        on customer_weeks.model_id = model_constants.model_id
    left join segment_terms
        on
            customer_weeks.model_id = segment_terms.model_id
            and customer_weeks.segment = segment_terms.segment
),

final as (
    select
        scored.customer_id,
        scored.week_start,
        scored.model_id as risk_model_id,
        models.model_version as risk_model_version,
        scored.top_risk_up_1,
        scored.top_risk_up_2,
        scored.top_risk_up_3,
        scored.top_risk_down_1,
        scored.top_risk_down_2,
        scored.top_risk_down_3,
        cast({{ logistic('scored.log_odds') }} as {{ type_double() }})
            as churn_risk,
        cast(scored.log_odds as {{ type_double() }}) as churn_risk_log_odds,
        models.trained_through as risk_trained_through
    from scored
    inner join models
        on scored.model_id = models.model_id
)

select * from final
