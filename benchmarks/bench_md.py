"""MD throughput of our engine driver against the same engine run raw, in one run.

    python benchmarks/bench_md.py [--N 4000] [--steps 20000] [--frame-steps 1000]

Reference: ``lmp -in`` on the same system (same data, potential, thermostat,
neighbour settings, one rank, one thread).  Ours: ``LammpsEngine.run_nvt`` in chunks of
``--frame-steps`` with a configuration read back and written to GSD after every chunk,
i.e. what a production run does at one frame per chunk.  Prints particle-steps/s of
both and their ratio (target ≥ 0.9); results go to benchmarks/results/md.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gsd.hoomd
import numpy as np

from softness_entropy.configuration import cubic_lattice
from softness_entropy.engines.lammps_engine import (
    LammpsEngine,
    box_commands,
    integration_commands,
    nvt_command,
    potential_commands,
)
from softness_entropy.gsd_io import to_frame

RESULTS = Path(__file__).resolve().parent / "results"


def write_data_file(path: Path, conf) -> None:
    """LAMMPS data file (atomic style) with positions, image flags and velocities."""
    n, h = conf.n_particles, conf.box_length / 2
    lines = [
        "benchmark configuration",
        "",
        f"{n} atoms",
        "2 atom types",
        "",
        f"{-h!r} {h!r} xlo xhi",
        f"{-h!r} {h!r} ylo yhi",
        f"{-h!r} {h!r} zlo zhi",
        "",
        "Atoms # atomic",
        "",
    ]
    for i in range(n):
        x, y, z = conf.positions[i]
        ix, iy, iz = conf.image[i]
        lines.append(f"{i + 1} {conf.typeid[i] + 1} {x:.17g} {y:.17g} {z:.17g} {ix} {iy} {iz}")
    lines += ["", "Velocities", ""]
    for i in range(n):
        vx, vy, vz = conf.velocities[i]
        lines.append(f"{i + 1} {vx:.17g} {vy:.17g} {vz:.17g}")
    path.write_text("\n".join(lines) + "\n")


def raw_lammps(conf, delta, dt, kT, tau, steps, workdir: Path) -> float:
    """Particle-steps/s of ``lmp -in`` from LAMMPS's own loop time."""
    data = workdir / "bench.data"
    write_data_file(data, conf)
    commands = [c for c in box_commands(conf.box_length) if not c.startswith("mass")]
    script = [
        *commands,
        f"read_data {data} add append",
        "mass * 1.0",
        *potential_commands(delta),
        *integration_commands(dt),
        nvt_command(kT, tau),
        "thermo 0",
        f"run {steps}",
    ]
    (workdir / "in.bench").write_text("\n".join(script) + "\n")
    lmp = Path(sys.executable).with_name("lmp")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run(
        [str(lmp), "-in", "in.bench", "-log", "none", "-nocite"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    loop = float(re.search(r"Loop time of ([0-9.eE+-]+)", out).group(1))
    return conf.n_particles * steps / loop


def driver(conf, delta, dt, kT, tau, steps, frame_steps, workdir: Path) -> float:
    """Particle-steps/s of our driver, writing one GSD frame per chunk."""
    with LammpsEngine(conf, delta, dt=dt, seed=1, threads=1) as md:
        md.run_nvt(10, kT, tau)  # set-up outside the timing, as LAMMPS's loop time does
        start = time.perf_counter()
        with gsd.hoomd.open(workdir / "traj.gsd", mode="w") as traj:
            done = 0
            while done < steps:
                md.run_nvt(frame_steps, kT, tau)
                done += frame_steps
                traj.append(to_frame(md.configuration()))
        elapsed = time.perf_counter() - start
    return conf.n_particles * steps / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int, default=4000)
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--frame-steps", type=int, default=1000)
    parser.add_argument("--delta", type=float, default=0.0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    dt, kT, tau, rho = 0.005, 1.0, 0.1, 1.2
    conf = cubic_lattice(args.N, rho, np.random.default_rng(0))
    with LammpsEngine(conf, args.delta, dt=dt, seed=1, threads=1) as md:
        md.thermalize(2.0)
        md.run_nvt(2000, kT, tau)
        conf = md.configuration()
    raw, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):  # interleaved, so load changes hit both alike
            raw.append(raw_lammps(conf, args.delta, dt, kT, tau, args.steps, Path(tmp)))
            ours.append(
                driver(conf, args.delta, dt, kT, tau, args.steps, args.frame_steps, Path(tmp))
            )
    result = {
        "N": args.N,
        "steps": args.steps,
        "frame_steps": args.frame_steps,
        "raw_lmp_particle_steps_per_s": max(raw),
        "driver_particle_steps_per_s": max(ours),
        "ratio_driver_over_raw": max(ours) / max(raw),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "md.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
