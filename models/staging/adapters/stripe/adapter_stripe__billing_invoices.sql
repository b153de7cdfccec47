{{ config(enabled=var('billing_source') == 'stripe') }}
{#-
    billing.invoices from Stripe: one row per landed invoice row.
    - issued_at: created; due_on: the date of due_date, or of created for
      an invoice charged automatically (Stripe leaves its due_date null: it
      is due at once).
    - amount: total, from cents into units (stripe_amount); currency upper
      case.
    - invoice_status: paid, open and void as they are; draft (Stripe
      finalizes it about an hour after creating it) and uncollectible (not
      paid, given up on) are open, since the customer has not paid; a
      deleted invoice (only drafts can be) is void.
    - customer_id: the identity map's customer for the Stripe customer
      (_external_id); null when unmapped.
    Stripe lacks nothing the contract needs here.
-#}
{%- set optional = stripe_adapter()['optional'] -%}

with

invoices_landed as (
    select
        id,
        customer_id,
        subscription_id,
        status,
        created,
        total,
        currency,
        _fivetran_synced,
        {{ stripe_loaded_at(source('stripe', 'invoice')) }} as _loaded_at,
        {{- landed_columns(
            source('stripe', 'invoice'),
            [('_row_id', dbt.type_bigint())] + optional['invoice']
        ) }}
    from {{ source('stripe', 'invoice') }}
),

identity_map as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'stripe'
),

invoices as (
    select
        *,
        coalesce(
            _row_id,
            row_number() over (
                order by id, _fivetran_synced, created, status, customer_id
            )
        ) as landed_row_id,
        nullif(trim(customer_id), '') as external_id
    from invoices_landed
),

final as (
    select
        invoices.id as invoice_id,
        identity_map.customer_id,
        invoices.subscription_id,
        cast(invoices.created as {{ dbt.type_string() }}) as issued_at,
        cast(
            cast(coalesce(invoices.due_date, invoices.created) as date)
            as {{ dbt.type_string() }}
        ) as due_on,
        {{ stripe_amount('invoices.total', 'invoices.currency') }} as amount,
        upper(invoices.currency) as currency,
        case
            when coalesce(invoices.is_deleted, false) then 'void'
            when lower(invoices.status) in ('draft', 'uncollectible')
                then 'open'
            else invoices.status
        end as invoice_status,
        invoices.landed_row_id as _row_id,
        invoices._loaded_at,
        invoices.external_id as _external_id
    from invoices
    left join identity_map
        on invoices.external_id = identity_map.external_id
)

select * from final
