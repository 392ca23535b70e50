"""Per-job plots for the dashboard: MSD and F_s; phop and softness distributions."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from ..atomic import atomic_path


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110)
    plt.close(fig)


def dynamics_plot(
    path: Path, title: str, times: np.ndarray, msd: np.ndarray, fs: np.ndarray, tau_alpha: float
) -> None:
    """MSD of the A particles (σ²) and F_s(Q, t) against t (τ), with τα (τ)."""
    fig, ax = plt.subplots(1, 2, figsize=(8, 3.3))
    ax[0].loglog(times[1:], msd[1:], "o-", ms=3)
    ax[0].set(xlabel="t (τ)", ylabel="MSD of A (σ²)", title=title)
    ax[1].semilogx(times[1 : len(fs)], fs[1:], "o-", ms=3)
    ax[1].axhline(np.exp(-1), color="k", lw=0.8, ls=":")
    ax[1].set(xlabel="t (τ)", ylabel="F_s(7.14, t)", title=f"τα = {tau_alpha:.3g} τ")
    _save(fig, path)


def rearrangements_plot(
    path: Path, title: str, phop: np.ndarray, softness: np.ndarray, s2_local: np.ndarray
) -> None:
    """Histograms of phop (σ²), softness S and local s2 (k_B)."""
    fig, ax = plt.subplots(1, 3, figsize=(11, 3.3))
    ax[0].hist(np.log10(np.ravel(phop) + 1e-6), bins=80)
    ax[0].set(xlabel="log10 phop (σ²)", ylabel="count", title=title)
    ax[1].hist(np.ravel(softness), bins=80)
    ax[1].set(xlabel="softness S", ylabel="count")
    ax[2].hist(np.ravel(s2_local), bins=80)
    ax[2].set(xlabel="local s2 (k_B)", ylabel="count")
    _save(fig, path)
