"""Rearrangement strata, Arrhenius barriers and the crossover temperature (paper §III).

* Strata (Fig. 3): five equal bins of a structural quantity X (softness S or local
  s2) between its 5th and 95th percentiles; P_R(bin, T) = fraction of the bin's
  particles (A, every phop frame) with phop > p_S.
* Arrhenius/Eyring fits: ln P_R = Σ − ΔE / T per stratum (Σ activation entropy,
  ΔE activation energy, in k_B and ε_AA) by least squares in 1/T, over the supercooled
  temperatures (:func:`supercooled_mask`); uncertainties from the fit covariance, or
  from the spread over replicas when there are several.
* Crossover temperature T_A (Fig. 4b): the strata's lines cross near T_A; every
  pairwise intersection 1/T = (Σ_i − Σ_j)/(ΔE_i − ΔE_j) is computed, outliers (nearly
  parallel lines) are rejected with the 1.5 × IQR rule, and the median of the rest is
  T_A, with their spread.
* Barrier collapse (Fig. 6, eqs. 7–8): Σ / ln P_R(T_A) and ΔE / (ln P_R(T_A) T_A),
  with ln P_R(T_A) = Σ − ΔE / T_A.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def strata_edges(values: np.ndarray, n_bins: int = 5, lower: float = 5.0, upper: float = 95.0):
    """Edges of ``n_bins`` equal bins between the ``lower`` and ``upper`` percentiles."""
    lo, hi = np.percentile(np.asarray(values), [lower, upper])
    if not hi > lo:
        raise ValueError("the structural quantity has no spread between its percentiles")
    return np.linspace(lo, hi, n_bins + 1)


def stratum_probabilities(
    values: np.ndarray, rearranging: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """P_R per bin and the bin's sample count; values outside the edges are ignored."""
    values = np.asarray(values).ravel()
    rearranging = np.asarray(rearranging, dtype=bool).ravel()
    inside = (values >= edges[0]) & (values <= edges[-1])
    index = np.clip(np.searchsorted(edges, values[inside], side="right") - 1, 0, len(edges) - 2)
    counts = np.bincount(index, minlength=len(edges) - 1)
    hits = np.bincount(index, weights=rearranging[inside], minlength=len(edges) - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, hits / counts, np.nan), counts


def supercooled_mask(
    temperatures: np.ndarray, overall_pr: np.ndarray, max_pr: float = 0.5, minimum: int = 3
) -> tuple[np.ndarray, bool]:
    """Temperatures for the Arrhenius fits: those where fewer than ``max_pr`` of the
    particles rearrange (in the liquid P_R saturates at 1 and ln P_R is not Arrhenius).

    If fewer than ``minimum`` qualify, the ``minimum`` coldest are used and the second
    return value is False (criterion not met: say so wherever the fit is shown).
    """
    t = np.asarray(temperatures, dtype=float)
    mask = np.asarray(overall_pr) <= max_pr
    if mask.sum() >= minimum:
        return mask, True
    coldest = np.argsort(t)[: min(minimum, len(t))]
    fallback = np.zeros(len(t), dtype=bool)
    fallback[coldest] = True
    return fallback, False


@dataclass(frozen=True)
class ArrheniusFit:
    """ln P_R = sigma − energy / T; errors are one standard deviation."""

    sigma: float
    energy: float
    sigma_error: float
    energy_error: float

    def log_probability(self, T: float | np.ndarray) -> np.ndarray:
        return self.sigma - self.energy / np.asarray(T, dtype=float)


def fit_arrhenius(temperatures: np.ndarray, probabilities: np.ndarray) -> ArrheniusFit:
    """Least-squares fit of ln P = Σ − ΔE/T (points with P ≤ 0 or NaN are dropped)."""
    t = np.asarray(temperatures, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    ok = np.isfinite(p) & (p > 0)
    if ok.sum() < 2:
        return ArrheniusFit(np.nan, np.nan, np.nan, np.nan)
    x, y = 1.0 / t[ok], np.log(p[ok])
    if ok.sum() == 2:
        slope, intercept = np.polyfit(x, y, 1)
        return ArrheniusFit(float(intercept), float(-slope), np.nan, np.nan)
    (slope, intercept), cov = np.polyfit(x, y, 1, cov="unscaled" if ok.sum() == 3 else True)
    errors = np.sqrt(np.clip(np.diag(cov), 0, None))
    return ArrheniusFit(float(intercept), float(-slope), float(errors[1]), float(errors[0]))


def combine_replicas(fits: list[ArrheniusFit]) -> ArrheniusFit:
    """Mean of per-replica fits, with the replicas' standard error (one replica: as is)."""
    if len(fits) == 1:
        return fits[0]
    s = np.array([f.sigma for f in fits])
    e = np.array([f.energy for f in fits])
    n = np.sqrt(len(fits))
    return ArrheniusFit(
        float(np.nanmean(s)),
        float(np.nanmean(e)),
        float(np.nanstd(s, ddof=1) / n),
        float(np.nanstd(e, ddof=1) / n),
    )


def pairwise_crossings(sigmas: np.ndarray, energies: np.ndarray) -> np.ndarray:
    """Temperatures where each pair of strata lines intersects (positive ones only)."""
    s, e = np.asarray(sigmas, dtype=float), np.asarray(energies, dtype=float)
    out = []
    for i in range(len(s)):
        for j in range(i + 1, len(s)):
            de = e[i] - e[j]
            if de == 0 or not np.isfinite(de):
                continue
            inv_t = (s[i] - s[j]) / de
            if inv_t > 0:
                out.append(1.0 / inv_t)
    return np.array(out)


@dataclass(frozen=True)
class Crossover:
    """T_A from the strata's pairwise crossings after IQR rejection."""

    T_A: float
    spread: float
    n_used: int
    n_rejected: int
    crossings: tuple[float, ...]


def crossover_temperature(sigmas: np.ndarray, energies: np.ndarray) -> Crossover:
    """Median of the pairwise crossings within [Q1 − 1.5 IQR, Q3 + 1.5 IQR]."""
    t = pairwise_crossings(sigmas, energies)
    if len(t) == 0:
        return Crossover(np.nan, np.nan, 0, 0, ())
    q1, q3 = np.percentile(t, [25, 75])
    iqr = q3 - q1
    keep = (t >= q1 - 1.5 * iqr) & (t <= q3 + 1.5 * iqr)
    used = t[keep]
    spread = float(np.subtract(*np.percentile(used, [75, 25]))) if len(used) > 1 else 0.0
    return Crossover(float(np.median(used)), spread, int(keep.sum()), int((~keep).sum()),
                     tuple(float(x) for x in t))  # fmt: skip


def barrier_collapse(
    fit: ArrheniusFit, t_a: float, log_p: float | None = None
) -> tuple[float, float]:
    """(Σ / ln P_R(T_A), ΔE / (ln P_R(T_A) T_A)) of eqs. 7–8.

    ``log_p``: the system's ln P_R(T_A); default: this stratum's line at T_A.
    """
    if log_p is None:
        log_p = float(fit.log_probability(t_a))
    return fit.sigma / log_p, fit.energy / (log_p * t_a)
