"""Barriers of one system from its strata counts, with bootstrap intervals (paper §III,
Figs. 3, 4b, 6).

Input: per job (one temperature and replica of a system) the (frames × bins) counts of
samples and of rearranging samples (:func:`.strata.frame_counts`).  P_R(T, bin) pools
the replicas at a temperature (the authors' code does the same).  Arrhenius lines are
fitted per bin over the chosen temperatures (binomial maximum likelihood or unweighted
least squares of ln P_R, :func:`.arrhenius.fit_arrhenius`), T_A comes from their
crossings, ln P_R(T_A) from the lines at T_A, and the collapse variables of eqs. 7–8
from both.  The Arrhenius form itself is tested by the curvature of each stratum: the
coefficient c of ln P_R = a + b/T + c/T² (unweighted least squares over the fitted
temperatures, ≥ 4 of them), zero for a straight line, with its bootstrap error.

Uncertainties: every estimate is recomputed on ``n_bootstrap`` replicates in which each
job's frames are resampled in blocks (moving-block bootstrap; blocks of ≳ t_R keep
correlated frames together) and, with several replicas, the replicas of each
temperature are resampled too.  Intervals are the 16th–84th percentiles (± 1σ for a
normal distribution) of the replicates; ``*_error`` of the bootstrapped quantities is
half their width (``sigma_error``, ``energy_error``: the fit's own covariance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrhenius import crossover_temperature, fit_arrhenius, log_probability_at
from .strata import block_bootstrap_frames

#: Arrhenius fits of ln P_R (parameter ``arrhenius_weighting``)
WEIGHTINGS = ("binomial", "unweighted")
#: percentiles of the bootstrap interval (± 1σ of a normal distribution)
INTERVAL = (15.87, 84.13)


@dataclass(frozen=True)
class JobCounts:
    """One job's strata counts: ``hits`` and ``counts`` are (frames, bins).

    ``block``: this job's bootstrap block in frames (0: the analysis default) — at
    least the time over which a particle's rearrangements stay correlated, ~τα.
    """

    T: float
    replica: int
    hits: np.ndarray
    counts: np.ndarray
    block: int = 0


def pooled_probabilities(
    jobs: list[JobCounts], t_values: np.ndarray, frames: list[np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P_R, events, samples), each (len(t_values), bins), pooled over the jobs at each
    temperature; ``frames`` selects (resampled) frame indices per job."""
    n_bins = jobs[0].counts.shape[1]
    hits = np.zeros((len(t_values), n_bins))
    counts = np.zeros_like(hits)
    index = {float(t): i for i, t in enumerate(t_values)}
    for k, job in enumerate(jobs):
        pick = slice(None) if frames is None else frames[k]
        hits[index[float(job.T)]] += job.hits[pick].sum(axis=0)
        counts[index[float(job.T)]] += job.counts[pick].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(counts > 0, hits / counts, np.nan)
    return p, hits, counts


def estimate(
    t_values: np.ndarray,
    p: np.ndarray,
    samples: np.ndarray,
    fitted: np.ndarray,
    t_a_method: str = "median_iqr",
    log_p_method: str = "median",
    weighting: str = "binomial",
) -> dict:
    """Point estimates from P_R(T, bin): per-bin Σ, ΔE (``weighting``: "binomial" or
    "unweighted", :func:`.arrhenius.fit_arrhenius`) and curvature; T_A; ln P_R(T_A);
    collapse variables; spread of P_R across bins at the coldest temperature (decades)."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"arrhenius_weighting must be one of {WEIGHTINGS}; got {weighting!r}")
    fits = [fit_arrhenius(t_values[fitted], p[fitted, b],
                          samples[fitted, b] if weighting == "binomial" else None)
            for b in range(p.shape[1])]  # fmt: skip
    sigma = np.array([f.sigma for f in fits])
    energy = np.array([f.energy for f in fits])
    cross = crossover_temperature(sigma, energy, t_a_method)
    log_p = log_probability_at(fits, cross.T_A, log_p_method)
    with np.errstate(invalid="ignore", divide="ignore"):
        entropic = sigma / log_p
        energetic = energy / (log_p * cross.T_A)
    coldest = p[np.argmin(t_values)]
    positive = coldest[np.isfinite(coldest) & (coldest > 0)]
    spread = float(np.log10(positive.max() / positive.min())) if len(positive) > 1 else np.nan
    # a stratum without any event at the coldest T: the spread is a lower bound
    spread_lower_bound = bool(np.any(np.isfinite(coldest) & (coldest == 0)))
    return {
        "fits": fits,
        "sigma": sigma,
        "energy": energy,
        "crossover": cross,
        "T_A": cross.T_A,
        "log_P_R_at_T_A": log_p,
        "entropic": entropic,
        "energetic": energetic,
        "spread_decades": spread,
        "spread_lower_bound": spread_lower_bound,
        "curvature": np.array(
            [curvature(t_values[fitted], p[fitted, b]) for b in range(p.shape[1])]
        ),
    }


def curvature(temperatures: np.ndarray, probabilities: np.ndarray) -> float:
    """c of the least-squares parabola ln P = a + b/T + c/T² (ε_AA²; 0 for an Arrhenius
    line) over the points with P > 0; NaN with fewer than four."""
    t = np.asarray(temperatures, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    ok = np.isfinite(p) & (p > 0)
    if ok.sum() < 4:
        return float("nan")
    return float(np.polyfit(1.0 / t[ok], np.log(p[ok]), 2)[0])


def one_sigma_interval(values) -> tuple[float, float]:
    """The (15.87, 84.13) percentiles of the finite ``values`` (None counts as missing);
    NaNs if fewer than two."""
    v = np.array([np.nan if x is None else x for x in values], dtype=float).ravel()
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return (float("nan"), float("nan"))
    lo, hi = np.percentile(v, INTERVAL)
    return (float(lo), float(hi))


#: the bootstrapped results: numbers, and arrays with one value per stratum
_KEYS = ("T_A", "log_P_R_at_T_A", "spread_decades")
_PER_BIN = ("sigma", "energy", "entropic", "energetic", "curvature")


def _bootstrap(jobs: list[JobCounts], t_values, fitted, methods: tuple, n_bootstrap: int,
               seed: int) -> dict[str, list]:  # fmt: skip
    """``n_bootstrap`` replicates of the estimates: the replicas of each temperature
    resampled, and each job's frames in blocks (:func:`block_bootstrap_frames`)."""
    rng = np.random.default_rng(seed)
    by_t: dict[float, list[int]] = {}
    for k, job in enumerate(jobs):
        by_t.setdefault(float(job.T), []).append(k)
    boot: dict[str, list] = {k: [] for k in (*_KEYS, *_PER_BIN)}
    for _ in range(n_bootstrap):
        chosen, frames = [], []
        for members in by_t.values():
            pick = rng.choice(members, len(members)) if len(members) > 1 else members
            for k in pick:
                chosen.append(jobs[k])
                frames.append(block_bootstrap_frames(len(jobs[k].counts), jobs[k].block, rng))
        pb, _, nb = pooled_probabilities(chosen, t_values, frames)
        est = estimate(t_values, pb, nb, fitted, *methods)
        for k in boot:
            boot[k].append(est[k])
    return boot


def _t_a_without(drop: int, t_values, p, samples, fitted, methods: tuple) -> float:
    """T_A with the ``drop``-th fitted temperature (ascending) left out; NaN with three
    or fewer fitted."""
    idx = np.flatnonzero(fitted)
    if len(idx) <= 3:
        return float("nan")
    keep = fitted.copy()
    keep[idx[drop]] = False
    return float(estimate(t_values, p, samples, keep, *methods)["T_A"])


def _add_intervals(out: dict, point: dict, boot: dict[str, list]) -> None:
    """The point estimates of :data:`_KEYS` with their bootstrap 1σ intervals and
    errors, and the per-stratum intervals of :data:`_PER_BIN`."""
    for k in _KEYS:
        out[k] = float(point[k])
        out[f"{k}_interval"] = one_sigma_interval(boot[k])
        lo, hi = out[f"{k}_interval"]
        out[f"{k}_error"] = 0.5 * (hi - lo)
    for k in _PER_BIN:
        arr = np.asarray(boot[k], dtype=float)
        out[f"{k}_interval"] = [one_sigma_interval(arr[:, b]) for b in range(arr.shape[1])]
    out["curvature_error"] = np.array([0.5 * (hi - lo) for lo, hi in out["curvature_interval"]])


def analyse_strata(
    jobs: list[JobCounts],
    fitted_temperatures: np.ndarray,
    *,
    t_a_method: str = "median_iqr",
    log_p_method: str = "median",
    weighting: str = "binomial",
    stride: int = 1,
    block: int = 10,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> dict:
    """Strata analysis of one system with bootstrap intervals (module docstring).

    ``fitted_temperatures``: the temperatures of the Arrhenius fits.  ``stride``: use
    every ``stride``-th frame (the authors sample every 10th).  ``block``: bootstrap
    block in (unstrided) frames of jobs without their own; it shrinks with the stride
    and to half a job's frames, so that every job has at least two blocks.  Returns plain arrays
    and numbers (JSON-ready): ``T``, ``P_R``, ``events``, ``samples``, per-bin
    ``sigma``, ``energy`` (with ``*_error`` from the fit and ``*_interval`` from the
    bootstrap), ``T_A``, ``log_P_R_at_T_A``, ``entropic``, ``energetic``,
    ``spread_decades`` with intervals, the bootstrap replicates (``bootstrap``) and the
    window checks (T_A with the warmest or the coldest fitted temperature left out).
    """
    if stride < 1:
        raise ValueError(f"stride must be ≥ 1; got {stride}")
    # a block is a time span: in strided frames it is shorter; at least two per job
    jobs = [
        JobCounts(j.T, j.replica, j.hits[::stride], j.counts[::stride],
                  int(max(1, min(round((j.block or block) / stride),
                                 len(j.counts[::stride]) // 2))))
        for j in jobs
    ]  # fmt: skip
    t_values = np.array(sorted({float(j.T) for j in jobs}))
    fitted = np.isin(t_values, np.asarray(fitted_temperatures, dtype=float))
    p, events, samples = pooled_probabilities(jobs, t_values)
    point = estimate(t_values, p, samples, fitted, t_a_method, log_p_method, weighting)

    methods = (t_a_method, log_p_method, weighting)
    boot = _bootstrap(jobs, t_values, fitted, methods, n_bootstrap, seed)

    def window_t_a(drop: int) -> float:
        return _t_a_without(drop, t_values, p, samples, fitted, methods)

    out = {
        "T": t_values,
        "fitted": fitted,
        "P_R": p,
        "events": events,
        "samples": samples,
        "sigma": point["sigma"],
        "energy": point["energy"],
        "sigma_error": np.array([f.sigma_error for f in point["fits"]]),
        "energy_error": np.array([f.energy_error for f in point["fits"]]),
        "T_A_crossings": point["crossover"].crossings,
        "T_A_spread": point["crossover"].spread,
        "T_A_rejected": point["crossover"].n_rejected,
        "entropic": point["entropic"],
        "energetic": point["energetic"],
        # T_A when the coldest (index 0 of the ascending temperatures) or the warmest
        # fitted temperature is left out
        "T_A_without_coldest": window_t_a(0),
        "T_A_without_warmest": window_t_a(-1),
        "warmest_fitted_T": float(t_values[fitted].max()) if fitted.any() else float("nan"),
        "coldest_fitted_T": float(t_values[fitted].min()) if fitted.any() else float("nan"),
        "weighting": weighting,
        "curvature": point["curvature"],
        "min_fitted_events": float(events[fitted].min()) if fitted.any() else float("nan"),
        "n_bootstrap": n_bootstrap,
        "bootstrap_block": sorted({j.block for j in jobs}),
        "spread_lower_bound": point["spread_lower_bound"],
        "stride": stride,
        "bootstrap": {k: np.asarray(v, dtype=float) for k, v in boot.items()},
    }
    _add_intervals(out, point, boot)
    return out


def window_bound(result: dict, spacing: float) -> bool:
    """Whether T_A is a property of the fit window rather than of the system.

    Bound when T_A lies inside the fitted range (the strata lines cross among the
    data: no onset above them), or between the warmest fitted temperature and the next
    warmer rung of the ladder (``spacing`` above it) and either the window has three
    temperatures (nothing to leave out) or leaving out its warmest temperature moves
    T_A by more than its uncertainty.
    """
    t_a, warm = result["T_A"], result["warmest_fitted_T"]
    cold = result.get("coldest_fitted_T", warm)
    if not (np.isfinite(t_a) and np.isfinite(warm)):
        return False
    if cold <= t_a <= warm:
        return True
    if not 0.0 <= t_a - warm <= spacing:
        return False
    moved = abs(result["T_A_without_warmest"] - t_a)
    if not np.isfinite(moved):  # three fitted temperatures: nothing to leave out
        return True
    err = float(np.nan_to_num(result.get("T_A_error", 0.0)))
    return bool(moved > max(err, 1e-12))
