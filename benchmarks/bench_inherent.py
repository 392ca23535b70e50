"""Inherent structures: cost per frame of our FIRE settings against the engine's own
defaults, on the same thermal frames, in one run; and that both give the same
inherent-structure energy distribution.

    python benchmarks/bench_inherent.py [--N 432] [--frames 20] [--delta 0.0 --T 0.7]

The reference is LAMMPS's own FIRE with its default parameters (alpha0 = 0.25), driven
through the same library; ours is the engine's `minimize_fire` (alpha0 = 0.05).  Both
stop at max |F_i| < 1e-3.  Results go to benchmarks/results/inherent.json.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from softness_entropy.configuration import cubic_lattice
from softness_entropy.engines import FireParameters
from softness_entropy.engines.lammps_engine import LammpsEngine

RESULTS = Path(__file__).resolve().parent / "results"


def thermal_frames(n, rho, delta, kT, count):
    conf = cubic_lattice(n, rho, np.random.default_rng(0))
    with LammpsEngine(conf, delta, dt=1e-4, seed=1, threads=1) as md:
        md.thermalize(kT)
        md.run_nvt(2000, kT, 0.05)
        conf = md.configuration()
    frames = []
    with LammpsEngine(conf, delta, dt=0.002, seed=1, threads=1) as md:
        md.run_nvt(10_000, kT, 0.1)
        for _ in range(count):
            md.run_nvt(500, kT, 0.1)
            frames.append(md.configuration())
    return frames


def minimise_all(frames, delta, alpha):
    params = FireParameters(force_tolerance=1e-3, alpha_start=alpha)
    energies, steps = [], []
    with LammpsEngine(frames[0], delta, dt=0.002, seed=1, threads=1) as md:
        start = time.perf_counter()
        for conf in frames:
            md.set_configuration(replace(conf, velocities=None))
            result = md.minimize_fire(params)
            assert result.converged
            energies.append(result.potential_energy)
            steps.append(result.steps)
        elapsed = time.perf_counter() - start
    return np.array(energies), np.array(steps), elapsed / len(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int, default=432)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--delta", type=float, default=0.0)
    parser.add_argument("--rho", type=float, default=1.2)
    parser.add_argument("--T", type=float, default=0.7)
    args = parser.parse_args()
    frames = thermal_frames(args.N, args.rho, args.delta, args.T, args.frames)
    e_ref, s_ref, t_ref = minimise_all(frames, args.delta, 0.25)
    e_our, s_our, t_our = minimise_all(frames, args.delta, 0.05)
    sem = np.sqrt(e_ref.var(ddof=1) / len(e_ref) + e_our.var(ddof=1) / len(e_our))
    result = {
        "N": args.N, "frames": args.frames, "delta": args.delta, "T": args.T,
        "reference_fire_steps_per_frame": float(s_ref.mean()),
        "our_fire_steps_per_frame": float(s_our.mean()),
        "reference_seconds_per_frame": t_ref,
        "our_seconds_per_frame": t_our,
        "speedup": t_ref / t_our,
        "is_energy_reference": float(e_ref.mean()),
        "is_energy_ours": float(e_our.mean()),
        "is_energy_difference_in_sem": float(abs(e_ref.mean() - e_our.mean()) / sem),
    }  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "inherent.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
