"""Simulate one state point outside the workflow and print thermodynamic averages.

    python -m softness_entropy.simulate --delta 0 --rho 1.2 --T 2.0 --N 1000 \\
        --steps 20000 --equilibration-steps 5000 --engine lammps

Python API::

    from softness_entropy.simulate import simulate_state_point
    result = simulate_state_point(delta=0.0, rho=1.2, T=2.0, N=1000, steps=20_000)
    result.potential_energy  # ⟨U/N⟩ (ε_AA)

The run starts from a simple-cubic lattice with random species (paper §II.A), draws
velocities at T, runs NVT (Nosé–Hoover) for the equilibration steps and then samples
U/N, P and the kinetic temperature every ``sample_every`` steps.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np

from .configuration import cubic_lattice, make_seed, validate_statepoint
from .engines import DEVICE_CHOICES, ENGINE_CHOICES, create_engine, resolve_engine


@dataclass(frozen=True)
class StatePointResult:
    """Averages of one NVT run (LJ units of species A); errors are standard errors
    of block averages (10 blocks)."""

    engine: str
    engine_version: str
    delta: float
    rho: float
    T: float
    N: int
    steps: int
    dt: float
    potential_energy: float
    potential_energy_error: float
    pressure: float
    pressure_error: float
    kinetic_temperature: float
    kinetic_temperature_error: float
    particle_steps_per_second: float


def _mean_and_error(samples: list[float], blocks: int = 10) -> tuple[float, float]:
    x = np.asarray(samples, dtype=np.float64)
    if len(x) < 2 * blocks:
        return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
    means = np.array([b.mean() for b in np.array_split(x, blocks)])
    return float(x.mean()), float(means.std(ddof=1) / np.sqrt(blocks))


def simulate_state_point(
    delta: float,
    rho: float,
    T: float,
    N: int,
    steps: int,
    *,
    equilibration_steps: int = 0,
    dt: float = 0.005,
    thermostat_tau: float = 0.1,
    sample_every: int = 100,
    engine: str = "auto",
    replica: int = 0,
    device: str = "auto",
    threads: int | None = None,
) -> StatePointResult:
    """Run NVT at one state point and return averages of U/N, P and T_kin.

    Raises ValueError for an invalid state point or run length before any compute.
    """
    sp = {"delta": delta, "rho": rho, "T": T, "replica": replica, "N": N}
    validate_statepoint(sp)
    if steps <= 0 or sample_every <= 0 or equilibration_steps < 0 or dt <= 0:
        raise ValueError("steps, sample_every and dt must be positive, equilibration ≥ 0")
    name = resolve_engine(engine)
    rng = np.random.default_rng(make_seed("lattice", sp))
    conf = cubic_lattice(N, rho, rng)
    with create_engine(
        name, conf, delta, dt=dt, seed=make_seed("md", sp), device=device, threads=threads
    ) as md:
        md.thermalize(T)
        if equilibration_steps:
            md.run_nvt(equilibration_steps, T, thermostat_tau)
        u, p, t = [], [], []
        start = time.perf_counter()
        done = 0
        while done < steps:
            chunk = min(sample_every, steps - done)
            md.run_nvt(chunk, T, thermostat_tau)
            done += chunk
            th = md.thermo()
            u.append(th.potential_energy)
            p.append(th.pressure)
            t.append(th.kinetic_temperature)
        rate = N * steps / (time.perf_counter() - start)
        version = md.version
    (u_m, u_e), (p_m, p_e), (t_m, t_e) = map(_mean_and_error, (u, p, t))
    return StatePointResult(
        engine=name,
        engine_version=version,
        delta=delta,
        rho=rho,
        T=T,
        N=N,
        steps=steps,
        dt=dt,
        potential_energy=u_m,
        potential_energy_error=u_e,
        pressure=p_m,
        pressure_error=p_e,
        kinetic_temperature=t_m,
        kinetic_temperature_error=t_e,
        particle_steps_per_second=rate,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m softness_entropy.simulate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--delta", type=float, required=True, help="well width Δ (eq. 1)")
    parser.add_argument("--rho", type=float, required=True, help="number density")
    parser.add_argument("--T", type=float, required=True, help="temperature k_B T/ε_AA")
    parser.add_argument("--N", type=int, required=True, help="number of particles")
    parser.add_argument("--steps", type=int, required=True, help="sampled MD steps")
    parser.add_argument("--equilibration-steps", type=int, default=0)
    parser.add_argument("--dt", type=float, default=0.005, help="time step (τ)")
    parser.add_argument("--tau", type=float, default=0.1, help="thermostat time (τ)")
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--engine", default="auto", choices=ENGINE_CHOICES)
    parser.add_argument("--device", default="auto", choices=DEVICE_CHOICES)
    parser.add_argument("--threads", type=int, default=None, help="LAMMPS OpenMP threads")
    parser.add_argument("--replica", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        result = simulate_state_point(
            args.delta, args.rho, args.T, args.N, args.steps,
            equilibration_steps=args.equilibration_steps, dt=args.dt,
            thermostat_tau=args.tau, sample_every=args.sample_every, engine=args.engine,
            replica=args.replica, device=args.device, threads=args.threads,
        )  # fmt: skip
    except ValueError as err:
        parser.error(str(err))
    if args.json:
        print(json.dumps(asdict(result), indent=2))
    else:
        print(f"engine      {result.engine} {result.engine_version}")
        print(f"state       Δ={args.delta} ρ={args.rho} T={args.T} N={args.N}")
        print(f"U/N         {result.potential_energy:.6f} ± {result.potential_energy_error:.6f}")
        print(f"P           {result.pressure:.5f} ± {result.pressure_error:.5f}")
        print(
            f"T_kin       {result.kinetic_temperature:.5f} ± {result.kinetic_temperature_error:.5f}"
        )
        print(f"speed       {result.particle_steps_per_second:.3g} particle-steps/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
