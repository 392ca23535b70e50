"""Simulation operations (paper §II.A): equilibrate → quench → production → FIRE-minimize.

* ``equilibrate``: the hottest state of each (Δ, ρ, replica, N) chain, from a cubic
  lattice with random species, melted and equilibrated in the liquid;
* ``quench``: every colder state starts from the final state of the next-hotter one
  (the paper's temperature quench) and waits a number of τα measured on the fly;
* ``production``: a trajectory with a frame every ``frame_interval`` τ;
* ``fire_minimize``: the inherent structure of every production frame.

Files per job: ``equilibrated.gsd``, ``trajectory.gsd``, ``inherent.gsd`` (and
``*.ckpt.npz`` checkpoints while running).  Records (with provenance) in the job
document under ``equilibration``, ``production``, ``inherent_structures``.
"""

from __future__ import annotations

import logging

from .directives import simulation_directives
from .flowproject import Project, applies_to
from .guard import exclusive
from .parameters import job_parameters as parameters
from .storage import checked_input, digests, drop_record, has_record, set_record

log = logging.getLogger(__name__)

EQUILIBRATED = "equilibrated.gsd"
TRAJECTORY = "trajectory.gsd"
INHERENT = "inherent.gsd"


def chain(job) -> list:
    """Jobs of the job's (Δ, ρ, replica, N) cascade, hottest first."""
    sp = job.cached_statepoint
    keys = {k: sp[k] for k in ("delta", "rho", "replica", "N")}
    return sorted(job.project.find_jobs(keys), key=lambda j: -j.cached_statepoint["T"])


def hotter(job):
    """The next-hotter job of the cascade, or None for the hottest."""
    jobs = chain(job)
    index = [j.id for j in jobs].index(job.id)
    return jobs[index - 1] if index > 0 else None


def label(job, operation: str) -> str:
    sp = job.cached_statepoint
    return f"{operation} Δ={sp['delta']} ρ={sp['rho']} T={sp['T']} r={sp['replica']} [{job.id[:8]}]"


# -- conditions ---------------------------------------------------------------------
def is_equilibrated(job) -> bool:
    return has_record(job, "equilibration") and job.isfile(EQUILIBRATED)


def is_hottest(job) -> bool:
    return hotter(job) is None


def is_colder_rung(job) -> bool:
    return not is_hottest(job)


def hotter_is_equilibrated(job) -> bool:
    up = hotter(job)
    return up is not None and is_equilibrated(up)


def has_production(job) -> bool:
    return has_record(job, "production") and job.isfile(TRAJECTORY)


def has_inherent_structures(job) -> bool:
    return has_record(job, "inherent_structures") and job.isfile(INHERENT)


# -- operations ---------------------------------------------------------------------
def _equilibrate(job, start, melt: bool) -> None:
    from pathlib import Path

    from ..runs.equilibration import EquilibrationFailed, equilibrate_state, wait_for_index

    params = parameters(job)
    jobs = chain(job)
    index = [j.id for j in jobs].index(job.id)
    up = hotter(job)  # before the run: a state added meanwhile is not where it started
    try:
        record = equilibrate_state(
            dict(job.cached_statepoint),
            params,
            start,
            melt=melt,
            wait_tau_alpha=wait_for_index(index, len(jobs), params),
            checkpoint=Path(job.fn("equilibration.ckpt.npz")),
            output=Path(job.fn(EQUILIBRATED)),
            label=label(job, "quench" if not melt else "equilibrate"),
        )
    except EquilibrationFailed as err:
        # recorded where users look; the checkpoint lets a longer limit continue the run
        set_record(job, "equilibration_failure", str(err))
        raise
    drop_record(job, "equilibration_failure")
    record["started_from"] = up.id if up is not None else "lattice"
    record["sha256"] = digests(job, EQUILIBRATED)
    set_record(job, "equilibration", record)


@applies_to(is_hottest)
@Project.post(is_equilibrated)
@Project.operation(directives=simulation_directives())
@exclusive(is_equilibrated)
def equilibrate(job):
    """Melt the cubic lattice at the chain's highest T and equilibrate (paper §II.A)."""
    from ..runs.equilibration import lattice_start

    start = lattice_start(dict(job.cached_statepoint), parameters(job))
    _equilibrate(job, start, melt=True)


@applies_to(is_colder_rung)
@Project.pre(hotter_is_equilibrated)
@Project.post(is_equilibrated)
@Project.operation(directives=simulation_directives())
@exclusive(is_equilibrated)
def quench(job):
    """Start from the next-hotter state's final configuration and equilibrate at T."""
    from ..gsd_io import read_configuration

    up = hotter(job)
    writer = "equilibrate" if is_hottest(up) else "quench"
    start = read_configuration(checked_input(up, EQUILIBRATED, "equilibration", writer))
    _equilibrate(job, start, melt=False)


def has_dynamics(job) -> bool:
    from .rearrangements import has_dynamics as done

    return done(job)


def inherent_structure_window(params: dict, tau_alpha: float) -> float:
    """Length of the inherent-structure window (τ): ``production_time``, or
    ``is_window_tau_alpha`` × τα where that is longer, so that the coldest states hold
    as many independent rearrangements per particle as the warmer ones (§II.B)."""
    import math

    if not math.isfinite(tau_alpha):
        return params["production_time"]
    n = math.ceil(params["is_window_tau_alpha"] * tau_alpha / params["frame_interval"])
    return max(params["production_time"], n * params["frame_interval"])


@Project.pre(is_equilibrated)
@Project.pre(has_dynamics)
@Project.post(has_production)
@Project.operation(directives=simulation_directives())
@exclusive(has_production)
def production(job):
    """The inherent-structure window: a frame every ``frame_interval`` τ (paper §II.B:
    1 τ) for :func:`inherent_structure_window` (τα from the ``dynamics`` record)."""
    import math
    from pathlib import Path

    from ..runs.production import run_production
    from .storage import read_record

    params = parameters(job)
    dyn = read_record(job, "dynamics", "dynamics", ("tau_alpha", "time"))
    tau = float("nan") if dyn["tau_alpha"] is None else dyn["tau_alpha"]
    if not math.isfinite(tau):
        # F_s never reached 1/e within the dynamics window: τα is longer than it
        tau = max(dyn.get("tau_alpha_equilibration") or 0.0, dyn["time"])
    window = inherent_structure_window(params, tau)
    record = run_production(
        dict(job.cached_statepoint),
        {**params, "production_time": window},
        start=Path(checked_input(job, EQUILIBRATED, "equilibration", "equilibrate")),
        trajectory=Path(job.fn(TRAJECTORY)),
        checkpoint=Path(job.fn("production.ckpt.npz")),
        label=label(job, "production"),
    )
    record["sha256"] = digests(job, TRAJECTORY)
    record["window"] = window
    set_record(job, "production", record)


@Project.pre(has_production)
@Project.post(has_inherent_structures)
@Project.operation(directives=simulation_directives())
@exclusive(has_inherent_structures)
def fire_minimize(job):
    """Inherent structures: FIRE minimisation of every production frame (paper §II.A)."""
    from pathlib import Path

    from ..runs.inherent import run_inherent_structures

    record = run_inherent_structures(
        dict(job.cached_statepoint),
        parameters(job),
        trajectory=Path(checked_input(job, TRAJECTORY, "production", "production")),
        output=Path(job.fn(INHERENT)),
        label=label(job, "fire_minimize"),
    )
    record["sha256"] = digests(job, INHERENT)
    set_record(job, "inherent_structures", record)
