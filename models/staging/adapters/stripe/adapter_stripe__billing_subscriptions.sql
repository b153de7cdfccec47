{{ config(enabled=var('billing_source') == 'stripe') }}
{#-
    billing.subscriptions from Stripe: one row per landed subscription_history
    row, each Stripe subscription one subscription period.
    - seats: the sum of its items' quantities; mrr_amount: the sum over its
      items of quantity x unit amount (unit_amount_decimal, else
      unit_amount), made monthly by the price's interval (year / 12,
      week x 52 / 12, day x 365 / 12, over the interval count) and turned
      from cents into units (stripe_amount); plan_name: the product of the
      item with the largest amount. An item or price that is missing leaves
      seats or mrr_amount null (quarantined invalid_value).
    - started_at, ended_at: start_date and ended_at; renews_on: the date of
      cancel_at (the end of a fixed term), else of current_period_end (the
      next bill of an open-ended subscription).
    - change_type, which Stripe lacks: derived from the Stripe customer's
      subscriptions in order of start: the first is new, then each is an
      upgrade, downgrade or renewal as its monthly amount is above, below
      or equal to that of the last one before it that staging can use
      (amounts, seats and start present and not negative, start not in the
      future). A plan change within one subscription (Stripe edits the
      item in place) leaves no trace in the landed tables: only companies
      that start a new subscription per term or change get changes here.
    - customer_id: the identity map's customer for the Stripe customer
      (_external_id); null when unmapped.
    Landed duplicates and older history versions of a subscription share
    its id and are removed as duplicates in staging: the latest version
    (_fivetran_active) keeps its row id, older ones carry its negative, so
    the latest version wins.
-#}
{%- set optional = stripe_adapter()['optional'] -%}

with

subscription_history_landed as (
    select
        id,
        customer_id,
        start_date,
        ended_at,
        _fivetran_synced,
        {{ stripe_loaded_at(source('stripe', 'subscription_history')) }}
            as _loaded_at,
        {{- landed_columns(
            source('stripe', 'subscription_history'),
            [('_row_id', dbt.type_bigint())]
            + optional['subscription_history']
        ) }}
    from {{ source('stripe', 'subscription_history') }}
),

subscription_items_landed as (
    select
        id,
        subscription_id,
        plan_id,
        quantity,
        _fivetran_synced,
        {{- landed_columns(
            source('stripe', 'subscription_item'),
            [('_row_id', dbt.type_bigint())]
        ) }}
    from {{ source('stripe', 'subscription_item') }}
),

prices_landed as (
    select
        id,
        product_id,
        currency,
        unit_amount,
        recurring_interval,
        _fivetran_synced,
        {{- landed_columns(
            source('stripe', 'price'),
            [('_row_id', dbt.type_bigint())] + optional['price']
        ) }}
    from {{ source('stripe', 'price') }}
),

products_landed as (
    select
        id,
        name,
        _fivetran_synced,
        {{- landed_columns(
            source('stripe', 'product'),
            [('_row_id', dbt.type_bigint())] + optional['product']
        ) }}
    from {{ source('stripe', 'product') }}
),

identity_map as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'stripe'
),

subscription_history as (
    select
        *,
        coalesce(
            _row_id,
            row_number() over (
                order by id, _fivetran_synced, start_date, ended_at, customer_id
            )
        ) as landed_row_id,
        nullif(trim(customer_id), '') as external_id
    from subscription_history_landed
),

-- Lookups: the latest landed version of each item, price and product.
subscription_items_ranked as (
    select
        *,
        row_number() over (
            partition by id order by _fivetran_synced desc, _row_id desc
        ) as version_rank
    from subscription_items_landed
),

prices_ranked as (
    select
        *,
        row_number() over (
            partition by id order by _fivetran_synced desc, _row_id desc
        ) as version_rank
    from prices_landed
),

products_ranked as (
    select
        *,
        row_number() over (
            partition by id order by _fivetran_synced desc, _row_id desc
        ) as version_rank
    from products_landed
),

item_prices as (
    select
        subscription_items.subscription_id,
        subscription_items.id as item_id,
        subscription_items.quantity,
        products.name as product_name,
        prices.currency,
        coalesce(
            {{ safe_cast('prices.unit_amount_decimal', 'decimal(38, 12)') }},
            prices.unit_amount
        ) as unit_minor_units,
        case lower(prices.recurring_interval)
            when 'month' then 1.0
            when 'year' then 1.0 / 12
            when 'week' then 52.0 / 12
            when 'day' then 365.0 / 12
        end / coalesce(prices.recurring_interval_count, 1) as bills_per_month
    from subscription_items_ranked as subscription_items
    left join prices_ranked as prices
        on
            subscription_items.plan_id = prices.id
            and prices.version_rank = 1
    left join products_ranked as products
        on
            prices.product_id = products.id
            and products.version_rank = 1
    where subscription_items.version_rank = 1
),

item_amounts as (
    select
        *,
        quantity * unit_minor_units * bills_per_month as monthly_minor_units
    from item_prices
),

item_amounts_ranked as (
    select
        *,
        row_number() over (
            partition by subscription_id
            order by monthly_minor_units desc nulls last, item_id asc
        ) as amount_rank
    from item_amounts
),

subscription_amounts as (
    select
        subscription_id,
        max(currency) as currency,
        max(case when amount_rank = 1 then product_name end) as plan_name,
        case
            when count(*) = count(quantity)
                then cast(sum(quantity) as {{ dbt.type_bigint() }})
        end as seats,
        case
            when count(*) = count(monthly_minor_units)
                then round(sum(monthly_minor_units))
        end as mrr_minor_units
    from item_amounts_ranked
    group by 1
),

periods as (
    select
        subscription_history.*,
        subscription_amounts.plan_name,
        subscription_amounts.currency,
        subscription_amounts.seats,
        subscription_amounts.mrr_minor_units
    from subscription_history
    left join subscription_amounts
        on subscription_history.id = subscription_amounts.subscription_id
),

-- One row per subscription (duplicates and history versions collapse), with
-- the amount change_type compares: null when staging would refuse the row.
subscriptions as (
    select
        id,
        max(external_id) as external_id,
        min(start_date) as start_date,
        max(mrr_minor_units) as mrr_minor_units,
        min(
            case
                when
                    mrr_minor_units >= 0
                    and seats >= 0
                    and external_id is not null
                    and start_date <= {{ dbt.dateadd(
                        'hour', var('future_tolerance_hours'), '_loaded_at'
                    ) }}
                    then 1
                else 0
            end
        ) as is_comparable
    from periods
    group by 1
),

subscriptions_in_order as (
    select
        id,
        external_id,
        mrr_minor_units,
        case
            when is_comparable = 1 then mrr_minor_units
        end as comparable_minor_units,
        count(case when is_comparable = 1 then 1 end) over (
            partition by external_id
            order by start_date, id
            rows between unbounded preceding and 1 preceding
        ) as comparable_before,
        count(case when is_comparable = 1 then 1 end) over (
            partition by external_id
            order by start_date, id
            rows between unbounded preceding and current row
        ) as comparable_through
    from subscriptions
),

change_types as (
    select
        current_subscription.id,
        case
            when previous_subscription.id is null then 'new'
            when
                current_subscription.mrr_minor_units
                > previous_subscription.comparable_minor_units
                then 'upgrade'
            when
                current_subscription.mrr_minor_units
                < previous_subscription.comparable_minor_units
                then 'downgrade'
            else 'renewal'
        end as change_type
    from subscriptions_in_order as current_subscription
    left join subscriptions_in_order as previous_subscription
        on
            current_subscription.external_id
            = previous_subscription.external_id
            and current_subscription.comparable_before
            = previous_subscription.comparable_through
            and previous_subscription.comparable_minor_units is not null
),

final as (
    select
        periods.id as subscription_id,
        identity_map.customer_id,
        periods.plan_name,
        periods.seats,
        {{ stripe_amount('periods.mrr_minor_units', 'periods.currency') }}
            as mrr_amount,
        upper(periods.currency) as currency,
        cast(periods.start_date as {{ dbt.type_string() }}) as started_at,
        cast(periods.ended_at as {{ dbt.type_string() }}) as ended_at,
        cast(
            cast(
                coalesce(periods.cancel_at, periods.current_period_end) as date
            ) as {{ dbt.type_string() }}
        ) as renews_on,
        change_types.change_type,
        case
            when coalesce(periods._fivetran_active, true)
                then periods.landed_row_id
            else -periods.landed_row_id
        end as _row_id,
        periods._loaded_at,
        periods.external_id as _external_id
    from periods
    left join identity_map
        on periods.external_id = identity_map.external_id
    left join change_types
        on periods.id = change_types.id
)

select * from final
