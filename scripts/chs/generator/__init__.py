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
    <truth-out>/customer_truth.parquet, weekly_health.parquet, dirt_manifest.parquet,
                signals.json (the effective signal configuration)

The same arguments always produce byte-identical files. Work is done in chunks of customers;
each chunk gets its own random streams (spawned from one SeedSequence) and is written to every
table before the next chunk starts, so memory stays bounded. See docs/raw_data.md.

A signal configuration (``generate(signals=...)``, ``--signals FILE``; module signals) sets,
per segment, how strongly and how late each behaviour family (usage, support, surveys,
billing, orders, commercial) follows latent health: strength 1 / delay 0 everywhere is the
default and changes nothing; strength 0 makes a family noise. Profiles ship in
signal_profiles/: default.json (all 1 / 0) and planted_support_surveys.json (usage noise,
support and surveys at 1.6), for testing that a weight calibration recovers a planted truth.

Modules, in the order the data is made:
    catalogue      reference data (countries, plans, archetypes, features, names)
    window         the simulated window and calendar arithmetic
    chunk          one chunk of customers: attributes, signups, shared random helpers
    signals        the signal configuration: JSON, checks, the record in the truth folder
    health         latent health per archetype, AR(1) noise, churn; shadow health (noise)
    signal_view    what each behaviour family sees of the health (Chunk.seen)
    subscriptions  contract periods: terms, renewals, upgrades, downgrades
    tables/        one writer per source: clean rows, then dirt, then Parquet
    dirt           the dirt catalogue and injector (its own random stream)
    formatting     vectorised ids, dates and timestamps as Arrow strings
    output         Parquet sinks; raw schemas from chs.raw_tables, truth schemas here
    run            generate(): arguments, chunk loop
    errors         GeneratorError
    cli            main(argv): the command line
"""

from chs.generator.cli import main
from chs.generator.errors import GeneratorError
from chs.generator.output import TRUTH_TABLES
from chs.generator.run import DEFAULT_END, DEFAULT_START, generate
from chs.generator.signals import FAMILIES, PROFILES_DIR, SIGNALS_FILE, Signals, load_signals

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "FAMILIES",
    "PROFILES_DIR",
    "SIGNALS_FILE",
    "TRUTH_TABLES",
    "GeneratorError",
    "Signals",
    "generate",
    "load_signals",
    "main",
]
