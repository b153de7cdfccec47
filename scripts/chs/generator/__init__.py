"""Synthetic raw-data generator for the customer_health dbt project.

Simulates a hidden weekly latent health per customer and derives every raw source table from it
(CRM, billing, product usage, support, shop, surveys). After clean generation, deliberate data
quality problems ("dirt") are injected at a configurable rate and recorded in a manifest.

Output layout (the raw tables and their schemas are the raw contract, chs.raw_tables):
    <out>/crm/customers.parquet
    <out>/billing/subscriptions.parquet, invoices.parquet, payments.parquet
    <out>/product/usage_events.parquet, features.parquet
    <out>/support/tickets.parquet
    <out>/shop/orders.parquet
    <out>/surveys/survey_responses.parquet
    <truth-out>/customer_truth.parquet, weekly_health.parquet, dirt_manifest.parquet

The same arguments always produce byte-identical files. Work is done in chunks of customers;
each chunk gets its own random streams (spawned from one SeedSequence) and is written to every
table before the next chunk starts, so memory stays bounded. See docs/raw_data.md.

Modules, in the order the data is made:
    catalogue      reference data (countries, plans, archetypes, features, names)
    window         the simulated window and calendar arithmetic
    chunk          one chunk of customers: attributes, signups, shared random helpers
    health         latent health per archetype, AR(1) noise, churn
    subscriptions  contract periods: terms, renewals, upgrades, downgrades
    tables/        one writer per source: clean rows, then dirt, then Parquet
    dirt           the dirt catalogue and injector (its own random stream)
    formatting     vectorised ids, dates and timestamps as Arrow strings
    output         Parquet sinks; raw schemas from chs.raw_tables, truth schemas here
    run            generate(): arguments, chunk loop
    cli            main(argv): the command line
"""

from chs.generator.cli import main
from chs.generator.output import TRUTH_TABLES
from chs.generator.run import DEFAULT_END, DEFAULT_START, GeneratorError, generate

__all__ = ["DEFAULT_END", "DEFAULT_START", "TRUTH_TABLES", "GeneratorError", "generate", "main"]
