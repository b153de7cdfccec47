"""generate(): check the arguments, then simulate and write the data chunk by chunk."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from chs.generator.chunk import Chunk, Counters
from chs.generator.dirt import Dirt
from chs.generator.errors import GeneratorError
from chs.generator.health import simulate_health
from chs.generator.layouts import write_layout
from chs.generator.output import Sink, close_sinks, open_sinks
from chs.generator.signal_view import SignalView
from chs.generator.signals import DEFAULT_SIGNALS, Signals, SignalSpec, load_signals, write_signals
from chs.generator.subscriptions import simulate_subscriptions
from chs.generator.tables.billing import write_billing, write_subscriptions
from chs.generator.tables.crm import write_customers
from chs.generator.tables.product import features_table, write_events
from chs.generator.tables.shop import write_orders
from chs.generator.tables.support import write_tickets
from chs.generator.tables.surveys import write_surveys
from chs.generator.tables.truth import write_truth
from chs.generator.window import Window
from chs.landed import provided_by

DEFAULT_START = "2024-11-18"
DEFAULT_END = "2026-11-15"
MAX_CUSTOMERS = 8_999_999  # ids C9xxxxxx are reserved for unknown-customer dirt


def generate(
    customers: int = 1000,
    start: str | date = DEFAULT_START,
    end: str | date = DEFAULT_END,
    seed: int = 42,
    dirt_rate: float = 0.02,
    out: str | Path = "data/raw",
    truth_out: str | Path = "data/truth",
    chunk_customers: int = 2000,
    quiet: bool = False,
    layout: Sequence[str] = (),
    signals: SignalSpec | Signals = None,
) -> dict[str, int]:
    """Generate all raw tables and truth files; returns row counts per table name.

    `layout` names vendors (chs.landed): the tables they deliver are written as their
    landed tables instead (chs.generator.layouts), with the identity map, counted by relation.
    `signals` is a signal configuration (chs.generator.signals): a JSON file, an equal dict,
    or None for every behaviour following health fully and at once; the effective
    configuration is written to `<truth_out>/signals.json`.
    """
    start_d = _parse_date(start, "--start")
    end_d = _parse_date(end, "--end")
    _validate(customers, start_d, end_d, seed, dirt_rate, chunk_customers)
    sig = load_signals(signals)
    win = Window.between(start_d, end_d)
    run = _Run(win, customers, seed, dirt_rate, chunk_customers, quiet, sig)
    if not layout:
        return _generate(run, Path(out), Path(truth_out))
    Path(out).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chs-native-", dir=Path(out)) as native:
        counts = _generate(run, Path(native), Path(truth_out))
        provided = {name.split(".")[1] for name in provided_by(layout)}
        counts = {name: rows for name, rows in counts.items() if name not in provided}
        return counts | write_layout(Path(native), Path(out), layout, seed)


@dataclass(frozen=True)
class _Run:
    """The checked arguments of one generation."""

    win: Window
    customers: int
    seed: int
    dirt_rate: float
    chunk_customers: int
    quiet: bool
    signals: Signals


def _generate(run: _Run, out: Path, truth_out: Path) -> dict[str, int]:
    sinks = open_sinks(out, truth_out)
    try:
        write_signals(run.signals, truth_out)
        sinks["features"].write(features_table())
        _write_chunks(run, sinks)
    finally:
        close_sinks(sinks)
    return {name: s.rows for name, s in sinks.items()}


def _parse_date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GeneratorError(f"{name} must be a date in YYYY-MM-DD format, got {value!r}") from None


def _validate(
    customers: int, start: date, end: date, seed: int, dirt_rate: float, chunk_customers: int
) -> None:
    if not isinstance(customers, int | np.integer) or customers < 1:
        raise GeneratorError(f"--customers must be at least 1, got {customers}")
    if customers > MAX_CUSTOMERS:
        raise GeneratorError(f"--customers must be at most {MAX_CUSTOMERS}, got {customers}")
    if end <= start:
        raise GeneratorError(f"--end ({end}) must be after --start ({start})")
    if start.year < 1972 or end.year > 2999:
        raise GeneratorError("--start and --end must lie between 1972 and 2999")
    if not 0.0 <= dirt_rate <= 0.5:
        raise GeneratorError(f"--dirt-rate must be between 0 and 0.5, got {dirt_rate}")
    if chunk_customers < 1:
        raise GeneratorError(f"--chunk-customers must be at least 1, got {chunk_customers}")
    if seed < 0:
        raise GeneratorError(f"--seed must be non-negative, got {seed}")


def _write_chunks(run: _Run, sinks: dict[str, Sink]) -> None:
    """Each chunk gets a clean and a dirt random stream, spawned from one SeedSequence (and
    the signal view its own, signal_view.py)."""
    customers, chunk_customers, quiet = run.customers, run.chunk_customers, run.quiet
    n_chunks = (customers + chunk_customers - 1) // chunk_customers
    seqs = np.random.SeedSequence(run.seed).spawn(n_chunks)
    counters = Counters()
    t0 = time.monotonic()
    for ci in range(n_chunks):
        lo = ci * chunk_customers
        hi = min(customers, lo + chunk_customers)
        clean_seq, dirt_seq = seqs[ci].spawn(2)
        rng = np.random.Generator(np.random.PCG64(clean_seq))
        chunk = simulate_chunk(run.win, lo, hi, rng, run.signals, (run.seed, ci))
        dirt = Dirt(np.random.Generator(np.random.PCG64(dirt_seq)), run.dirt_rate)
        write_chunk(chunk, dirt, sinks, counters)
        manifest = dirt.manifest_table()
        if manifest is not None:
            sinks["dirt_manifest"].write(manifest)
        if not quiet:
            print(
                f"chunk {ci + 1}/{n_chunks}  customers {hi}/{customers}  "
                f"events {sinks['usage_events'].rows / 1e6:.1f}M  "
                f"elapsed {time.monotonic() - t0:.0f}s",
                file=sys.stderr,
                flush=True,
            )


def simulate_chunk(
    win: Window,
    lo: int,
    hi: int,
    rng: np.random.Generator,
    signals: Signals = DEFAULT_SIGNALS,
    noise_key: tuple[int, int] = (0, 0),
) -> Chunk:
    """Customers lo+1..hi: attributes, latent health and churn, what each behaviour family
    sees of the health (its shadow streams keyed by ``noise_key``: seed, chunk index), and
    subscription periods."""
    chunk = Chunk(win, lo, hi, rng)
    simulate_health(chunk)
    chunk.seen = SignalView(chunk, signals, *noise_key)
    simulate_subscriptions(chunk)
    return chunk


def write_chunk(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> None:
    """Every table's rows of one chunk; this order is the order of the random draws."""
    write_customers(ch, dirt, sinks)
    subscription_ids = write_subscriptions(ch, dirt, sinks, ctr)
    write_billing(ch, dirt, sinks, ctr, subscription_ids)
    write_events(ch, dirt, sinks, ctr)
    write_tickets(ch, dirt, sinks, ctr)
    write_orders(ch, dirt, sinks, ctr)
    write_surveys(ch, dirt, sinks, ctr)
    write_truth(ch, sinks)
