{#-
    A required table (customers, subscriptions, features, usage events) can
    be neither missing from the load nor switched off: the loader refuses
    both, and this test catches the disabled_sources var naming one. Returns
    the required tables that are absent for this build.
-#}
select
    relation,
    source_name,
    table_name,
    provided_by
from {{ ref('stg_loader__source_presence') }}
where is_required and not is_present
