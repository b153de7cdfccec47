{{ config(enabled=var('support_source') == 'zendesk') }}
{#-
    Zendesk tickets as the raw contract's support.tickets, one row per landed
    ticket (never filtered: base_support__tickets checks, quarantines and
    dedupes them, and reconciliation counts the landed tickets).

    What maps:
    - ticket_id: Zendesk's ticket number, as text; opened_at: created_at.
    - customer_id: the ticket's organization through the identity map
      (source_system zendesk); _external_id is the organization id, so a
      ticket of an organization the map does not know is quarantined
      unmapped_external_id, one without organization missing_customer_id.
    - first_response_at: the first public comment of an agent or admin
      after the ticket was created (internal notes are not answers).
    - resolved_at: when the status last became solved (closed when the
      ticket was closed without being solved), for tickets solved or closed
      now; null while the ticket is open again.
    - priority: as landed; a ticket without priority (Zendesk's "-") is
      normal.
    - ticket_status: as landed (new, open, pending, hold, solved, closed);
      deleted when the connector marks the ticket deleted, which staging
      quarantines as deleted_in_source.
    - channel: via_channel, voice as phone and web (form, help center) as
      portal; other channels as they come (an open category).
    - satisfaction_label: the latest good or bad satisfaction_score of the
      ticket's field history; offered (asked, not answered) and unoffered
      are no rating. Another value reaches staging, which quarantines it.

    What Zendesk lacks: a 1-5 rating (satisfaction_rating is always null, so
    support_satisfaction_180d is missing and support_good_rating_share_180d
    scores satisfaction instead) and an escalation field (is_escalated is
    the tag "escalated": true or false, never unknown).
-#}
{%- set ticket_columns = [
    ('id', dbt.type_bigint()),
    ('created_at', dbt.type_timestamp()),
    ('organization_id', dbt.type_bigint()),
    ('priority', dbt.type_string()),
    ('status', dbt.type_string()),
    ('via_channel', dbt.type_string()),
    ('_fivetran_deleted', dbt.type_boolean()),
    ('_row_id', dbt.type_bigint()),
    ('_loaded_at', dbt.type_timestamp()),
] -%}
{%- set comment_columns = [
    ('ticket_id', dbt.type_bigint()),
    ('user_id', dbt.type_bigint()),
    ('created', dbt.type_timestamp()),
    ('public', dbt.type_boolean()),
    ('_fivetran_deleted', dbt.type_boolean()),
] -%}

with

tickets as (
    select
        {{- landed_columns(source('zendesk', 'ticket'), ticket_columns) }}
    from {{ source('zendesk', 'ticket') }}
),

field_history as (
    select
        ticket_id,
        updated,
        lower(field_name) as field_name,
        lower(trim(value)) as field_value
    from {{ source('zendesk', 'ticket_field_history') }}
),

comments as (
    {%- set comment_source = source('zendesk', 'ticket_comment') %}
    select
        {{- landed_columns(comment_source, comment_columns) }}
    from {{ comment_source }}
),

users as (
    select
        id as user_id,
        lower(role) as user_role
    from {{ source('zendesk', 'user') }}
),

tags as (
    select
        ticket_id,
        lower(trim(tag)) as tag
    from {{ source('zendesk', 'ticket_tag') }}
),

organizations as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'zendesk'
),

solved_at_per_ticket as (
    select
        ticket_id,
        coalesce(
            max(case when field_value = 'solved' then updated end),
            max(case when field_value = 'closed' then updated end)
        ) as solved_at
    from field_history
    where field_name = 'status'
    group by 1
),

ratings_ranked as (
    select
        ticket_id,
        field_value as satisfaction_score,
        row_number() over (
            partition by ticket_id
            order by updated desc, field_value asc
        ) as recency
    from field_history
    where
        field_name = 'satisfaction_score'
        and field_value not in ('offered', 'unoffered')
),

latest_rating_per_ticket as (
    select
        ticket_id,
        satisfaction_score
    from ratings_ranked
    where recency = 1
),

first_agent_reply_per_ticket as (
    select
        comments.ticket_id,
        min(comments.created) as first_response_at
    from comments
    inner join users
        on comments.user_id = users.user_id
    inner join tickets
        on comments.ticket_id = tickets.id
    where
        comments.public
        and not coalesce(comments._fivetran_deleted, false)
        and users.user_role in ('agent', 'admin')
        and comments.created > tickets.created_at
    group by 1
),

escalated_tickets as (
    select ticket_id
    from tags
    where tag = 'escalated'
    group by 1
),

final as (
    select
        cast(tickets.id as {{ dbt.type_string() }}) as ticket_id,
        organizations.customer_id,
        cast(tickets.created_at as {{ dbt.type_string() }}) as opened_at,
        cast(
            first_agent_reply_per_ticket.first_response_at
            as {{ dbt.type_string() }}
        ) as first_response_at,
        cast(
            case
                when lower(tickets.status) in ('solved', 'closed')
                    then solved_at_per_ticket.solved_at
            end as {{ dbt.type_string() }}
        ) as resolved_at,
        coalesce(tickets.priority, 'normal') as priority,
        case
            when tickets._fivetran_deleted then 'deleted'
            else tickets.status
        end as ticket_status,
        case lower(trim(tickets.via_channel))
            when 'voice' then 'phone'
            when 'web' then 'portal'
            else tickets.via_channel
        end as channel,
        escalated_tickets.ticket_id is not null as is_escalated,
        cast(null as {{ dbt.type_bigint() }}) as satisfaction_rating,
        latest_rating_per_ticket.satisfaction_score as satisfaction_label,
        tickets._row_id,
        tickets._loaded_at,
        cast(tickets.organization_id as {{ dbt.type_string() }})
            as _external_id
    from tickets
    left join organizations
        on
            cast(tickets.organization_id as {{ dbt.type_string() }})
            = organizations.external_id
    left join solved_at_per_ticket
        on tickets.id = solved_at_per_ticket.ticket_id
    left join latest_rating_per_ticket
        on tickets.id = latest_rating_per_ticket.ticket_id
    left join first_agent_reply_per_ticket
        on tickets.id = first_agent_reply_per_ticket.ticket_id
    left join escalated_tickets
        on tickets.id = escalated_tickets.ticket_id
)

select * from final
