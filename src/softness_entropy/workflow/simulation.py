"""Simulation operations (paper §II.A): equilibrate → quench → dynamics → production →
FIRE-minimize.  Each reads its inputs, calls one driver of :mod:`softness_entropy.runs`
and writes its record.

* ``equilibrate``: the hottest state of each (Δ, ρ, replica, N) chain, from a cubic
  lattice with random species, melted and equilibrated in the liquid;
* ``quench``: every colder state starts from the final state of the next-hotter one
  (the paper's temperature quench) and waits a number of τα measured on the fly;
* ``dynamics``: the dynamics window, an NVT run from the equilibrated state with
  log-periodic frames (``dynamics.gsd``) lasting until the A particles' MSD is several
  σ² and ≥ ``dynamics_tau_alpha`` τα have passed; MSD → D_A and D*_A; F_s(Q, t) → τα
  (*the* τα of the state), all with bootstrap errors over particle groups.  Arrays in
  ``dynamics.npz`` (``times`` τ, ``msd`` σ², ``fs``, ``origins`` per lag), scalars in
  ``job.doc["dynamics"]``;
* ``production``: a trajectory with a frame every ``frame_interval`` τ;
* ``fire_minimize``: the inherent structure of every production frame.

Files per job: ``equilibrated.gsd``, ``dynamics.gsd``, ``dynamics.npz``,
``trajectory.gsd``, ``inherent.gsd`` (and ``*.ckpt.npz`` checkpoints while running).
Records (with provenance) in the job document under ``equilibration``,
``dynamics_window``, ``dynamics``, ``production``, ``inherent_structures``.
"""

from __future__ import annotations

from pathlib import Path

from .parameters import job_parameters as parameters
from .parameters import msd_target_required, reference_scale
from .pipeline import stage
from .products import CHECKPOINTS, DYNAMICS, DYNAMICS_TRAJECTORY, EQUILIBRATED, INHERENT, TRAJECTORY
from .selection import chain, hotter, label
from .storage import digests, drop_record, has_record, read_record, set_record


def _equilibrate(job, start, melt: bool) -> None:
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
            checkpoint=Path(job.fn(CHECKPOINTS["equilibration"])),
            output=Path(EQUILIBRATED.fn(job)),
            label=label(job, "quench" if not melt else "equilibrate"),
        )
    except EquilibrationFailed as err:
        # recorded where users look; the checkpoint lets a longer limit continue the run
        set_record(job, "equilibration_failure", str(err))
        raise
    drop_record(job, "equilibration_failure")
    record["started_from"] = up.id if up is not None else "lattice"
    record["sha256"] = digests(job, EQUILIBRATED.file)
    set_record(job, EQUILIBRATED.record, record)


@stage
def equilibrate(job):
    """Melt the cubic lattice at the chain's highest T and equilibrate (paper §II.A)."""
    from ..runs.equilibration import lattice_start

    start = lattice_start(dict(job.cached_statepoint), parameters(job))
    _equilibrate(job, start, melt=True)


@stage
def quench(job):
    """Start from the next-hotter state's final configuration and equilibrate at T."""
    from ..gsd_io import read_configuration

    start = read_configuration(EQUILIBRATED.path(hotter(job)))
    _equilibrate(job, start, melt=False)


@stage
def dynamics(job):
    """The dynamics window (log-periodic frames, as long as the state needs) → MSD →
    D_A, D*_A; F_s(Q = 7.14, t) → τα of the A particles, with bootstrap errors (§II.A)."""
    from ..analysis.dynamics import window_dynamics
    from ..files import atomic_savez
    from ..gsd_io import read_trajectory

    params = parameters(job)
    sp = job.cached_statepoint
    tau_eq = read_record(job, EQUILIBRATED.record, EQUILIBRATED.writer_of(job),
                         ("tau_alpha",))["tau_alpha"]  # fmt: skip
    # the MD run is recorded on its own, so that the analysis below can be re-run
    # (drop the "dynamics" record) without repeating it
    if has_record(job, DYNAMICS_TRAJECTORY.record):
        run = read_record(job, DYNAMICS_TRAJECTORY.record, "dynamics", ("block_steps",))
        trajectory = DYNAMICS_TRAJECTORY.path(job)
    else:
        run = _dynamics_window(job, params, float(tau_eq))
        trajectory = DYNAMICS_TRAJECTORY.fn(job)
    frames = read_trajectory(trajectory)
    found = window_dynamics(frames.steps, frames.positions, run["block_steps"], dt=params["dt"],
                            q_vector=params["q_vector"], msd_min=params["msd_min"])  # fmt: skip
    atomic_savez(DYNAMICS.fn(job), times=found.times, msd=found.msd, fs=found.fs,
                 origins=found.origins)  # fmt: skip
    measured = found.record(sp["rho"], sp["T"], run["time"])
    set_record(
        job,
        DYNAMICS.record,
        {
            **{k: v for k, v in run.items() if k != "sha256"},
            **measured,
            # the equilibration tracker's τα is an on-the-fly estimate; the window's is
            # *the* τα of the state
            "tau_alpha_equilibration": float(tau_eq),
            "sha256": digests(job, DYNAMICS.file),
        },
    )


def _dynamics_window(job, params: dict, tau_eq: float) -> dict:
    """Run the dynamics window of ``job`` (MSD target where ``dynamics_msd_where``
    requires it) and record it under ``dynamics_window``."""
    from ..runs.dynamics_window import run_dynamics_window

    sp = job.cached_statepoint
    t_ref = sp["T"] / reference_scale(job.project, sp["delta"], sp["rho"])
    required = msd_target_required(params, t_ref)
    run = run_dynamics_window(
        dict(sp),
        params if required else {**params, "dynamics_msd_target": 0.0},
        start=Path(EQUILIBRATED.fn(job)),
        tau_alpha=tau_eq,
        output=Path(DYNAMICS_TRAJECTORY.fn(job)),
        checkpoint=Path(job.fn(CHECKPOINTS["dynamics"])),
        label=label(job, "dynamics"),
    )
    run["sha256"] = digests(job, DYNAMICS_TRAJECTORY.file)
    run["msd_target_required"] = required
    set_record(job, DYNAMICS_TRAJECTORY.record, run)
    return run


@stage
def production(job):
    """The inherent-structure window: a frame every ``frame_interval`` τ (paper §II.B:
    1 τ) for ``inherent_structure_window`` (τα from the ``dynamics`` record)."""
    from ..runs.production import inherent_structure_window, run_production, window_tau_alpha

    params = parameters(job)
    dyn = read_record(job, DYNAMICS.record, "dynamics", ("tau_alpha", "time"))
    window = inherent_structure_window(params, window_tau_alpha(dyn))
    record = run_production(
        dict(job.cached_statepoint),
        {**params, "production_time": window},
        start=Path(EQUILIBRATED.fn(job)),
        trajectory=Path(TRAJECTORY.fn(job)),
        checkpoint=Path(job.fn(CHECKPOINTS["production"])),
        label=label(job, "production"),
    )
    record["sha256"] = digests(job, TRAJECTORY.file)
    record["window"] = window
    set_record(job, TRAJECTORY.record, record)


@stage
def fire_minimize(job):
    """Inherent structures: FIRE minimisation of every production frame (paper §II.A)."""
    from ..runs.inherent import run_inherent_structures

    record = run_inherent_structures(
        dict(job.cached_statepoint),
        parameters(job),
        trajectory=Path(TRAJECTORY.fn(job)),
        output=Path(INHERENT.fn(job)),
        label=label(job, "fire_minimize"),
    )
    record["sha256"] = digests(job, INHERENT.file)
    set_record(job, INHERENT.record, record)
