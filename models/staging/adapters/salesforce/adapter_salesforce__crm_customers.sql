{{ config(enabled=var('crm_source') == 'salesforce') }}
{#-
    crm.customers from Salesforce accounts as Fivetran lands them: one row
    per row of salesforce.account (never filtered or fanned out; the base
    model checks and deduplicates), with the raw contract's columns.

    - customer_id: the identity map (source_system salesforce) of the
      account's own id or, for a child account without a mapping of its
      own, of its nearest mapped ancestor (parent, grandparent, ... up to
      the var salesforce_max_hierarchy_depth). base_crm__customers
      quarantines such a child as rolled_up_child_account, so its own
      fields never become the customer's. Null when no ancestor is mapped
      (unmapped_external_id). _external_id is the account's own id.
    - customer_name: name. csm_owner: the owner's name (salesforce.user).
    - contact_email: Salesforce has no primary contact; the account's
      earliest created contact that is not deleted and has an e-mail
      (salesforce.contact) stands for it.
    - country_code: billing_country_code (State and Country Picklists), or
      the code of the billing_country name in seeds/country_names.csv.
    - segment, business_type: no standard field; the custom fields
      customer_segment_c and business_type_c (picklists).
    - signup_at: created_date. updated_at: last_modified_date. Both typed
      in UTC, passed on as text for the base model to parse.
-#}
with recursive

accounts as (
    select
        _row_id,
        _loaded_at,
        id,
        name,
        parent_id,
        owner_id,
        billing_country,
        customer_segment_c,
        business_type_c,
        created_date,
        last_modified_date,
        {{ landed_columns(source('salesforce', 'account'), [
            ('billing_country_code', dbt.type_string()),
        ]) }}
    from {{ source('salesforce', 'account') }}
),

users as (
    select * from {{ source('salesforce', 'user') }}
),

contacts as (
    select * from {{ source('salesforce', 'contact') }}
),

identity_map as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'salesforce'
),

country_names as (
    select * from {{ ref('country_names') }}
),

-- Each account with itself (0 levels up), its parent (1), grandparent (2)
account_ancestors as (
    select
        id as account_id,
        id as ancestor_id,
        parent_id as next_ancestor_id,
        0 as levels_up
    from accounts
    union all
    select
        account_ancestors.account_id,
        parents.id as ancestor_id,
        parents.parent_id as next_ancestor_id,
        account_ancestors.levels_up + 1 as levels_up
    from account_ancestors
    inner join accounts as parents
        on account_ancestors.next_ancestor_id = parents.id
    where
        account_ancestors.levels_up
        < {{ var('salesforce_max_hierarchy_depth', 10) }}
),

mapped_ancestors as (
    select
        account_ancestors.account_id,
        identity_map.customer_id,
        row_number() over (
            partition by account_ancestors.account_id
            order by account_ancestors.levels_up
        ) as nearness
    from account_ancestors
    inner join identity_map
        on account_ancestors.ancestor_id = identity_map.external_id
),

accounts_resolved_to_customers as (
    select
        account_id,
        customer_id
    from mapped_ancestors
    where nearness = 1
),

owners as (
    select
        id as owner_id,
        name as owner_name,
        row_number() over (
            partition by id
            order by _fivetran_synced desc, _row_id desc
        ) as recency
    from users
),

first_contacts as (
    select
        account_id,
        email,
        row_number() over (
            partition by account_id
            order by created_date, id
        ) as contact_order
    from contacts
    where
        not coalesce(is_deleted, false)
        and {{ trimmed('email') }} is not null
),

final as (
    select
        accounts_resolved_to_customers.customer_id,
        accounts.name as customer_name,
        first_contacts.email as contact_email,
        coalesce(
            {{ trimmed('accounts.billing_country_code') }},
            country_names.country_code
        ) as country_code,
        accounts.customer_segment_c as segment,
        accounts.business_type_c as business_type,
        cast(accounts.created_date as {{ dbt.type_string() }}) as signup_at,
        owners.owner_name as csm_owner,
        cast(accounts.last_modified_date as {{ dbt.type_string() }})
            as updated_at,
        accounts._row_id,
        accounts._loaded_at,
        accounts.id as _external_id
    from accounts
    left join accounts_resolved_to_customers
        on accounts.id = accounts_resolved_to_customers.account_id
    left join owners
        on
            accounts.owner_id = owners.owner_id
            and owners.recency = 1
    left join first_contacts
        on
            accounts.id = first_contacts.account_id
            and first_contacts.contact_order = 1
    left join country_names
        on lower(trim(accounts.billing_country)) = country_names.country_name
)

select * from final
