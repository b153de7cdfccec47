{{ config(enabled=var('events_source') == 'segment') }}
{#-
    product.usage_events from Segment track calls: one row per row of
    segment.tracks (never filtered or fanned out; the base model checks and
    deduplicates), with the raw contract's columns.

    - event_id: the message id (text; a re-delivered message keeps its id,
      so the base model drops the copy as a duplicate).
    - customer_id: Segment knows users, not customers. A user's account is
      the group_id of the user's latest group call (segment.groups, by
      timestamp, then received_at); the identity map (source_system
      segment) gives its customer. A user without any group call is looked
      up by the user id itself. _external_id is that group id (or user id);
      when it is not mapped, customer_id is null and the base model
      quarantines the event as unmapped_external_id. An anonymous call (no
      user_id; its anonymous_id is a device, not an account) names no
      customer: missing_customer_id.
    - feature_key: the event name (event, else event_text) in lower case
      with spaces and dashes as underscores ("Report Export" gives
      report_export). Every track is taken as the use of a feature; an
      event that is not in the feature catalogue is quarantined
      (unknown_reference).
    - occurred_at: timestamp (Segment's skew-corrected event time);
      received_at: received_at. Typed in UTC, passed on as text for the
      base model to parse.
    Segment lacks a customer id on events and a feature catalogue; the
    catalogue stays the native product.features.
-#}
with

tracks as (
    select
        _row_id,
        _loaded_at,
        id,
        user_id,
        event,
        timestamp,
        received_at,
        {{ landed_columns(source('segment', 'tracks'), [
            ('event_text', dbt.type_string()),
        ]) }}
    from {{ source('segment', 'tracks') }}
),

group_calls as (
    select * from {{ source('segment', 'groups') }}
),

identity_map as (
    select
        external_id,
        customer_id
    from {{ ref('stg_identity__customer_id_map') }}
    where source_system = 'segment'
),

group_calls_ranked as (
    select
        {{ trimmed('user_id') }} as user_id,
        {{ trimmed('group_id') }} as group_id,
        row_number() over (
            partition by {{ trimmed('user_id') }}
            order by timestamp desc, received_at desc, _row_id desc
        ) as recency
    from group_calls
    where
        {{ trimmed('user_id') }} is not null
        and {{ trimmed('group_id') }} is not null
),

users_latest_groups as (
    select
        user_id,
        group_id
    from group_calls_ranked
    where recency = 1
),

tracks_with_accounts as (
    select
        tracks.*,
        coalesce(
            users_latest_groups.group_id,
            {{ trimmed('tracks.user_id') }}
        ) as account_external_id
    from tracks
    left join users_latest_groups
        on {{ trimmed('tracks.user_id') }} = users_latest_groups.user_id
),

final as (
    select
        tracks_with_accounts.id as event_id,
        identity_map.customer_id,
        tracks_with_accounts.user_id,
        replace(
            replace(
                lower(coalesce(
                    {{ trimmed('tracks_with_accounts.event') }},
                    {{ trimmed('tracks_with_accounts.event_text') }}
                )),
                ' ',
                '_'
            ),
            '-',
            '_'
        ) as feature_key,
        cast(tracks_with_accounts.timestamp as {{ dbt.type_string() }})
            as occurred_at,
        cast(tracks_with_accounts.received_at as {{ dbt.type_string() }})
            as received_at,
        tracks_with_accounts._row_id,
        tracks_with_accounts._loaded_at,
        tracks_with_accounts.account_external_id as _external_id
    from tracks_with_accounts
    left join identity_map
        on tracks_with_accounts.account_external_id = identity_map.external_id
)

select * from final
