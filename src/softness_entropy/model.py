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

from dataclasses import dataclass

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


@dataclass(frozen=True)
class PairParameters:
    """Coefficients of one pair type (i, j) of the expanded-LJ potential.

    Attributes
    ----------
    epsilon : ε_ij (energy).
    sigma : σ_ij, the Kob–Andersen diameter (length); sets the cutoff.
    sigma_prime : σ'_ij = σ_ij (1 − Δ/2^{1/6}) (length), the LJ σ used in eq. 1.
    delta : Δ (length), the radial shift.
    r_cut : cutoff on r, 2.5 σ_ij (length).
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


def pair_parameters(delta: float) -> dict[tuple[str, str], PairParameters]:
    """Coefficients of every pair type for well-width parameter Δ (paper eq. 1)."""
    delta = validate_delta(delta)
    factor = 1.0 - delta / 2.0 ** (1.0 / 6.0)
    return {
        pair: PairParameters(
            epsilon=EPSILON[pair],
            sigma=SIGMA[pair],
            sigma_prime=SIGMA[pair] * factor,
            delta=delta,
            r_cut=CUTOFF_IN_SIGMA * SIGMA[pair],
        )
        for pair in PAIRS
    }


def max_cutoff() -> float:
    """Largest pair cutoff on r (the AA one, 2.5 σ_AA)."""
    return CUTOFF_IN_SIGMA * max(SIGMA.values())


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
