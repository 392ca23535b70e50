"""Studies: which state points a data space holds, read from one TOML file each.

A study fixes the *data space* — the (Δ, ρ, T, replica, N) state points — and the run
*parameters* that differ from :data:`~.parameters.DEFAULT_PARAMETERS`.  The shipped
profiles are study files shipped with the package (``softness_entropy/studies/``:
``smoke``, ``demo``, ``workstation``, ``paper``); ``init.py --study FILE`` takes a
user's own.  The ``README.md`` beside them
documents every field with its units; in short::

    name = "mine"                 # optional (default: the file name)
    description = "one line for init.py --list"
    N = 4096                      # particles per state point
    replicas = 2

    [ladder]                      # optional: a reference ladder, scaled per system
    reference = [2.0, 1.0, 0.8, 0.7, 0.6]   # k_B T / ε_AA, hottest first
    top = 2.0                     # the reference T that maps onto each system's t_max

    [[systems]]
    delta = 0.0                   # Δ (σ_AA), eq. 1
    rho = 1.20                    # number density (σ_AA⁻³)
    t_max = 2.0                   # scaled ladder: reference × t_max / top
    colder = [0.55, 0.52]         # optional: reference T appended at the cold end

    [[systems]]
    delta = 0.25
    rho = 1.15
    temperatures = [4.0, 2.0, 1.6, 1.3]   # or explicit, hottest first

    [parameters]                  # run parameters (parameters.py), e.g.
    dt = 0.002

Temperature ladders (paper §II.A): the authors' Δ = 0 ladder runs from T = 2.0 to 0.45;
the other systems use it scaled by T_max(Δ)/2.0, which reproduces the paper's ranges
0.56–2.51, 0.73–3.25, 0.99–4.39 and 1.42–6.29 for Δ = 0.1 … 0.4 (the ``paper`` study).

Everything is validated before anything is written (:meth:`Study.validate`): unknown
keys, types, ranges, ladders strictly decreasing, N against the cutoff and the
structure functions' reach, and the run parameters against each other — each failure
one line naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from .. import model
from ..configuration import validate_statepoint
from .parameters import DEFAULT_PARAMETERS, check_box, validate_parameters

#: The shipped study files (the profiles of ``init.py --profile NAME``): package data,
#: found the same way in a source checkout and in an installed wheel.
STUDIES = files("softness_entropy") / "studies"

_TOP_KEYS = {
    "name", "description", "N", "replicas", "ladder", "systems", "mixture", "parameters",
}  # fmt: skip
_LADDER_KEYS = {"reference", "top"}
_SYSTEM_KEYS = {"delta", "rho", "t_max", "colder", "temperatures"}


@dataclass(frozen=True)
class System:
    """One mixture of the study: Δ (σ_AA), ρ (σ_AA⁻³) and its temperatures
    (k_B T / ε_AA), hottest first."""

    delta: float
    rho: float
    temperatures: tuple[float, ...]
    #: T / reference temperature of the scaled ladder (t_max / top); None for explicit
    #: temperatures (the analysis then uses the authors' map, analysis.reference)
    reference_scale: float | None = None

    @property
    def key(self) -> tuple[float, float]:
        return (self.delta, self.rho)


@dataclass(frozen=True)
class Study:
    """A data space (systems × temperatures × replicas at one N) and its run parameters.

    Attributes
    ----------
    name : str
        study name (stored in the project document as ``profile``).
    description : str
        one line for ``init.py --list``.
    systems : tuple
        the mixtures and their ladders.
    replicas : int
        independent replicas per (Δ, ρ, T).
    n_particles : int
        N of every state point.
    parameters : Mapping
        run parameters overriding :data:`~.parameters.DEFAULT_PARAMETERS`.
    source : str
        the file it was read from (for error messages).
    """

    name: str
    description: str
    systems: tuple[System, ...]
    replicas: int
    n_particles: int
    parameters: Mapping[str, Any] = field(default_factory=dict)
    source: str = "<study>"

    def temperatures(self, delta: float) -> list[float]:
        """The temperatures of system Δ, hottest first."""
        for system in self.systems:
            if system.delta == delta:
                return list(system.temperatures)
        raise ValueError(f"{self.source}: no system with delta={delta!r}")

    def statepoints(self) -> list[dict[str, Any]]:
        """Every state point of the study, validated."""
        points = [
            {"delta": s.delta, "rho": s.rho, "T": T, "replica": r, "N": self.n_particles}
            for s in self.systems
            for T in s.temperatures
            for r in range(self.replicas)
        ]
        mixture = model.Mixture.from_dict(
            self.parameters.get("mixture", DEFAULT_PARAMETERS["mixture"])
        )
        for sp in points:
            try:
                validate_statepoint(sp, mixture)
            except ValueError as err:
                raise ValueError(f"{self.source}: {err}") from None
        return points

    def run_parameters(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults, then the study's values, then ``overrides``; validated, also
        against every system's box (N, ρ)."""
        params = {**DEFAULT_PARAMETERS, **self.parameters, **(overrides or {})}
        try:
            params = validate_parameters(params)
            for s in self.systems:
                box = (self.n_particles / s.rho) ** (1.0 / 3.0)
                check_box(params, box, f"N={self.n_particles} at rho={s.rho}")
        except ValueError as err:
            raise ValueError(f"{self.source}: {err}") from None
        return params


def scaled_ladder(reference: tuple[float, ...], top: float, t_max: float) -> tuple[float, ...]:
    """``reference`` × t_max / top, rounded to 2 decimals (readable state points);
    ValueError if two temperatures coincide after rounding."""
    values = tuple(round(t * t_max / top, 2) for t in reference)
    if len(set(values)) != len(values):
        raise ValueError(
            f"the ladder scaled to t_max={t_max} has coinciding temperatures {list(values)}"
        )
    return values


# -- reading -------------------------------------------------------------------------
def _temperatures(value: Any, where: str) -> tuple[float, ...]:
    """A non-empty, strictly decreasing list of positive temperatures."""
    if (
        not isinstance(value, list)
        or not value
        or not all(model.is_positive_number(t) for t in value)
    ):
        raise ValueError(f"{where} must be a non-empty list of positive numbers; got {value!r}")
    temps = tuple(float(t) for t in value)
    if any(b >= a for a, b in itertools.pairwise(temps)):
        raise ValueError(f"{where} must decrease strictly (hottest first); got {list(temps)}")
    return temps


def _unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ValueError(f"{where}: unknown key {extra[0]!r}; allowed: {sorted(allowed)}")


def _system(raw: Any, index: int, ladder: tuple[tuple[float, ...], float] | None) -> System:
    where = f"systems[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table ([[systems]]); got {raw!r}")
    _unknown(raw, _SYSTEM_KEYS, where)
    for key in ("delta", "rho"):
        if key not in raw:
            raise ValueError(f"{where}: missing {key!r}")
    delta = raw["delta"]
    if not isinstance(delta, int | float) or isinstance(delta, bool):
        raise ValueError(f"{where}.delta must be a number; got {delta!r}")
    try:
        delta = model.validate_delta(delta)
    except ValueError as err:
        raise ValueError(f"{where}.{err}") from None
    if not model.is_positive_number(raw["rho"]):
        raise ValueError(f"{where}.rho must be a positive number (σ_AA⁻³); got {raw['rho']!r}")
    if "temperatures" in raw:
        if "t_max" in raw or "colder" in raw:
            raise ValueError(
                f"{where}: give either temperatures (explicit) or t_max (the scaled "
                "[ladder]), not both"
            )
        temps = _temperatures(raw["temperatures"], f"{where}.temperatures")
    else:
        if ladder is None:
            raise ValueError(
                f"{where}: no temperatures: give temperatures = [...] or a [ladder] table and t_max"
            )
        if not model.is_positive_number(raw.get("t_max")):
            raise ValueError(
                f"{where}.t_max (top of the scaled ladder) must be a positive number; got "
                f"{raw.get('t_max')!r}"
            )
        reference, top = ladder
        colder = ()
        if "colder" in raw:
            colder = _temperatures(raw["colder"], f"{where}.colder")
            if colder[0] >= reference[-1]:
                raise ValueError(
                    f"{where}.colder must lie below the ladder's coldest reference T "
                    f"{reference[-1]}; got {list(colder)}"
                )
        try:
            temps = scaled_ladder(reference + colder, top, float(raw["t_max"]))
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None
        return System(delta=delta, rho=float(raw["rho"]), temperatures=temps,
                      reference_scale=float(raw["t_max"]) / top)  # fmt: skip
    return System(delta=delta, rho=float(raw["rho"]), temperatures=temps)


def parse_study(data: Mapping[str, Any], source: str, default_name: str) -> Study:
    """A :class:`Study` from the parsed TOML ``data``; ValueError naming ``source``, the
    key and the value at the first problem."""
    try:
        _unknown(data, _TOP_KEYS, "top level")
        ladder = None
        if "ladder" in data:
            table = data["ladder"]
            if not isinstance(table, dict):
                raise ValueError(f"ladder must be a table ([ladder]); got {table!r}")
            _unknown(table, _LADDER_KEYS, "[ladder]")
            reference = _temperatures(table.get("reference"), "ladder.reference")
            top = table.get("top", reference[0])
            if not model.is_positive_number(top):
                raise ValueError(f"ladder.top must be a positive number; got {top!r}")
            ladder = (reference, float(top))
        raw_systems = data.get("systems")
        if not isinstance(raw_systems, list) or not raw_systems:
            raise ValueError("systems: give at least one [[systems]] table")
        systems = tuple(_system(raw, i, ladder) for i, raw in enumerate(raw_systems))
        keys = [s.key for s in systems]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"systems: (delta, rho) = {key} appears more than once")
        if len({s.delta for s in systems}) != len(systems):
            raise ValueError(
                "systems: two systems share a delta (one density per Δ: the figures and "
                "the validation table name systems by Δ)"
            )
        n, replicas = data.get("N"), data.get("replicas", 1)
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise ValueError(f"N (particles per state point) must be a positive integer; got {n!r}")
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 1:
            raise ValueError(f"replicas must be an integer ≥ 1; got {replicas!r}")
        params = data.get("parameters", {})
        if not isinstance(params, dict):
            raise ValueError(f"parameters must be a table ([parameters]); got {params!r}")
        if "mixture" in params:
            raise ValueError("give the mixture as a [mixture] table, not in [parameters]")
        if "mixture" in data:
            params = {**params, "mixture": model.Mixture.from_dict(data["mixture"]).as_dict()}
        name = data.get("name", default_name)
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string; got {name!r}")
        description = data.get("description", "")
        if not isinstance(description, str):
            raise ValueError(f"description must be a string; got {description!r}")
    except ValueError as err:
        raise ValueError(f"{source}: {err}") from None
    study = Study(
        name=name,
        description=description,
        systems=systems,
        replicas=replicas,
        n_particles=n,
        parameters=dict(params),
        source=source,
    )
    study.statepoints()  # N against each density's cutoff
    study.run_parameters()  # parameters, their relations and the boxes
    return study


def load_study(path: str | Path) -> Study:
    """Read and validate a study file; ValueError naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"study file {path} not found") from None
    return study_from_text(text, str(path), path.stem)


def study_from_text(text: str, source: str, name: str) -> Study:
    """Parse and validate the TOML ``text`` of study ``name`` (``source`` names it in
    errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{source}: not valid TOML ({err})") from None
    return parse_study(data, source, name)


def profile_names() -> list[str]:
    """The shipped studies (``init.py --profile NAME``)."""
    names = (p.name for p in STUDIES.iterdir())
    return sorted(name.removesuffix(".toml") for name in names if name.endswith(".toml"))


def get_profile(name: str) -> Study:
    """The shipped study called ``name``; ValueError listing the known ones otherwise."""
    resource = STUDIES / f"{name}.toml"
    if not resource.is_file():
        raise ValueError(f"unknown profile {name!r}; choose one of {profile_names()}")
    text = resource.read_text(encoding="utf-8")
    return study_from_text(text, f"softness_entropy/studies/{name}.toml", name)
