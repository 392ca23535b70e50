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
