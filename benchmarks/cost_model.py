"""What the paper profile costs: CPU-hours (LAMMPS) and GPU-hours (HOOMD-blue).

    python benchmarks/cost_model.py [--demo-root DIR] [--gpu-particle-steps RATE]

Built from costs measured by the other benchmarks (``benchmarks/results/*.json``, run
them first) and the paper profile (``softness_entropy/studies/paper.toml``: 5 systems × 14
temperatures × 3 replicas, N = 32768, dt = 1e-3, an inherent-structure window of
max(1000 τ, 4 τα) with a frame every τ, a dynamics window of ≥ 10 τα reaching
MSD_A = 6 σ² (≤ 2·10⁴ τ), waits of 20 → 8 τα):

* MD (melt, equilibration cascade, production): particle-steps / throughput.  LAMMPS:
  our driver's particle-steps/s per core (``md.json``), assumed to scale linearly over
  cores (LAMMPS's spatial decomposition does so to ~1000 particles per core).  HOOMD-blue
  on a GPU: no GPU here, so the HOOMD developers' published LJ-liquid throughput on a
  Tesla P100 is used, scaled to our neighbour count (``PUBLISHED_LJ``; override with
  ``--gpu-particle-steps`` for your GPU).  Newer GPUs (A100, H100) are faster.
* Equilibration waits need τα at every ladder temperature.  Measured τα (the demo's
  tracker values, or ``--demo-root``) are fitted per system with a Vogel–Fulcher–Tammann
  law and extrapolated to the colder temperatures the demo does not reach; the
  extrapolation dominates the uncertainty and is reported separately.
* Inherent structures: FIRE steps per frame (``inherent.json``; force evaluations cost
  what MD steps cost) × the frames of every job's inherent-structure window.
* Isoconfigurational ensembles (the propensity stage): configurations × trajectories
  × ``propensity_last_tau_alpha`` τα at the coldest ``propensity_temperatures`` states
  of the first ``propensity_replicas`` replicas, at the MD rate.
* Analysis: phop, structure functions + local s2 per 32768-particle frame
  (``analysis.json``), scaled to the frames of every job; single core.

Writes ``benchmarks/results/cost_model.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

from softness_entropy.runs.dynamics_window import DYNAMICS_MIN_BLOCKS
from softness_entropy.runs.equilibration import wait_for_index
from softness_entropy.runs.production import inherent_structure_window
from softness_entropy.workflow.studies import get_profile, scaled_ladder

RESULTS = Path(__file__).resolve().parent / "results"

#: τα (τ) measured by an earlier ``make demo`` (N = 432, LAMMPS; the equilibration
#: tracker), per Δ at its ladder: the reference temperatures :data:`DEMO_REFERENCE`
#: scaled by T_max(Δ)/2 (paper §II.A).  ``--demo-root`` reads them from a data space
#: instead.
DEMO_REFERENCE = (2.0, 0.9, 0.7, 0.65, 0.6)
DEMO_TAU_ALPHA = {
    0.0: (0.39, 1.84, 4.89, 9.2, 15.4),
    0.1: (0.36, 1.63, 5.74, 7.83, 20.3),
    0.2: (0.35, 1.60, 4.67, 5.95, 10.0),
    0.3: (0.34, 1.61, 3.96, 6.04, 8.71),
    0.4: (0.31, 1.45, 4.00, 4.97, 8.12),
}
#: D_A τα (σ²): 0.014–0.018 in the liquid of the workstation run (Δ = 0, T = 2.0–0.9);
#: it grows below the onset (Stokes–Einstein violation), so D_A = D_TAU_ALPHA / τα
#: underestimates the cold D_A and overestimates the dynamics window there
#: (conservative)
D_TAU_ALPHA = 0.015

#: Published HOOMD-blue throughput (no GPU here to measure it): the ``lj-liquid``
#: benchmark of the HOOMD-blue developers (github.com/joaander/hoomd-benchmarks,
#: lj-liquid.ipynb; HOOMD 2.1-2.2, double precision, one Tesla P100-PCIE-16GB):
#: N = 64000 LJ particles at ρ = 0.382 with r_cut = 3.0 σ, 10⁷ steps in 1.22 h.
PUBLISHED_LJ = {"N": 64000, "rho": 0.382, "r_cut": 3.0, "steps": 1e7, "hours": 1.22}


def neighbours_within_cutoff(rho: float, delta: float) -> float:
    """Mean number of neighbours inside the pair cutoff (ideal-gas count ρ·4πr_c³/3,
    r_c = 2.5 σ_ij on r, eq. 1; 80:20 A:B), which sets the cost of a force evaluation."""
    from softness_entropy import model

    pairs = model.pair_parameters(delta)
    frac = {"A": 0.8, "B": 0.2}
    total = 0.0
    for i in "AB":
        for j in "AB":
            r_cut = (pairs.get((i, j)) or pairs[j, i]).r_cut
            total += frac[i] * frac[j] * rho * 4.0 / 3.0 * math.pi * r_cut**3
    return total


def published_gpu_particle_steps(rho: float = 1.2, delta: float = 0.0) -> float:
    """HOOMD-blue particle-steps/s on one P100 for our mixture: the published LJ rate
    scaled by its neighbour count over ours (pair work dominates at N ≳ 10⁴)."""
    ref = PUBLISHED_LJ
    rate = ref["N"] * ref["steps"] / (ref["hours"] * 3600.0)
    ref_neighbours = ref["rho"] * 4.0 / 3.0 * math.pi * ref["r_cut"] ** 3
    return rate * ref_neighbours / neighbours_within_cutoff(rho, delta)


DEFAULT_GPU_PARTICLE_STEPS = published_gpu_particle_steps()


def vft(T, log_tau0, D_T0, T0):
    return log_tau0 + D_T0 / (T - T0)


def fit_tau_alpha(temps: np.ndarray, taus: np.ndarray) -> tuple[float, float, float]:
    """VFT fit ln τα = ln τ0 + D·T0/(T − T0) over the measured states (T0 < coldest)."""
    p0 = (math.log(taus.min()) - 1.0, 1.0, 0.5 * temps.min())
    bounds = ([-20.0, 0.0, 0.0], [20.0, 100.0, 0.95 * temps.min()])
    params, _ = curve_fit(vft, temps, np.log(taus), p0=p0, bounds=bounds, maxfev=20000)
    return tuple(float(p) for p in params)


def demo_tau_alpha(root: Path | None) -> dict[float, tuple[list[float], list[float]]]:
    """(T, τα) per Δ: from a demo data space, else the recorded table above."""
    if root is None:
        t_max = {s.delta: s.temperatures[0] for s in get_profile("demo").systems}
        ladder = {d: scaled_ladder(DEMO_REFERENCE, DEMO_REFERENCE[0], t) for d, t in t_max.items()}
        return {d: (list(ladder[d]), list(taus)) for d, taus in DEMO_TAU_ALPHA.items()}
    import signac

    out: dict[float, tuple[list[float], list[float]]] = {}
    for job in signac.get_project(root):
        if "equilibration" in job.doc:
            sp = job.cached_statepoint
            temps, taus = out.setdefault(sp["delta"], ([], []))
            temps.append(sp["T"])
            taus.append(job.doc["equilibration"]["tau_alpha"])
    return out


def load(name: str) -> dict:
    path = RESULTS / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: run benchmarks/bench_{name[:-5]}.py first")
    return json.loads(path.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-root", type=Path, help="demo data space to read τα from")
    parser.add_argument(
        "--gpu-particle-steps",
        type=float,
        default=DEFAULT_GPU_PARTICLE_STEPS,
        help="HOOMD-blue particle-steps/s on one GPU (default: published P100 LJ rate "
        "scaled to our neighbour count)",
    )
    args = parser.parse_args()
    md, inherent, analysis = load("md.json"), load("inherent.json"), load("analysis.json")
    cpu_rate = md["driver_particle_steps_per_s"]  # per core
    fire_steps = inherent["our_fire_steps_per_frame"]
    profile = get_profile("paper")
    params = profile.run_parameters()
    N, dt = profile.n_particles, params["dt"]
    measured = demo_tau_alpha(args.demo_root)

    md_time = {"melt": 0.0, "equilibration_measured": 0.0, "equilibration_extrapolated": 0.0}
    frames_total = 0
    per_system = {}
    for delta in (system.delta for system in profile.systems):
        temps = np.array(profile.temperatures(delta))
        t_meas, tau_meas = (np.array(v, dtype=float) for v in measured[delta])
        fit = fit_tau_alpha(t_meas, tau_meas)
        taus = np.exp(vft(temps, *fit))
        waits = [wait_for_index(i, len(temps), params) for i in range(len(temps))]
        equil = np.maximum(params["min_equilibration_time"], np.asarray(waits) * taus)
        inside = temps >= t_meas.min() - 1e-9
        md_time["equilibration_measured"] += profile.replicas * float(equil[inside].sum())
        md_time["equilibration_extrapolated"] += profile.replicas * float(equil[~inside].sum())
        md_time["melt"] += profile.replicas * params["melt_time"]
        # inherent-structure window (frames every frame_interval) and dynamics window,
        # as the workflow sizes them from τα (runs.production.inherent_structure_window,
        # runs.dynamics_window.run_dynamics_window); D_A from τα by D_A τα = D_TAU_ALPHA
        is_window = np.array([inherent_structure_window(params, t) for t in taus])
        d_a = D_TAU_ALPHA / taus
        dyn = np.minimum(
            params["dynamics_max_time"],
            np.maximum.reduce([
                params["dynamics_tau_alpha"] * taus,
                DYNAMICS_MIN_BLOCKS * np.maximum(params["frame_interval"],
                                                 params["dynamics_block_tau_alpha"] * taus),
                params["dynamics_msd_target"] / (6 * d_a),
            ]),
        )  # fmt: skip
        # isoconfigurational ensembles (workflow/propensity.py): C × M trajectories to
        # propensity_last_tau_alpha τα at the propensity_temperatures coldest T of the
        # first propensity_replicas replicas
        chosen = np.sort(taus)[::-1][: params["propensity_temperatures"]]  # coldest: slowest
        iso = (params["propensity_configurations"] * params["propensity_trajectories"]
               * params["propensity_last_tau_alpha"] * float(chosen.sum()))  # fmt: skip
        md_time.setdefault("isoconfigurational ensembles", 0.0)
        md_time["isoconfigurational ensembles"] += (
            min(profile.replicas, params["propensity_replicas"]) * iso
        )
        md_time.setdefault("production (IS window)", 0.0)
        md_time.setdefault("dynamics window", 0.0)
        md_time["production (IS window)"] += profile.replicas * float(is_window.sum())
        md_time["dynamics window"] += profile.replicas * float(dyn.sum())
        frames_total += profile.replicas * int(
            sum(round(w / params["frame_interval"]) + 1 for w in is_window)
        )
        per_system[delta] = {
            "T": temps.tolist(),
            "tau_alpha": taus.tolist(),
            "is_window": is_window.tolist(),
            "dynamics_window": dyn.tolist(),
            "equilibration_time": equil.tolist(),
            "vft": dict(zip(("log_tau0", "D_T0", "T0"), fit, strict=True)),
        }
    n_jobs = len(profile.statepoints())
    frames = frames_total / n_jobs  # mean frames of an inherent-structure window
    particle_steps = {k: v / dt * N for k, v in md_time.items()}
    fire_particle_steps = frames_total * fire_steps * N
    analysis_s = frames_total * (
        analysis["phop_32768x1000_s"] / 1000 + analysis["structure_functions_plus_local_s2_32768_s"]
    )
    rows = {
        **{f"MD {k}": v for k, v in particle_steps.items()},
        "FIRE inherent structures": fire_particle_steps,
    }
    table = []
    for stage, steps in rows.items():
        table.append(
            {
                "stage": stage,
                "particle_steps": steps,
                "lammps_cpu_hours": steps / cpu_rate / 3600,
                "hoomd_gpu_hours": steps / args.gpu_particle_steps / 3600,
            }
        )
    table.append(
        {
            "stage": "analysis (phop, structure functions, local s2; CPU)",
            "particle_steps": None,
            "lammps_cpu_hours": analysis_s / 3600,
            "hoomd_gpu_hours": None,
        }
    )
    total_cpu = sum(r["lammps_cpu_hours"] for r in table)
    total_gpu = sum(r["hoomd_gpu_hours"] or 0 for r in table)
    result = {
        "jobs": n_jobs,
        "N": N,
        "dt": dt,
        "frames_per_job": frames,
        "lammps_particle_steps_per_core_s": cpu_rate,
        "hoomd_gpu_particle_steps_s": args.gpu_particle_steps,
        "fire_steps_per_frame": fire_steps,
        "stages": table,
        "total_cpu_hours_all_lammps": total_cpu,
        "total_gpu_hours_hoomd_plus_cpu_hours_analysis": [
            total_gpu,
            table[-1]["lammps_cpu_hours"],
        ],
        "per_system": per_system,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cost_model.json").write_text(json.dumps(result, indent=2))
    print(f"paper profile: {n_jobs} jobs, N = {N}, dt = {dt}, {frames:.0f} inherent-structure "
          "frames per job on average")  # fmt: skip
    source = (
        ""
        if args.gpu_particle_steps != DEFAULT_GPU_PARTICLE_STEPS
        else (
            f" (published, not measured: P100 LJ liquid {PUBLISHED_LJ}, scaled from "
            f"{PUBLISHED_LJ['rho'] * 4 / 3 * math.pi * PUBLISHED_LJ['r_cut'] ** 3:.1f} to "
            f"{neighbours_within_cutoff(1.2, 0.0):.1f} neighbours)"
        )
    )
    print(f"LAMMPS {cpu_rate:.3g} particle-steps/s per core (measured here); HOOMD-blue "
          f"{args.gpu_particle_steps:.3g} per GPU{source}")  # fmt: skip
    print(f"{'stage':52s} {'particle-steps':>15s} {'LAMMPS CPU-h':>13s} {'HOOMD GPU-h':>12s}")
    for r in table:
        steps = f"{r['particle_steps']:.3g}" if r["particle_steps"] else "-"
        gpu = f"{r['hoomd_gpu_hours']:.1f}" if r["hoomd_gpu_hours"] is not None else "-"
        print(f"{r['stage']:52s} {steps:>15s} {r['lammps_cpu_hours']:13.0f} {gpu:>12s}")
    print(f"total: {total_cpu:.0f} CPU-hours (LAMMPS) or {total_gpu:.0f} GPU-hours (HOOMD) "
          f"+ {table[-1]['lammps_cpu_hours']:.0f} CPU-hours of analysis")  # fmt: skip
    for delta, rec in per_system.items():
        print(
            f"Δ = {delta}: τα at the coldest ladder T = {rec['T'][-1]} extrapolated to "
            f"{rec['tau_alpha'][-1]:.3g} τ (VFT T0 = {rec['vft']['T0']:.3f})"
        )


if __name__ == "__main__":
    main()
