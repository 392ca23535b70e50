"""What a shorter dynamics window moves: D_A and τα re-measured on the first part of
every stored dynamics window.

    python benchmarks/window_truncation.py ROOT [--target 3] [--tau-alpha 5] [--json OUT]

A data space's ``dynamics.gsd`` ran until MSD_A ≥ ``dynamics_msd_target`` and
≥ ``dynamics_tau_alpha`` τα (and ≥ 10 blocks).  The window the smaller ``--target`` /
``--tau-alpha`` would have run is the stored one cut at the first block end where
those hold (the same frames: the rule stops an identical run earlier).  D_A and τα are
measured on it exactly as the ``dynamics`` operation does, and compared with the full
window's values in units of their bootstrap errors.  Also reported: the MD time (τ)
saved.  No simulation is run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import signac

from softness_entropy.analysis.dynamics import estimate_dynamics, log_periodic_curves
from softness_entropy.gsd_io import read_trajectory
from softness_entropy.runs.dynamics_window import DYNAMICS_MIN_BLOCKS


def cut_row(steps, positions, block, dt, target, tau_alpha_min, tau_eq) -> int:
    """Frames of the window the rule (target σ², tau_alpha_min τα) keeps (``positions``:
    the A particles, unwrapped)."""
    rel = steps - steps[0]
    origin = positions[0]
    min_time = max(DYNAMICS_MIN_BLOCKS * block * dt, tau_alpha_min * tau_eq)
    for row in np.flatnonzero(rel % block == 0):
        d = positions[row] - origin
        if rel[row] * dt >= min_time * (1 - 1e-12) and np.einsum("ij,ij->i", d, d).mean() >= target:
            return row + 1
    return len(steps)


def measure(job, target: float, tau_alpha_min: float) -> dict | None:
    rec, window = job.doc.get("dynamics"), job.doc.get("dynamics_window")
    if not rec or not window or not job.isfile("dynamics.gsd"):
        return None
    params = dict(job.project.doc["parameters"])
    dt, block = params["dt"], window["block_steps"]
    steps, positions, _ = read_trajectory(job.fn("dynamics.gsd"))
    rows = cut_row(steps, positions, block, dt, target, tau_alpha_min,
                   rec["tau_alpha_equilibration"])  # fmt: skip
    cut = log_periodic_curves(steps[:rows], positions[:rows], block, params["q_vector"])
    est = estimate_dynamics(cut, dt, msd_min=params["msd_min"])
    sp = job.cached_statepoint

    def z(new, old, err):
        return (new - old) / err if err and np.isfinite(new) else float("nan")

    return {
        "delta": sp["delta"], "T": sp["T"],
        "time_full": window["time"], "time_cut": float((steps[rows - 1] - steps[0]) * dt),
        "D_full": rec["D_A"], "D_cut": est.D, "D_error_full": rec["D_A_error"],
        "D_error_cut": est.D_error, "D_z": z(est.D, rec["D_A"], rec["D_A_error"]),
        "tau_full": rec["tau_alpha"], "tau_cut": est.tau_alpha,
        "tau_z": z(est.tau_alpha, rec["tau_alpha"], rec["tau_alpha_error"]),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--target", type=float, default=3.0, help="MSD_A target (σ²)")
    parser.add_argument("--tau-alpha", type=float, default=5.0, help="least τα")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    project = signac.get_project(args.root)
    jobs = sorted(project, key=lambda j: (j.cached_statepoint["delta"], -j.cached_statepoint["T"]))
    rows = [r for job in jobs if (r := measure(job, args.target, args.tau_alpha))]
    print(f"window to MSD_A ≥ {args.target} σ² and ≥ {args.tau_alpha} τα, against the stored one")
    print("| Δ | T | window (τ) | D_A cut / full | Δ D_A (σ of full) | τα cut / full | Δ τα (σ) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['delta']} | {r['T']} | {r['time_cut']:.0f} of {r['time_full']:.0f} "
            f"| {r['D_cut'] / r['D_full']:.3f} | {r['D_z']:+.2f} "
            f"| {r['tau_cut'] / r['tau_full']:.3f} | {r['tau_z']:+.2f} |"
        )
    saved = 1 - sum(r["time_cut"] for r in rows) / sum(r["time_full"] for r in rows)
    finite = sum(np.isfinite(r["D_cut"]) for r in rows)
    print(f"\nMD time saved: {100 * saved:.0f} %; D_A finite in {finite} of {len(rows)} states")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
