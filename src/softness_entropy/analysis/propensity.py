"""Dynamic propensity in the isoconfigurational ensemble, and how well a structural
predictor correlates with it (paper §III.A, last paragraph; issue 18).

The isoconfigurational ensemble (Widmer-Cooper, Harrowell & Fynewever 2004): M
trajectories start from the same positions with fresh Maxwell–Boltzmann velocities.
The propensity of particle i at time t is its ensemble-mean squared displacement

    P_i(t) = ⟨|r_i(t) − r_i(0)|²⟩_M   (σ_AA²),

and the cage-relative variant replaces each displacement by its difference from the
mean displacement of the particle's neighbours in the starting configuration,

    Δr_i^CR = Δr_i − (1/|N_i|) Σ_{j ∈ N_i} Δr_j,

which removes the collective drift of a particle's surroundings (long-wavelength
phonons, Mermin–Wagner-like fluctuations) that says nothing about local structure
(Illing et al. 2017, Shiba et al. 2016; the GlassBench comparison of the roadmap on
machine learning for glassy dynamics, Jung et al. 2023, reports both).

A predictor (softness S, local s2, the inherent structure's local energy, a
coordination number) is scored by its Pearson and Spearman correlation with P_i(t)
over the A particles of each starting configuration, averaged over configurations,
with a bootstrap interval over configurations.  Functions here take arrays (unwrapped
displacements, positions, predictor values) and return arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .barriers import one_sigma_interval


def first_shell_neighbours(
    box_length: float, positions: np.ndarray, r_cut: float
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) index pairs of the particles within ``r_cut`` (σ_AA) of each other in a
    cubic periodic box: each unordered pair both ways, no i = i
    (:func:`~softness_entropy.analysis.pair_energy.pair_distances`)."""
    from .pair_energy import pair_distances

    i, j, _ = pair_distances(positions, box_length, r_cut)
    return np.concatenate([i, j]), np.concatenate([j, i])


def cage_relative(
    displacements: np.ndarray, neighbours: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Δr_i − mean of Δr_j over i's neighbours j (a particle without neighbours keeps
    its own displacement).  ``displacements``: (..., n, 3), σ_AA."""
    d = np.asarray(displacements, dtype=np.float64)
    i, j = neighbours
    n = d.shape[-2]
    counts = np.bincount(i, minlength=n).astype(np.float64)
    moved = np.moveaxis(d, -2, 0)  # (n, ..., 3)
    total = np.zeros_like(moved)
    np.add.at(total, i, moved[j])
    per = counts.reshape((n,) + (1,) * (moved.ndim - 1))
    mean = np.divide(total, per, out=np.zeros_like(total), where=per > 0)
    return np.moveaxis(moved - mean, 0, -2)


def propensity(displacements: np.ndarray) -> np.ndarray:
    """P_i(t) = ⟨|Δr_i(t)|²⟩ over the ensemble: (M, T, n, 3) unwrapped displacements of M
    trajectories at T times → (T, n), σ_AA²."""
    d = np.asarray(displacements, dtype=np.float64)
    if d.ndim != 4 or d.shape[-1] != 3:
        raise ValueError(f"displacements must have shape (M, T, n, 3); got {d.shape}")
    return (d**2).sum(axis=-1).mean(axis=0)


@dataclass(frozen=True)
class CorrelationCurve:
    """Correlation of a predictor with the propensity at each time.

    Attributes
    ----------
    times : (T,) τ.
    pearson, spearman : (T,) means over starting configurations.
    pearson_interval, spearman_interval : (T, 2) bootstrap 1σ intervals over
        configurations (NaN with fewer than two).
    configurations : how many starting configurations.
    """

    times: np.ndarray
    pearson: np.ndarray
    spearman: np.ndarray
    pearson_interval: np.ndarray
    spearman_interval: np.ndarray
    configurations: int


def correlation_with_propensity(
    predictor: np.ndarray,
    propensities: np.ndarray,
    times: np.ndarray,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> CorrelationCurve:
    """Pearson and Spearman correlation of ``predictor`` (C, n) with ``propensities``
    (C, T, n) over the n particles of each of C configurations, averaged over the
    configurations; bootstrap over configurations for the intervals."""
    from scipy import stats

    x = np.asarray(predictor, dtype=np.float64)
    p = np.asarray(propensities, dtype=np.float64)
    if x.ndim != 2 or p.ndim != 3 or p.shape[0] != x.shape[0] or p.shape[2] != x.shape[1]:
        raise ValueError(
            f"predictor (C, n) and propensities (C, T, n) must agree; got {x.shape}, {p.shape}"
        )
    n_conf, n_times = x.shape[0], p.shape[1]
    per = {"pearson": np.empty((n_conf, n_times)), "spearman": np.empty((n_conf, n_times))}
    for c in range(n_conf):
        for t in range(n_times):
            per["pearson"][c, t] = stats.pearsonr(x[c], p[c, t]).statistic
            per["spearman"][c, t] = stats.spearmanr(x[c], p[c, t]).statistic
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_conf, size=(n_bootstrap, n_conf))
    out = {}
    for name, values in per.items():
        boot = values[picks].mean(axis=1)  # (B, T)
        out[name] = values.mean(axis=0)
        out[f"{name}_interval"] = np.array(
            [one_sigma_interval(boot[:, t]) if n_conf > 1 else (np.nan, np.nan)
             for t in range(n_times)]
        )  # fmt: skip
    return CorrelationCurve(times=np.asarray(times, dtype=np.float64), configurations=n_conf, **out)
