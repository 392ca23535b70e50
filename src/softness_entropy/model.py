"""The expanded-Lennard-Jones Kob–Andersen mixture of the paper (§II.A, eq. 1).

All quantities are in Lennard-Jones units of the A species of the standard (Δ = 0)
Kob–Andersen mixture: lengths in σ_AA, energies in ε_AA, masses in m_A, time in
τ = σ_AA (m_A/ε_AA)^{1/2}.

The pair potential (paper eq. 1) is

.. math::

    V_{ij}(r) = 4\\varepsilon_{ij}\\left[\\left(\\frac{\\sigma'_{ij}}{r-\\Delta}\\right)^{12}
              - \\left(\\frac{\\sigma'_{ij}}{r-\\Delta}\\right)^{6}\\right] - V^{\\rm LJ}_{ij}(r_c),
    \\qquad r < r_{c,ij} = 2.5\\,\\sigma_{ij},

with :math:`\\sigma'_{ij} = \\sigma_{ij}(1-\\Delta/2^{1/6})` and the *same* Δ for every
pair, as eq. 1 and the authors' own scripts have it.  The energy is shifted to zero at
the cutoff, which acts on r itself (not on r − Δ).  The minimum sits at
:math:`r^*_{ij} = 2^{1/6}\\sigma'_{ij} + \\Delta = 2^{1/6}\\sigma_{ij} + \\Delta(1-\\sigma_{ij})`:
for AA it stays at :math:`2^{1/6}`; the AB and BB minima move outward by
:math:`\\Delta(1-\\sigma_{ij})` (0.2Δ and 0.12Δ).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Species names, in type-id order (0 = A, 1 = B).
TYPES: tuple[str, str] = ("A", "B")
#: Number fraction of A particles in the 80:20 mixture.
FRACTION_A: float = 0.8
#: Kob–Andersen interaction energies ε_ij (units of ε_AA).
EPSILON: dict[tuple[str, str], float] = {("A", "A"): 1.0, ("A", "B"): 1.5, ("B", "B"): 0.5}
#: Kob–Andersen diameters σ_ij (units of σ_AA).
SIGMA: dict[tuple[str, str], float] = {("A", "A"): 1.0, ("A", "B"): 0.8, ("B", "B"): 0.88}
#: Cutoff in units of σ_ij, applied to r itself (paper eq. 1).
CUTOFF_IN_SIGMA: float = 2.5
#: Masses (units of m_A): all species have unit mass.
MASS: float = 1.0
#: The (Δ, ρ) pairs studied in the paper (§II.A).
PAPER_SYSTEMS: tuple[tuple[float, float], ...] = (
    (0.0, 1.20),
    (0.1, 1.18),
    (0.2, 1.16),
    (0.3, 1.14),
    (0.4, 1.12),
)
#: Largest Δ the potential is defined for here (σ' > 0 needs Δ < 2^{1/6}; the paper
#: simulated up to 0.5 and found Δ = 0.5 crystallises).
DELTA_MAX: float = 0.5
PAIRS: tuple[tuple[str, str], ...] = (("A", "A"), ("A", "B"), ("B", "B"))


def is_positive_number(value: Any) -> bool:
    """A finite real number > 0 (a bool is not a number here): the one check behind
    every "must be a positive number" of mixtures, studies and run parameters."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


#: the Kob–Andersen tables keyed "AA", "AB", "BB" (the form of study files)
KA_EPSILON: dict[str, float] = {"".join(k): v for k, v in EPSILON.items()}
KA_SIGMA: dict[str, float] = {"".join(k): v for k, v in SIGMA.items()}


def _pair_table(values: Mapping[str, float]) -> dict[tuple[str, str], float]:
    return {pair: float(values["".join(pair)]) for pair in PAIRS}


@dataclass(frozen=True)
class Mixture:
    """A binary expanded-LJ mixture: eq. 1 with its own ε_ij, σ_ij, composition and
    masses.  The default is the Kob–Andersen mixture of the paper.

    Units are those of species A, so ε_AA = σ_AA = m_A = 1 (scale the other values
    to them); the cutoff stays 2.5 σ_ij on r (eq. 1).

    Attributes
    ----------
    epsilon : dict
        ε_ij per pair "AA", "AB", "BB" (ε_AA).
    sigma : dict
        σ_ij per pair (σ_AA).
    fraction_a : float
        number fraction of A particles.
    mass_b : float
        m_B (m_A).
    name : str or None
        a label for provenance and figures; None: "Kob–Andersen" for its values,
        else "custom".
    """

    epsilon: Mapping[str, float] = field(default_factory=lambda: dict(KA_EPSILON))
    sigma: Mapping[str, float] = field(default_factory=lambda: dict(KA_SIGMA))
    fraction_a: float = FRACTION_A
    mass_b: float = MASS
    # a label; None: "Kob–Andersen" for its values, else "custom"
    name: str | None = None

    def __post_init__(self) -> None:
        for table in ("epsilon", "sigma"):
            values = getattr(self, table)
            if not isinstance(values, Mapping) or set(values) != {"AA", "AB", "BB"}:
                raise ValueError(
                    f"mixture.{table} must be a table of exactly AA, AB and BB; got {values!r}"
                )
            for pair, value in values.items():
                if not is_positive_number(value):
                    raise ValueError(
                        f"mixture.{table}.{pair} must be a positive number; got {value!r}"
                    )
            if values["AA"] != 1.0:
                raise ValueError(
                    f"mixture.{table}.AA must be 1 (units of species A); got {values['AA']!r}: "
                    "divide every value by it"
                )
        if (
            isinstance(self.fraction_a, bool)
            or not isinstance(self.fraction_a, int | float)
            or not 0.0 < self.fraction_a < 1.0
        ):
            raise ValueError(f"mixture.fraction_a must lie in (0, 1); got {self.fraction_a!r}")
        if self.name is not None and not isinstance(self.name, str):
            raise ValueError(f"mixture.name must be a string; got {self.name!r}")
        if not is_positive_number(self.mass_b):
            raise ValueError(f"mixture.mass_b must be a positive number (m_A); got {self.mass_b!r}")
        object.__setattr__(self, "epsilon", {k: float(v) for k, v in self.epsilon.items()})
        object.__setattr__(self, "sigma", {k: float(v) for k, v in self.sigma.items()})
        object.__setattr__(self, "fraction_a", float(self.fraction_a))
        object.__setattr__(self, "mass_b", float(self.mass_b))
        if self.name is None:
            ka = (
                self.epsilon == KA_EPSILON
                and self.sigma == KA_SIGMA
                and self.fraction_a == FRACTION_A
                and self.mass_b == MASS
            )
            object.__setattr__(self, "name", "Kob–Andersen" if ka else "custom")

    @property
    def masses(self) -> tuple[float, float]:
        """(m_A, m_B) in units of m_A."""
        return (1.0, self.mass_b)

    def max_cutoff(self) -> float:
        """Largest pair cutoff on r, 2.5 max σ_ij (σ_AA)."""
        return CUTOFF_IN_SIGMA * max(self.sigma.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (project document, model files)."""
        return {
            "name": self.name,
            "epsilon": dict(self.epsilon),
            "sigma": dict(self.sigma),
            "fraction_a": self.fraction_a,
            "mass_b": self.mass_b,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Mixture:
        """The mixture of :meth:`as_dict` (None: Kob–Andersen); ValueError naming an
        unknown key."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"mixture must be a table; got {data!r}")
        allowed = {"name", "epsilon", "sigma", "fraction_a", "mass_b"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValueError(f"mixture: unknown key {unknown[0]!r}; allowed: {sorted(allowed)}")
        try:
            return cls(**dict(data))
        except TypeError as err:  # a value of the wrong type where a number is compared
            raise ValueError(f"mixture: {err}") from None


#: the paper's mixture (Kob & Andersen 1995)
KOB_ANDERSEN = Mixture()


@dataclass(frozen=True)
class PairParameters:
    """Coefficients of one pair type (i, j) of the expanded-LJ potential.

    Attributes
    ----------
    epsilon : float
        ε_ij (energy).
    sigma : float
        σ_ij, the Kob–Andersen diameter (length); sets the cutoff.
    sigma_prime : float
        σ'_ij = σ_ij (1 − Δ/2^{1/6}) (length), the LJ σ used in eq. 1.
    delta : float
        Δ (length), the radial shift.
    r_cut : float
        cutoff on r, 2.5 σ_ij (length).
    """

    epsilon: float
    sigma: float
    sigma_prime: float
    delta: float
    r_cut: float

    @property
    def energy_shift(self) -> float:
        """Unshifted LJ energy at the cutoff, V^LJ(r_c); subtracted so V(r_c) = 0."""
        x6 = (self.sigma_prime / (self.r_cut - self.delta)) ** 6
        return 4.0 * self.epsilon * (x6 * x6 - x6)


def validate_delta(delta: float) -> float:
    """Return Δ as a float, or raise ValueError if it is outside [0, DELTA_MAX]."""
    delta = float(delta)
    if not np.isfinite(delta) or not 0.0 <= delta <= DELTA_MAX:
        raise ValueError(f"delta must lie in [0, {DELTA_MAX}] (paper §II.A); got {delta!r}")
    return delta


def pair_parameters(
    delta: float, mixture: Mixture = KOB_ANDERSEN
) -> dict[tuple[str, str], PairParameters]:
    """Coefficients of every pair type for well-width parameter Δ (paper eq. 1)."""
    delta = validate_delta(delta)
    factor = 1.0 - delta / 2.0 ** (1.0 / 6.0)
    epsilon, sigma = _pair_table(mixture.epsilon), _pair_table(mixture.sigma)
    return {
        pair: PairParameters(
            epsilon=epsilon[pair],
            sigma=sigma[pair],
            sigma_prime=sigma[pair] * factor,
            delta=delta,
            r_cut=CUTOFF_IN_SIGMA * sigma[pair],
        )
        for pair in PAIRS
    }


def max_cutoff(mixture: Mixture = KOB_ANDERSEN) -> float:
    """Largest pair cutoff on r (Kob–Andersen: the AA one, 2.5 σ_AA)."""
    return mixture.max_cutoff()


def pair_energy(r: np.ndarray, p: PairParameters) -> np.ndarray:
    """Shifted expanded-LJ pair energy V_ij(r) of eq. 1 (energy); 0 for r ≥ r_c."""
    r = np.asarray(r, dtype=np.float64)
    x6 = (p.sigma_prime / (r - p.delta)) ** 6
    v = 4.0 * p.epsilon * (x6 * x6 - x6) - p.energy_shift
    return np.where(r < p.r_cut, v, 0.0)


def pair_force(r: np.ndarray, p: PairParameters) -> np.ndarray:
    """Radial force −dV_ij/dr (energy/length, positive = repulsive); 0 for r ≥ r_c."""
    r = np.asarray(r, dtype=np.float64)
    s = r - p.delta
    x6 = (p.sigma_prime / s) ** 6
    f = 24.0 * p.epsilon * (2.0 * x6 * x6 - x6) / s
    return np.where(r < p.r_cut, f, 0.0)


def minimum_position(p: PairParameters) -> float:
    """Position of the pair-energy minimum, 2^{1/6} σ'_ij + Δ (length)."""
    return 2.0 ** (1.0 / 6.0) * p.sigma_prime + p.delta


def pair_key(type_i: int, type_j: int) -> tuple[str, str]:
    """Canonical (sorted) pair key for two type ids."""
    a, b = sorted((int(type_i), int(type_j)))
    return (TYPES[a], TYPES[b])
