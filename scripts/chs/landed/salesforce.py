"""Salesforce as Fivetran lands it: `account`, with its owner in `user` and its contacts in
`contact` (lower-case snake_case columns, custom fields with a `_c` suffix, typed timestamps).

crm.customers is made of `account` rows, one adapter row each: the account's own fields, the
owner's name (`user`) as the CSM and the e-mail of the account's first contact (`contact`);
those two are lookups, so they are not part of `provides`. The segment and the business type
have no standard Salesforce field: they are the custom fields `customer_segment_c` and
`business_type_c`. `billing_country_code` exists only in orgs with State and Country
Picklists, hence optional (the adapter then maps `billing_country`, a name, through
seeds/country_names.csv). Only the columns the adapter reads are kept, plus Fivetran's and
Salesforce's system columns.
"""

from __future__ import annotations

from chs.landed import Adapter
from chs.raw_tables import BOOL, STRING, TIMESTAMP, RawTable

ACCOUNT = RawTable(
    "salesforce",
    "account",
    "id",
    (
        ("id", STRING),
        ("name", STRING),
        ("parent_id", STRING),
        ("owner_id", STRING),
        ("billing_country", STRING),
        ("billing_country_code", STRING),
        ("customer_segment_c", STRING),
        ("business_type_c", STRING),
        ("created_date", TIMESTAMP),
        ("last_modified_date", TIMESTAMP),
        ("is_deleted", BOOL),
        ("_fivetran_synced", TIMESTAMP),
    ),
    required=True,
    optional=("billing_country_code",),
)
USER = RawTable(
    "salesforce",
    "user",
    "id",
    (
        ("id", STRING),
        ("name", STRING),
        ("_fivetran_deleted", BOOL),
        ("_fivetran_synced", TIMESTAMP),
    ),
)
CONTACT = RawTable(
    "salesforce",
    "contact",
    "id",
    (
        ("id", STRING),
        ("account_id", STRING),
        ("email", STRING),
        ("created_date", TIMESTAMP),
        ("is_deleted", BOOL),
        ("_fivetran_synced", TIMESTAMP),
    ),
)

ADAPTER = Adapter(
    vendor="salesforce",
    domain_var="crm_source",
    provides={"crm.customers": ("salesforce.account",)},
    tables=(ACCOUNT, USER, CONTACT),
)
