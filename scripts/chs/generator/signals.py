"""Signal configuration: how strongly, and how late, each behaviour family follows latent health.

Every behaviour of a simulated customer is drawn from its weekly latent health. A signal
configuration says, per segment, what each *behaviour family* sees of that health:

    usage       product/usage_events: event rate, user pool, feature breadth
    support     support/tickets, and the extra tickets before a support_experience churn
    surveys     surveys/survey_responses: NPS and CSAT scores
    billing     billing/payments: late and failed payments, refunds, and the extra failures
                before a payment_problems churn
    orders      shop/orders: order rate, value, cancellations and returns
    commercial  billing/subscriptions: upgrades and downgrades

Each link has a ``strength`` (a number >= 0) and a ``delay_weeks`` (an integer >= 0). The family
sees, in week t (chs.generator.signal_view),

    h_family[t] = clip(50 + strength * (h[t - delay] - 50)
                       + (1 - min(strength, 1)) * (noise[t] - 50), 0, 100)

where ``noise`` is the latent health of an independent shadow customer. Strength 1 and delay 0
(the default for every link) is today's generator, byte for byte; strength 0 makes the family
pure noise (and removes the pre-churn support or payment effects, which scale with the
strength); strength above 1 amplifies the contrast. Delay d makes the behaviour follow health d
weeks later. Churn always follows the true health.

The configuration is JSON (a file or an equal dict); every key is optional:

    {"description": "free text",
     "default": {"usage": {"strength": 1, "delay_weeks": 0}, ...},
     "segments": {"enterprise": {"support": {"strength": 0}}}}

Links are layered: strength 1 / delay 0, then ``default``, then ``segments.<segment>``, key by
key. Segments are smb, mid_market and enterprise. Shipped profiles are in ``signal_profiles/``:
``default.json`` (every link 1 / 0) and ``planted_support_surveys.json`` (usage pure noise,
support and surveys at strength 1.6). Anything else is refused with a GeneratorError naming
the problem.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chs.generator.catalogue import SEGMENTS
from chs.generator.errors import GeneratorError

FAMILIES = ("usage", "support", "surveys", "billing", "orders", "commercial")
# smb, mid_market, enterprise: the catalogue's segments, in its order
SEGMENT_KEYS = tuple(s.lower().replace("-", "_") for s in SEGMENTS)
PROFILES_DIR = Path(__file__).parent / "signal_profiles"
SIGNALS_FILE = "signals.json"  # the effective configuration, written to the truth folder

SignalSpec = str | Path | Mapping[str, Any] | None


@dataclass(frozen=True)
class Link:
    """What one behaviour family of one segment sees of latent health."""

    strength: float = 1.0
    delay_weeks: int = 0

    @property
    def is_identity(self) -> bool:
        """The family sees the true health itself (the generator without a configuration)."""
        return self.strength == 1.0 and self.delay_weeks == 0


@dataclass(frozen=True)
class Signals:
    """The effective links: ``links[segment index][family index]`` (SEGMENT_KEYS, FAMILIES)."""

    links: tuple[tuple[Link, ...], ...]
    description: str = ""

    def link(self, segment: int, family: str) -> Link:
        return self.links[segment][FAMILIES.index(family)]

    def is_identity(self, family: str) -> bool:
        return all(self.link(s, family).is_identity for s in range(len(SEGMENT_KEYS)))

    def to_json(self) -> dict[str, Any]:
        """The effective configuration, every segment and family spelled out."""
        segments = {
            seg: {
                fam: {"strength": link.strength, "delay_weeks": link.delay_weeks}
                for fam, link in zip(FAMILIES, row, strict=True)
            }
            for seg, row in zip(SEGMENT_KEYS, self.links, strict=True)
        }
        return {"description": self.description, "segments": segments}


DEFAULT_SIGNALS = Signals(tuple(tuple(Link() for _ in FAMILIES) for _ in SEGMENT_KEYS))


def load_signals(spec: SignalSpec | Signals) -> Signals:
    """The configuration from a JSON file, a dict or None (every link 1 / 0); checked."""
    if spec is None:
        return DEFAULT_SIGNALS
    if isinstance(spec, Signals):
        return spec
    if isinstance(spec, Mapping):
        return parse_signals(spec, "signals")
    if not isinstance(spec, str | Path):
        raise GeneratorError(f"signals must be a file path, a dict or None, got {spec!r}")
    where = f"--signals {spec}"
    try:
        text = Path(spec).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GeneratorError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"{where}: cannot read the file ({exc})") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except ValueError as exc:
        raise GeneratorError(f"{where}: {exc}") from None
    return parse_signals(data, where)


def parse_signals(data: Any, where: str = "signals") -> Signals:
    """Check a parsed configuration and layer it into the effective links."""
    _check_keys(data, ("description", "default", "segments"), where, "", "key")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise GeneratorError(f"{where}: description must be a string")
    default = _links(data.get("default", {}), where, "default")
    segments = data.get("segments", {})
    _check_keys(segments, SEGMENT_KEYS, where, "segments", "segment")
    rows = []
    for seg in SEGMENT_KEYS:
        own = _links(segments.get(seg, {}), where, f"segments.{seg}")
        rows.append(tuple(Link(**(default[fam] | own[fam])) for fam in FAMILIES))
    return Signals(tuple(rows), description)


def write_signals(signals: Signals, truth_out: Path) -> None:
    """Record the effective configuration next to the truth tables (never in the raw data)."""
    data = signals.to_json()
    lines = ["{", f'  "description": {json.dumps(data["description"])},', '  "segments": {']
    for i, (seg, links) in enumerate(data["segments"].items()):
        lines.append(f"    {json.dumps(seg)}: {{")
        fams = [f"      {json.dumps(fam)}: {json.dumps(link)}" for fam, link in links.items()]
        lines.append(",\n".join(fams))
        lines.append("    }," if i < len(data["segments"]) - 1 else "    }")
    lines += ["  }", "}", ""]
    truth_out.mkdir(parents=True, exist_ok=True)
    (truth_out / SIGNALS_FILE).write_text("\n".join(lines), encoding="utf-8")


def _links(data: Any, where: str, path: str) -> dict[str, dict[str, float | int]]:
    """The keys given for each family under ``path`` (missing families: no keys)."""
    _check_keys(data, FAMILIES, where, path, "family")
    out: dict[str, dict[str, float | int]] = {}
    for fam in FAMILIES:
        link = data.get(fam, {})
        at = f"{path}.{fam}"
        _check_keys(link, ("strength", "delay_weeks"), where, at, "key")
        given: dict[str, float | int] = {}
        if "strength" in link:
            given["strength"] = _strength(link["strength"], where, f"{at}.strength")
        if "delay_weeks" in link:
            given["delay_weeks"] = _delay(link["delay_weeks"], where, f"{at}.delay_weeks")
        out[fam] = given
    return out


def _strength(value: Any, where: str, at: str) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise GeneratorError(f"{where}: {at} must be a number >= 0, got {_show(value)}")
    return float(value)


def _delay(value: Any, where: str, at: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise GeneratorError(
            f"{where}: {at} must be a whole number of weeks >= 0, got {_show(value)}"
        )
    return value


def _check_keys(data: Any, allowed: tuple[str, ...], where: str, at: str, what: str) -> None:
    """``data`` is a JSON object whose keys are all in ``allowed``."""
    name = at or "the configuration"
    if not isinstance(data, Mapping):
        raise GeneratorError(f"{where}: {name} must be a JSON object, got {_show(data)}")
    for key in data:
        if key not in allowed:
            inside = f" in {at}" if at else ""
            raise GeneratorError(
                f"{where}: unknown {what} {_show(key)}{inside} "
                f"(expected one of {', '.join(allowed)})"
            )


def _show(value: Any) -> str:
    """A value as JSON spells it, shortened to keep the message on one short line."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")
