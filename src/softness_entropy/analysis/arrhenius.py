"""Rearrangement strata, Arrhenius barriers and the crossover temperature (paper §III).

* Strata (Fig. 3): :mod:`.strata`.
* Arrhenius/Eyring fits: ln P_R = Σ − ΔE / T per stratum (Σ activation entropy,
  ΔE activation energy, in k_B and ε_AA) over the supercooled temperatures, by
  binomial maximum likelihood of the counted events (:func:`fit_arrhenius`); the
  workflow adds bootstrap intervals.
* Crossover temperature T_A (Fig. 4b): the strata's lines cross near T_A; every
  pairwise intersection 1/T = (Σ_i − Σ_j)/(ΔE_i − ΔE_j) is computed, outliers (nearly
  parallel lines) are rejected, and T_A is formed from the rest
  (:data:`T_A_METHODS`: Tukey's fences and the median, or the authors' estimator).
* Barrier collapse (Fig. 6, eqs. 7–8): Σ / ln P_R(T_A) and ΔE / (ln P_R(T_A) T_A),
  with ln P_R(T_A) = Σ − ΔE / T_A.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def supercooled_mask(
    temperatures: np.ndarray, overall_pr: np.ndarray, max_pr: float = 0.5, minimum: int = 3
) -> tuple[np.ndarray, bool]:
    """Temperatures for the Arrhenius fits: those where fewer than ``max_pr`` of the
    particles rearrange (in the liquid P_R saturates at 1 and ln P_R is not Arrhenius).

    If fewer than ``minimum`` qualify, the ``minimum`` coldest are used and the second
    return value is False (criterion not met: say so wherever the fit is shown).
    """
    return at_least_coldest(temperatures, np.asarray(overall_pr) <= max_pr, minimum)


def at_least_coldest(
    temperatures: np.ndarray, mask: np.ndarray, minimum: int = 3
) -> tuple[np.ndarray, bool]:
    """(``mask``, True) if it selects at least ``minimum`` temperatures; otherwise the
    ``minimum`` coldest and False (the window's criterion was not met)."""
    t = np.asarray(temperatures, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    if mask.sum() >= minimum:
        return mask, True
    fallback = np.zeros(len(t), dtype=bool)
    fallback[np.argsort(t)[:minimum]] = True
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


def fit_arrhenius(
    temperatures: np.ndarray, probabilities: np.ndarray, samples: np.ndarray | None = None
) -> ArrheniusFit:
    """The line ln P = Σ − ΔE/T through P(T).

    Without ``samples``: unweighted least squares of ln P against 1/T (points with
    P ≤ 0 or NaN dropped), the covariance scaled by the residuals.  With ``samples``
    (the number of samples behind each P): binomial maximum likelihood of the events
    k = P·n, k ~ Bin(n, exp(Σ − ΔE/T)) — a stratum with *no* event at a temperature
    still counts (dropping it, as a fit of ln P must, keeps only upward fluctuations
    of the rarest strata and biases their ΔE low) — with the covariance from the
    observed information scaled by the Pearson dispersion χ²/(m − 2) (correlated
    frames make the counts over-dispersed), as quasi-binomial regression does, floored
    at 1 (never below the binomial counting error).
    """
    t = np.asarray(temperatures, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    nan = ArrheniusFit(np.nan, np.nan, np.nan, np.nan)
    if samples is not None:
        n = np.asarray(samples, dtype=float)
        ok = np.isfinite(p) & (n > 0)
        if ok.sum() < 2 or not np.any(p[ok] > 0):
            return nan
        return _binomial_fit(1.0 / t[ok], np.round(p[ok] * n[ok]), n[ok])
    ok = np.isfinite(p) & (p > 0)
    if ok.sum() < 2:
        return nan
    x, y = 1.0 / t[ok], np.log(p[ok])
    design = np.column_stack([np.ones_like(x), -x])  # (Σ, ΔE)
    cov = np.linalg.inv(design.T @ design)
    sigma, energy = cov @ (design.T @ y)
    if len(x) > 2:
        resid = y - design @ np.array([sigma, energy])
        cov = cov * float(np.sum(resid**2) / (len(x) - 2))
    else:
        cov = np.full((2, 2), np.nan)
    errors = np.sqrt(np.clip(np.diag(cov), 0, None))
    return ArrheniusFit(float(sigma), float(energy), float(errors[0]), float(errors[1]))


def _binomial_fit(x: np.ndarray, k: np.ndarray, n: np.ndarray) -> ArrheniusFit:
    """Newton iterations of the binomial log-likelihood in (Σ, −ΔE) (log link)."""
    design = np.column_stack([np.ones_like(x), x])
    # start: least squares of ln((k + 1/2)/(n + 1)), weighted by the events
    y0 = np.log((k + 0.5) / (n + 1.0))
    w0 = k + 0.5
    theta = np.linalg.solve(design.T @ (w0[:, None] * design), design.T @ (w0 * y0))

    def loglik(th: np.ndarray) -> float:
        eta = design @ th
        if np.any(eta >= 0):
            return -np.inf
        return float(np.sum(k * eta + (n - k) * np.log1p(-np.exp(eta))))

    eta = design @ theta
    if np.any(eta >= 0):  # start inside the domain P < 1
        theta = theta - np.array([eta.max() - np.log(0.99), 0.0])
    current = loglik(theta)
    for _ in range(200):
        prob = np.exp(design @ theta)
        grad = design.T @ (k - (n - k) * prob / (1 - prob))
        info = design.T @ (((n - k) * prob / (1 - prob) ** 2)[:, None] * design)
        # least squares: P → 1 (every sample rearranging, liquid states) leaves no
        # information on one combination; step along the others
        step = np.linalg.lstsq(info, grad, rcond=None)[0]
        scale, improved = 1.0, False
        while scale > 1e-8:
            trial = theta + scale * step
            value = loglik(trial)
            if np.isfinite(value) and value >= current:
                improved = True
                break
            scale *= 0.5
        if not improved:
            break
        theta, current = trial, value
        if np.max(np.abs(scale * step)) < 1e-10:
            break
    prob = np.exp(design @ theta)
    info = design.T @ (((n - k) * prob / (1 - prob) ** 2)[:, None] * design)
    if not np.all(np.isfinite(theta)):
        return ArrheniusFit(np.nan, np.nan, np.nan, np.nan)
    if not np.all(np.isfinite(info)) or np.linalg.matrix_rank(info) < 2:
        return ArrheniusFit(float(theta[0]), float(-theta[1]), np.nan, np.nan)
    cov = np.linalg.inv(info)
    if len(x) > 2:
        # the dispersion is at least the binomial one (correlated frames only add to
        # it); with few temperatures χ²/(m − 2) is itself noisy — with three, a χ² of
        # one degree of freedom, below 0.1 one time in four — and an estimate below 1
        # would shrink the errors under the counting noise (a planted barrier through
        # the workflow, tests/test_workflow_figures.py, came out 5σ off with it)
        chi2 = float(np.sum((k - n * prob) ** 2 / (n * prob * (1 - prob))))
        cov = cov * max(1.0, chi2 / (len(x) - 2))
    errors = np.sqrt(np.clip(np.diag(cov), 0, None))
    return ArrheniusFit(float(theta[0]), float(-theta[1]), float(errors[0]), float(errors[1]))


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
    """T_A from the strata's pairwise crossings after outlier rejection."""

    T_A: float
    spread: float
    n_used: int
    n_rejected: int
    crossings: tuple[float, ...]


#: T_A estimators (parameter ``t_a_method``):
#: "median_iqr": median of the crossing temperatures within [Q1 − 1.5 IQR, Q3 + 1.5 IQR]
#: (Tukey's fences, the paper's "simple IQR outlier rejection"); "authors": the
#: authors' code (monk, 090722-barrier-analysis): crossings in 1/T kept within
#: (q90 − q10) of their median, T_A = 1 / mean of those.
T_A_METHODS = ("median_iqr", "authors")


def crossover_temperature(
    sigmas: np.ndarray, energies: np.ndarray, method: str = "median_iqr"
) -> Crossover:
    """T_A from the pairwise crossings of the strata lines (:data:`T_A_METHODS`);
    ``spread`` is the interquartile range of the kept crossing temperatures."""
    if method not in T_A_METHODS:
        raise ValueError(f"t_a_method must be one of {T_A_METHODS}; got {method!r}")
    t = pairwise_crossings(sigmas, energies)
    if len(t) == 0:
        return Crossover(np.nan, np.nan, 0, 0, ())
    if method == "median_iqr":
        q1, q3 = np.percentile(t, [25, 75])
        iqr = q3 - q1
        keep = (t >= q1 - 1.5 * iqr) & (t <= q3 + 1.5 * iqr)
        t_a = float(np.median(t[keep]))
    else:
        inv = 1.0 / t
        q10, med, q90 = np.percentile(inv, [10, 50, 90])
        keep = np.abs(inv - med) <= q90 - q10
        t_a = float(1.0 / np.mean(inv[keep]))
    used = t[keep]
    spread = float(np.subtract(*np.percentile(used, [75, 25]))) if len(used) > 1 else 0.0
    return Crossover(t_a, spread, int(keep.sum()), int((~keep).sum()),
                     tuple(float(x) for x in t))  # fmt: skip


#: ln P_R(T_A) of a system (parameter ``collapse_log_p``): "median" of the strata
#: lines' ln P_R at T_A (they nearly cross there); "log_mean" (the authors' code:
#: ln of the mean of the strata's P_R at T_A).
LOG_P_METHODS = ("median", "log_mean")


def log_probability_at(fits: list[ArrheniusFit], t_a: float, method: str = "median") -> float:
    """The system's ln P_R(T_A) from its strata lines (:data:`LOG_P_METHODS`)."""
    if method not in LOG_P_METHODS:
        raise ValueError(f"collapse_log_p must be one of {LOG_P_METHODS}; got {method!r}")
    if not np.isfinite(t_a):
        return float("nan")
    values = np.array([f.log_probability(t_a) for f in fits], dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan")
    if method == "median":
        return float(np.median(values))
    return float(np.log(np.mean(np.exp(values))))


def barrier_collapse(
    fit: ArrheniusFit, t_a: float, log_p: float | None = None
) -> tuple[float, float]:
    """(Σ / ln P_R(T_A), ΔE / (ln P_R(T_A) T_A)) of eqs. 7–8.

    ``log_p``: the system's ln P_R(T_A); default: this stratum's line at T_A.
    """
    if log_p is None:
        log_p = float(fit.log_probability(t_a))
    return fit.sigma / log_p, fit.energy / (log_p * t_a)
