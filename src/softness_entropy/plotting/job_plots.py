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


def job_plots(job) -> list[Path]:
    """Write ``dynamics.png`` and ``rearrangements.png`` into the job directory."""
    from ..workflow.storage import read_h5

    sp = job.cached_statepoint
    title = f"Δ = {sp['delta']}, ρ = {sp['rho']}, T = {sp['T']}, replica {sp['replica']}"
    written = []
    data = np.load(job.fn("dynamics.npz"))
    fig, ax = plt.subplots(1, 2, figsize=(8, 3.3))
    t, msd, fs = data["times"], data["msd"], data["fs"]
    ax[0].loglog(t[1:], msd[1:], "o-", ms=3)
    ax[0].set(xlabel="t (τ)", ylabel="MSD of A (σ²)", title=title)
    ax[1].semilogx(t[1 : len(fs)], fs[1:], "o-", ms=3)
    ax[1].axhline(np.exp(-1), color="k", lw=0.8, ls=":")
    ax[1].set(xlabel="t (τ)", ylabel="F_s(7.14, t)",
              title=f"τα = {job.doc['dynamics']['tau_alpha']:.3g} τ")  # fmt: skip
    path = Path(job.fn("dynamics.png"))
    _save(fig, path)
    written.append(path)
    phop = read_h5(job.fn("phop.h5"), "compute_phop")["phop"]
    soft = read_h5(job.fn("softness.h5"), "compute_softness_and_s2")
    fig, ax = plt.subplots(1, 3, figsize=(11, 3.3))
    ax[0].hist(np.log10(phop.ravel() + 1e-6), bins=80)
    ax[0].set(xlabel="log10 phop (σ²)", ylabel="count", title=title)
    ax[1].hist(soft["softness"].ravel(), bins=80)
    ax[1].set(xlabel="softness S", ylabel="count")
    ax[2].hist(soft["s2_local"].ravel(), bins=80)
    ax[2].set(xlabel="local s2 (k_B)", ylabel="count")
    path = Path(job.fn("rearrangements.png"))
    _save(fig, path)
    written.append(path)
    return written
