{{ config(enabled=var('billing_source') == 'stripe') }}
{#-
    billing.payments from Stripe: one row per landed charge (a payment
    attempt) and one per landed refund.
    - Charges: attempted_at is created, amount the charged amount from cents
      into units (stripe_amount), payment_status Stripe's: succeeded and
      failed as they are; pending (a bank debit still clearing) is neither
      paid nor failed and stays pending, which staging quarantines as
      unknown_category until a later sync settles it (append
      payment_status,pending,succeeded to seeds/category_aliases.csv to count
      it as paid).
    - Refunds: payment_status refunded (succeeded or pending refunds;
      failed, canceled or requires_action ones become refund_<status>,
      quarantined unknown_category), amount the refunded amount negated
      (Stripe's is positive), attempted_at created; invoice and customer are
      those of the refunded charge (Stripe's refund names only its charge).
    - customer_id: the identity map's customer for the Stripe customer
      (_external_id); null when unmapped.
    _row_id: a charge's is its landed row id, a refund's 10^12 + its landed
    row id (a Stripe table holds fewer rows than that).
-#}
{%- set optional = stripe_adapter()['optional'] -%}

with

charges_landed as (
    select
        id,
        customer_id,
        invoice_id,
        status,
        created,
        amount,
        currency,
        _fivetran_synced,
        {{ stripe_loaded_at(source('stripe', 'charge')) }} as _loaded_at,
        {{- landed_columns(
            source('stripe', 'charge'), [('_row_id', dbt.type_bigint())]
        ) }}
    from {{ source('stripe', 'charge') }}
),

refunds_landed as (
    select
        id,
        charge_id,
        created,
        amount,
        currency,
        _fivetran_synced,
        {{ stripe_loaded_at(source('stripe', 'refund')) }} as _loaded_at,
        {{- landed_columns(
            source('stripe', 'refund'),
            [('_row_id', dbt.type_bigint())] + optional['refund']
        ) }}
    from {{ source('stripe', 'refund') }}
),

identity_map as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'stripe'
),

charges as (
    select
        *,
        coalesce(
            _row_id,
            row_number() over (
                order by id, _fivetran_synced, created, status, customer_id
            )
        ) as landed_row_id,
        nullif(trim(customer_id), '') as external_id
    from charges_landed
),

refunds as (
    select
        *,
        coalesce(
            _row_id,
            row_number() over (
                order by id, _fivetran_synced, created, status, charge_id
            )
        ) as landed_row_id
    from refunds_landed
),

-- The charge a refund names, once (the latest landed version of it).
charges_ranked as (
    select
        id,
        invoice_id,
        external_id,
        row_number() over (
            partition by id order by _fivetran_synced desc, landed_row_id desc
        ) as version_rank
    from charges
),

charge_payments as (
    select
        charges.id as payment_id,
        charges.invoice_id,
        identity_map.customer_id,
        cast(charges.created as {{ dbt.type_string() }}) as attempted_at,
        {{ stripe_amount('charges.amount', 'charges.currency') }} as amount,
        upper(charges.currency) as currency,
        charges.status as payment_status,
        charges.landed_row_id as _row_id,
        charges._loaded_at,
        charges.external_id as _external_id
    from charges
    left join identity_map
        on charges.external_id = identity_map.external_id
),

refund_payments as (
    select
        refunds.id as payment_id,
        refunded_charges.invoice_id,
        identity_map.customer_id,
        cast(refunds.created as {{ dbt.type_string() }}) as attempted_at,
        -({{ stripe_amount('refunds.amount', 'refunds.currency') }}) as amount,
        upper(refunds.currency) as currency,
        case
            when
                refunds.status is null
                or lower(refunds.status) in ('succeeded', 'pending')
                then 'refunded'
            else 'refund_' || lower(refunds.status)
        end as payment_status,
        1000000000000 + refunds.landed_row_id as _row_id,
        refunds._loaded_at,
        refunded_charges.external_id as _external_id
    from refunds
    left join charges_ranked as refunded_charges
        on
            refunds.charge_id = refunded_charges.id
            and refunded_charges.version_rank = 1
    left join identity_map
        on refunded_charges.external_id = identity_map.external_id
),

final as (
    select * from charge_payments
    union all
    select * from refund_payments
)

select * from final
