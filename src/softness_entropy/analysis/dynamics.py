"""Mean-squared displacement and the diffusion coefficient (paper §II.A, §III.A).

The MSD is averaged over all time origins (freud's FFT "window" mode) from *unwrapped*
positions.  D is fitted as MSD(t) = 6 D t + c over the diffusive regime, chosen as
the lags where the MSD exceeds ``msd_min`` (default 1 σ_AA²: a particle has left its
cage; the A–A cage is ~0.1 σ²) and the lag is at most ``max_lag_fraction`` of the run
(default 1/2: enough origins).  The log–log slope over that window is returned as a
check (1 when diffusive).  The reduced coefficient is Enskog's
D* = ρ^{1/3} (m / k_B T)^{1/2} D (paper §III.A).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import freud
import numpy as np

#: particles per freud MSD call (memory: ~8 × F × MSD_BLOCK × 12 bytes)
MSD_BLOCK = 4096


def mean_squared_displacement(positions: np.ndarray) -> np.ndarray:
    """MSD(k) for lags k = 0 … F−1 frames, over all origins and particles (σ_AA²).

    ``positions``: (F, N, 3) unwrapped positions.  freud computes in single precision
    (it converts its input to float32), so float32 input is passed as it is: no
    double-precision copy of a whole trajectory (0.6 GB at the paper's scale).
    """
    positions = np.asarray(positions)
    if positions.ndim != 3 or positions.shape[2] != 3:
        raise ValueError(f"positions must have shape (F, N, 3); got {positions.shape}")
    # freud's window mode holds ~8× its input in FFT buffers: particle blocks keep that
    # to a fraction of the trajectory; the MSD is the particle-weighted block mean
    n = positions.shape[1]
    total = np.zeros(positions.shape[0])
    for lo in range(0, n, MSD_BLOCK):
        block = positions[:, lo : lo + MSD_BLOCK]
        total += block.shape[1] * freud.msd.MSD(mode="window").compute(block).msd
    return total / n


@dataclass(frozen=True)
class DiffusionFit:
    """D from MSD = 6 D t + c over [t_start, t_end]; NaN with ``diffusive=False`` when
    the MSD never leaves the cage within the usable lags."""

    D: float
    t_start: float
    t_end: float
    loglog_slope: float
    diffusive: bool


def fit_diffusion(
    times: np.ndarray,
    msd: np.ndarray,
    msd_min: float = 1.0,
    max_lag_fraction: float = 0.5,
    min_points: int = 3,
) -> DiffusionFit:
    """Fit D over the diffusive regime (module docstring)."""
    times, msd = np.asarray(times, dtype=np.float64), np.asarray(msd, dtype=np.float64)
    if times.shape != msd.shape or times.ndim != 1:
        raise ValueError("times and msd must be 1-D arrays of the same length")
    usable = times <= max_lag_fraction * times[-1]
    window = usable & (msd >= msd_min) & (times > 0)
    if window.sum() < min_points:
        return DiffusionFit(float("nan"), float("nan"), float("nan"), float("nan"), False)
    t, m = times[window], msd[window]
    slope, _ = np.polyfit(t, m, 1)
    loglog = np.polyfit(np.log(t), np.log(m), 1)[0]
    return DiffusionFit(float(slope / 6.0), float(t[0]), float(t[-1]), float(loglog), True)


def reduced_diffusion(D: float, density: float, kT: float, mass: float = 1.0) -> float:
    """Enskog-reduced D* = ρ^{1/3} (m / k_B T)^{1/2} D (paper §III.A)."""
    return float(density ** (1.0 / 3.0) * np.sqrt(mass / kT) * D)


# -- the dynamics window: log-periodic frames -----------------------------------------
# Frames at block starts b·B (b = 0, 1, …) and, inside every block, at log-spaced
# offsets 1 … B−1 steps.  Lags shorter than a block are averaged over every block start
# as origin, lags k·B over every pair of block starts: short-time (ballistic, cage) and
# long-time (diffusive, α-relaxation) behaviour from a few hundred frames, the standard
# sampling of glassy dynamics where a linear frame spacing would need 10⁴–10⁶ frames.


def log_periodic_offsets(block_steps: int, per_decade: int = 8) -> np.ndarray:
    """Frame offsets within one block (steps): 0, then ~``per_decade`` per decade of
    1 … ``block_steps`` − 1, unique integers, increasing."""
    if block_steps < 1:
        raise ValueError(f"block_steps must be ≥ 1; got {block_steps}")
    if per_decade < 1:
        raise ValueError(f"per_decade must be ≥ 1; got {per_decade}")
    if block_steps == 1:
        return np.zeros(1, dtype=np.int64)
    n = max(2, int(np.ceil(per_decade * np.log10(block_steps))) + 1)
    offsets = np.unique(np.round(np.logspace(0, np.log10(block_steps), n)).astype(np.int64))
    return np.concatenate([[0], offsets[offsets < block_steps]]).astype(np.int64)


def frames_up_to(step: int, block_steps: int, offsets: np.ndarray) -> int:
    """Number of scheduled frames at steps ≤ ``step`` (frame 0 at step 0 included)."""
    full, rest = divmod(int(step), int(block_steps))
    return int(full * len(offsets) + np.searchsorted(offsets, rest, side="right"))


@dataclass(frozen=True)
class LaggedCurves:
    """MSD and F_s per particle group, origin and lag from a log-periodic trajectory.

    Attributes
    ----------
    lags : numpy.ndarray
        (L,) lag in steps (0 first), increasing.
    msd : numpy.ndarray
        (G, O, L) MSD of each particle group and block-start origin (σ_AA²); NaN
        where the lag runs past the trajectory's end.
    fs : numpy.ndarray
        (G, O, L) isotropic F_s(Q, lag); NaN likewise.
    """

    lags: np.ndarray
    msd: np.ndarray
    fs: np.ndarray

    def mean(
        self, groups: np.ndarray | None = None, origins: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(MSD, F_s) averaged over ``origins`` and ``groups`` (indices, repeats
        allowed; default all)."""
        g = slice(None) if groups is None else np.asarray(groups)
        o = slice(None) if origins is None else np.asarray(origins)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN lags: NaN, as meant
            msd = np.nanmean(self.msd[g][:, o], axis=1).mean(axis=0)
            fs = np.nanmean(self.fs[g][:, o], axis=1).mean(axis=0)
        return msd, fs


def log_periodic_curves(
    steps: np.ndarray,
    positions: np.ndarray,
    block_steps: int,
    q: float,
    n_groups: int = 16,
    seed: int = 0,
) -> LaggedCurves:
    """MSD and F_s(Q) of every block-start origin at every canonical lag, for
    ``n_groups`` random equal groups of particles (the units the bootstrap resamples).

    ``steps``: (F,) frame steps of a log-periodic schedule; ``positions``: (F, N, 3)
    unwrapped positions (σ_AA).  Canonical lags are the in-block offsets and the
    multiples of the block; a frame at any other distance from an origin is skipped.
    F_s is the exact isotropic average sin(Qr)/(Qr) (as :mod:`.relaxation`).
    """
    steps = np.asarray(steps, dtype=np.int64)
    positions = np.asarray(positions)
    if positions.ndim != 3 or len(positions) != len(steps):
        raise ValueError("positions must have shape (F, N, 3) matching steps")
    n = positions.shape[1]
    n_groups = max(1, min(n_groups, n))
    group = np.random.default_rng(seed).permutation(n) % n_groups
    sizes = np.bincount(group, minlength=n_groups)
    rel = steps - steps[0]
    origin_rows = np.flatnonzero(rel % block_steps == 0)
    in_block = np.unique(rel % block_steps)
    multiples = np.unique(rel[origin_rows])
    lags = np.union1d(in_block, multiples)
    msd = np.full((n_groups, len(origin_rows), len(lags)), np.nan)
    fs = np.full_like(msd, np.nan)
    for o, row in enumerate(origin_rows):
        later = np.arange(row, len(rel))
        lag = rel[later] - rel[row]
        keep = (lag < block_steps) | (lag % block_steps == 0)
        later, lag = later[keep], lag[keep]
        ref = positions[row].astype(np.float64)
        for j, k in zip(later, np.searchsorted(lags, lag), strict=True):
            d = positions[j] - ref
            r2 = np.einsum("ij,ij->i", d, d)
            msd[:, o, k] = np.bincount(group, weights=r2, minlength=n_groups) / sizes
            sinc = np.sinc(q * np.sqrt(r2) / np.pi)
            fs[:, o, k] = np.bincount(group, weights=sinc, minlength=n_groups) / sizes
    return LaggedCurves(lags, msd, fs)


@dataclass(frozen=True)
class DynamicsEstimate:
    """D_A and τα of a state with bootstrap standard errors (particle groups × origins).

    Attributes
    ----------
    D, D_error : float
        diffusion coefficient (σ_AA²/τ) and its standard error.
    tau_alpha, tau_alpha_error : float
        first 1/e crossing of F_s (τ) and its standard error.
    fit : DiffusionFit
        the diffusion fit of the mean MSD (window, log–log slope).
    n_origins : int
        block starts (time origins; the last one contributes lag 0 only).
    """

    D: float
    D_error: float
    tau_alpha: float
    tau_alpha_error: float
    fit: DiffusionFit
    n_origins: int


def estimate_dynamics(
    curves: LaggedCurves,
    dt: float,
    msd_min: float = 1.0,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> DynamicsEstimate:
    """D (MSD = 6Dt + c, :func:`fit_diffusion`) and τα (F_s = 1/e) of the mean
    curves; errors are the standard deviations over ``n_bootstrap`` replicates that
    resample both the particle groups and the time origins (block starts, ≥ 2 τα
    apart).  Particles alone miss the noise of the one time window all of them share —
    it dominates τα: on the workstation run the two-way errors of τα are 3–4 times the
    particle-only ones, and two HOOMD/LAMMPS runs of the same state differed by 6
    particle-only errors but 3 two-way ones; origins alone treat overlapping windows as
    independent and underestimate the error of D about tenfold on a Brownian walk
    (tests/test_dynamics_window.py).  On that walk, whose particles are independent,
    the two-way errors are conservative: they cover the planted D 75 % and the planted
    τα 100 % of the time (68 % would be exact)."""
    from .relaxation import tau_alpha

    times = curves.lags * dt
    msd, fs = curves.mean()
    fit = fit_diffusion(times, msd, msd_min=msd_min)
    tau = tau_alpha(times, fs)
    n = len(curves.msd)  # particle groups
    rng = np.random.default_rng(seed)
    d_boot, tau_boot = [], []
    n_orig = curves.msd.shape[1]
    for _ in range(n_bootstrap if n > 1 else 0):
        m, f = curves.mean(rng.integers(0, n, n), rng.integers(0, n_orig, n_orig))
        ok = np.isfinite(m)
        d_boot.append(fit_diffusion(times[ok], m[ok], msd_min=msd_min).D)
        tau_boot.append(tau_alpha(times[ok], f[ok]))

    def spread(values: list[float]) -> float:
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        return float(v.std(ddof=1)) if len(v) > 1 else float("nan")

    return DynamicsEstimate(fit.D, spread(d_boot), tau, spread(tau_boot), fit,
                            curves.msd.shape[1])  # fmt: skip


@dataclass(frozen=True)
class WindowDynamics:
    """What a dynamics window measures (paper §II.A): the mean curves and the estimates.

    Attributes
    ----------
    times : numpy.ndarray
        lags (τ).
    msd : numpy.ndarray
        mean MSD of the A particles (σ_AA²).
    fs : numpy.ndarray
        mean F_s(Q, t).
    origins : numpy.ndarray
        time origins contributing to each lag.
    estimate : DynamicsEstimate
        D_A and τα with bootstrap errors (:class:`DynamicsEstimate`).
    """

    times: np.ndarray
    msd: np.ndarray
    fs: np.ndarray
    origins: np.ndarray
    estimate: DynamicsEstimate

    def record(self, density: float, kT: float, window_time: float) -> dict:
        """The scalars of the window: D_A and D*_A (eq. 8's reduced units), the
        diffusion fit, τα (*the* τα of the state: F_s = 1/e), whether it was reached
        (False: F_s stayed above 1/e within the window) and the window's length
        ``window_time`` (τ) in units of it."""
        est, fit = self.estimate, self.estimate.fit
        reached = bool(np.isfinite(est.tau_alpha))
        return {
            "D_A": est.D,
            "D_A_error": est.D_error,
            "D_A_reduced": reduced_diffusion(est.D, density, kT),
            "D_A_reduced_error": reduced_diffusion(est.D_error, density, kT),
            "diffusive": fit.diffusive,
            "fit_t_start": fit.t_start,
            "fit_t_end": fit.t_end,
            "msd_loglog_slope": fit.loglog_slope,
            "tau_alpha": est.tau_alpha,
            "tau_alpha_error": est.tau_alpha_error,
            "tau_alpha_reached": reached,
            "window_tau_alpha": window_time / est.tau_alpha if reached else float("nan"),
            "n_origins": est.n_origins,
        }


def window_dynamics(
    steps: np.ndarray,
    positions: np.ndarray,
    block_steps: int,
    *,
    dt: float,
    q_vector: float,
    msd_min: float,
) -> WindowDynamics:
    """The curves and estimates of a dynamics window: ``steps`` (F,) and unwrapped A
    ``positions`` (F, N_A, 3) of its log-periodic frames in blocks of ``block_steps``
    (:func:`log_periodic_curves`, :func:`estimate_dynamics`)."""
    curves = log_periodic_curves(steps, positions, block_steps, q_vector)
    estimate = estimate_dynamics(curves, dt, msd_min=msd_min)
    msd, fs = curves.mean()
    origins = np.isfinite(curves.msd[0]).sum(axis=0)
    return WindowDynamics(curves.lags * dt, msd, fs, origins, estimate)
