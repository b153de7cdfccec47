"""The simulated company's CRM as Fivetran lands Salesforce: `account`, `user`, `contact`.

From the native crm/customers rows (chs.landed.salesforce has the columns):

- every customer is one account (the newest version of its rows: Salesforce holds the current
  record, so the native export's older versions and copies have no landed counterpart), mapped
  to the customer in the identity map. Ids are 18-character Salesforce ids (`001...` accounts,
  `005...` users, `003...` contacts) from a seed-dependent permutation, never our ids;
- about 2 % of the customers get a subsidiary: a child account (`parent_id` = the customer's
  account) with attributes of its own (another segment, owner and country, a later
  modification date) and no mapping, so that only the account hierarchy ties it to the
  customer; a few of those get a grandchild account too;
- a native row without a customer id (missing-id dirt) is an account nobody mapped;
- the owner is one of twelve users named like people; the contact e-mail is the account's
  first contact, and about 10 % of the accounts have a second, later contact;
- `billing_country_code` holds the country code (with the native spelling dirt), except in
  about 10 % of the accounts, legacy records with only a free-text `billing_country`;
- typed timestamps: a native timestamp that does not parse (dirt) lands as null, since a
  typed column cannot hold it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from chs.generator.catalogue import COUNTRY_CODES, CSM_OWNERS
from chs.generator.layouts import write_table
from chs.landed.salesforce import ACCOUNT, CONTACT, USER

SOURCE_SYSTEM = "salesforce"
CHILD_SHARE = 0.02  # customers with a subsidiary account
GRANDCHILD_SHARE = 0.005  # customers whose subsidiary has a subsidiary of its own
SECOND_CONTACT_SHARE = 0.1
LEGACY_COUNTRY_SHARE = 0.1  # accounts with a country name only
# key spaces of the id permutation: customer number + offset
CHILD_KEYS, ORPHAN_KEYS, GRANDCHILD_KEYS, SECOND_CONTACT_KEYS = (
    10_000_000,
    20_000_000,
    30_000_000,
    40_000_000,
)
# English name (the picklist label) and a free-text variant of each simulated country
COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "US": ("United States", "USA"),
    "DE": ("Germany", "Deutschland"),
    "GB": ("United Kingdom", "UK"),
    "FR": ("France", "france"),
    "NL": ("Netherlands", "The Netherlands"),
    "ES": ("Spain", "España"),
    "SE": ("Sweden", "Sverige"),
    "CA": ("Canada", "Canada "),
    "BR": ("Brazil", "Brasil"),
    "IN": ("India", "INDIA"),
    "JP": ("Japan", "Japan"),
    "AU": ("Australia", "Australia"),
}
OWNER_NAMES = (
    "Avery Thompson",
    "Jordan Müller",
    "Priya Raman",
    "Lucas Moreau",
    "Sofia García",
    "Kenji Watanabe",
    "Emma Lindqvist",
    "Noah Bennett",
    "Chloé Dubois",
    "Mateo Oliveira",
    "Hannah Kowalski",
    "Oliver Smith",
)
# every native column, nulls last: a total order of the rows whatever their dirt
NATIVE_COLUMNS = ", ".join(
    f"{column} nulls last"
    for column in (
        "customer_name",
        "contact_email",
        "country_code",
        "segment",
        "business_type",
        "signup_at",
        "csm_owner",
        "updated_at",
    )
)
SUBSIDIARY_SUFFIXES = (" - EMEA", " - APAC", " - Americas", " (Subsidiary)")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_DIGITS = 9
ID_SPACE = 62**ID_DIGITS
ID_MULTIPLIER = 2_654_435_761  # odd and not a multiple of 31: a permutation modulo 62**9


def _id_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """`sf_id(prefix, key)`: an 18-character Salesforce id, the key permuted by the seed."""
    offsets = " ".join(
        f"when '{prefix}' then {_offset(seed, prefix)}" for prefix in ("001", "003", "005")
    )
    number = f"((cast(key as hugeint) * {ID_MULTIPLIER} + case prefix {offsets} end) % {ID_SPACE})"
    digits = " || ".join(
        f"substr('{ALPHABET}', cast(({number} // {62**i}) % 62 as integer) + 1, 1)"
        for i in reversed(range(ID_DIGITS))
    )
    con.execute(f"create or replace temp macro sf_id15(prefix, key) as prefix || 'Dn0' || {digits}")
    # The case-safe suffix: per 5-character chunk, a bit for each upper-case letter.
    chunks = []
    for chunk in range(3):
        bits = " + ".join(
            f"(case when substr(id15, {chunk * 5 + i + 1}, 1) between 'A' and 'Z'"
            f" then {2**i} else 0 end)"
            for i in range(5)
        )
        chunks.append(f"substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', {bits} + 1, 1)")
    con.execute(f"create or replace temp macro sf_suffix(id15) as {' || '.join(chunks)}")
    con.execute(
        "create or replace temp macro sf_id(prefix, key) as"
        " sf_id15(prefix, key) || sf_suffix(sf_id15(prefix, key))"
    )


def _offset(seed: int, prefix: str) -> int:
    """Where the ids of one object (key prefix) start for this seed."""
    return (
        int(hashlib.sha256(f"{SOURCE_SYSTEM}:{seed}:{prefix}".encode()).hexdigest(), 16) % ID_SPACE
    )


def _ranked(seed: int, what: str) -> str:
    """An expression ordering rows by a seed-dependent hash of the customer id."""
    return f"md5('{SOURCE_SYSTEM}:{seed}:{what}:' || customer_id)"


def _values(rows: list[tuple]) -> str:
    def literal(value: object) -> str:
        return "'" + str(value).replace("'", "''") + "'"

    return ", ".join("(" + ", ".join(map(literal, row)) + ")" for row in rows)


def _accounts_sql(seed: int) -> str:
    countries = _values([(code, *COUNTRY_NAMES[code]) for code in COUNTRY_CODES])
    owners = _values(list(zip(CSM_OWNERS, OWNER_NAMES, strict=True)))
    suffixes = _values([(i, s) for i, s in enumerate(SUBSIDIARY_SUFFIXES)])
    return f"""
    create or replace temp table sf_accounts as
    with
    countries(country_code, country_name, country_variant) as (values {countries}),
    owners(csm_owner, owner_name) as (values {owners}),
    suffixes(suffix_index, suffix) as (values {suffixes}),
    parsed as (
        select
            *,
            nullif(trim(customer_id), '') as customer_key,
            try_cast(signup_at as timestamptz) at time zone 'UTC' as created_ts,
            try_cast(updated_at as timestamptz) at time zone 'UTC' as modified_ts
        from native_crm_customers
    ),
    versions as (
        select
            *,
            row_number() over (
                partition by customer_key
                order by modified_ts desc nulls last, {NATIVE_COLUMNS}
            ) as version
        from parsed
        where customer_key is not null
    ),
    customers as (
        select *, cast(substr(customer_key, 2) as bigint) as number
        from versions
        where version = 1
    ),
    counted as (select count(*) as customers from customers),
    with_children as (
        select customers.*
        from customers
        qualify row_number() over (order by {_ranked(seed, "child")})
            <= ceil((select customers from counted) * {CHILD_SHARE})
    ),
    with_grandchildren as (
        select with_children.*
        from with_children
        qualify row_number() over (order by {_ranked(seed, "grandchild")})
            <= ceil((select customers from counted) * {GRANDCHILD_SHARE})
    ),
    orphans as (
        select
            parsed.*,
            row_number() over (order by {NATIVE_COLUMNS}) + {ORPHAN_KEYS} as id_key
        from parsed
        where customer_key is null
    ),
    mapped_accounts as (
        select
            customer_key as mapped_customer_id,
            number as id_key,
            cast(null as bigint) as parent_key,
            customer_name as name,
            country_code,
            segment,
            business_type,
            csm_owner,
            contact_email,
            created_ts,
            modified_ts
        from customers
    ),
    orphan_accounts as (
        select
            null as mapped_customer_id,
            id_key,
            cast(null as bigint) as parent_key,
            customer_name as name,
            country_code,
            segment,
            business_type,
            csm_owner,
            contact_email,
            created_ts,
            modified_ts
        from orphans
    ),
    child_accounts as (
        select
            null as mapped_customer_id,
            number + {CHILD_KEYS} as id_key,
            number as parent_key,
            customer_name || suffixes.suffix as name,
            {COUNTRY_CODES!r}[1 + (number % {len(COUNTRY_CODES)})] as country_code,
            case when segment = 'SMB' then 'Mid-Market' else 'SMB' end as segment,
            business_type,
            {CSM_OWNERS!r}[1 + ((number + 5) % {len(CSM_OWNERS)})] as csm_owner,
            null as contact_email,
            coalesce(created_ts, modified_ts) + interval 30 days as created_ts,
            modified_ts + interval 1 hour as modified_ts
        from with_children
        inner join suffixes
            on suffixes.suffix_index = number % {len(SUBSIDIARY_SUFFIXES)}
    ),
    grandchild_accounts as (
        select
            null as mapped_customer_id,
            number + {GRANDCHILD_KEYS} as id_key,
            number + {CHILD_KEYS} as parent_key,
            customer_name || ' - Local Office' as name,
            country_code,
            'SMB' as segment,
            business_type,
            {CSM_OWNERS!r}[1 + ((number + 7) % {len(CSM_OWNERS)})] as csm_owner,
            null as contact_email,
            coalesce(created_ts, modified_ts) + interval 60 days as created_ts,
            modified_ts + interval 2 hours as modified_ts
        from with_grandchildren
    ),
    accounts as (
        select * from mapped_accounts
        union all select * from orphan_accounts
        union all select * from child_accounts
        union all select * from grandchild_accounts
    )
    select
        accounts.*,
        sf_id('001', id_key) as id,
        case when parent_key is not null then sf_id('001', parent_key) end as parent_id,
        sf_id('005', list_position({CSM_OWNERS!r}, csm_owner)) as owner_id,
        md5('{SOURCE_SYSTEM}:{seed}:legacy:' || id_key)
            < '{_hex_share(LEGACY_COUNTRY_SHARE)}' as is_legacy_address,
        countries.country_name,
        countries.country_variant
    from accounts
    left join countries on countries.country_code = upper(trim(accounts.country_code))
    """


def _hex_share(share: float) -> str:
    """The md5 hex prefix below which a share `share` of hashes lies."""
    return f"{int(share * 16**8):08x}"


def convert(
    con: duckdb.DuckDBPyConnection, out: Path, seed: int, counts: dict[str, int]
) -> list[tuple[str, str, str]]:
    """Write the landed salesforce tables under `out` (rows into `counts` by relation); return
    the identity map rows (source_system, external_id, customer_id)."""
    _id_macros(con, seed)
    con.execute(_accounts_sql(seed))
    (synced,) = con.execute(
        "select max(modified_ts) + interval 2 hours from sf_accounts"
        " where mapped_customer_id is not null"
    ).fetchone()
    synced_sql = f"timestamp '{synced}'" if synced is not None else "null::timestamp"
    counts[ACCOUNT.relation] = write_table(
        con,
        f"""
        select
            id,
            name,
            parent_id,
            owner_id,
            case when is_legacy_address then country_variant else country_name end
                as billing_country,
            case when not is_legacy_address then country_code end as billing_country_code,
            segment as customer_segment_c,
            business_type as business_type_c,
            created_ts as created_date,
            modified_ts as last_modified_date,
            false as is_deleted,
            {synced_sql} as _fivetran_synced
        from sf_accounts
        order by id_key
        """,
        ACCOUNT,
        out,
    )
    owners = _values(list(zip(CSM_OWNERS, OWNER_NAMES, strict=True)))
    counts[USER.relation] = write_table(
        con,
        f"""
        select
            sf_id('005', position) as id,
            owner_name as name,
            false as _fivetran_deleted,
            {synced_sql} as _fivetran_synced
        from (
            select *, list_position({CSM_OWNERS!r}, csm_owner) as position
            from (values {owners}) as owners(csm_owner, owner_name)
        )
        order by position
        """,
        USER,
        out,
    )
    counts[CONTACT.relation] = write_table(
        con,
        f"""
        with first_contacts as (
            select
                id_key as contact_key,
                id as account_id,
                contact_email as email,
                coalesce(created_ts, modified_ts) + interval 1 minute as created_date
            from sf_accounts
            where contact_email is not null
        ),
        second_contacts as (
            select
                contact_key + {SECOND_CONTACT_KEYS} as contact_key,
                account_id,
                'accounts.payable@' || split_part(email, '@', 2) as email,
                created_date + interval 90 days as created_date
            from first_contacts
            where
                md5('{SOURCE_SYSTEM}:{seed}:contact:' || contact_key)
                < '{_hex_share(SECOND_CONTACT_SHARE)}'
        ),
        contacts as (
            select * from first_contacts
            union all
            select * from second_contacts
        )
        select
            sf_id('003', contact_key) as id,
            account_id,
            email,
            created_date,
            false as is_deleted,
            {synced_sql} as _fivetran_synced
        from contacts
        order by contact_key
        """,
        CONTACT,
        out,
    )
    return con.execute(
        f"select '{SOURCE_SYSTEM}', id, mapped_customer_id from sf_accounts"
        " where mapped_customer_id is not null order by id_key"
    ).fetchall()
