"""Per-job dynamics and rearrangement operations (paper §II.A, §II.B, §III.A).

* ``dynamics``: the dynamics window, an NVT run from the equilibrated state with
  log-periodic frames (``dynamics.gsd``) lasting until the A particles' MSD is several
  σ² and ≥ ``dynamics_tau_alpha`` τα have passed; MSD → D_A and D*_A; F_s(Q, t) → τα
  (*the* τα of the state), all with bootstrap errors over particle groups.  Arrays in
  ``dynamics.npz`` (``times`` τ, ``msd`` σ², ``fs``, ``origins`` per lag), scalars in
  ``job.doc["dynamics"]``.
* ``compute_phop``: phop (eq. 2) of every A particle on the inherent-structure
  trajectory and the soft/hard training events.  ``phop.h5`` holds ``phop``
  (frames × A particles, float32, σ²), ``frames`` (the trajectory frame of each row),
  ``a_index`` (the particle index of each column), ``soft/frames``,
  ``soft/particles``, ``hard/frames``, ``hard/particles`` (trajectory frame and
  particle index of each event); counts in ``job.doc["phop"]``.
"""

from __future__ import annotations

from .directives import analysis_directives, simulation_directives
from .flowproject import Project
from .guard import exclusive
from .parameters import msd_target_required, reference_scale, separations_in_frames
from .simulation import (
    EQUILIBRATED,
    INHERENT,
    has_inherent_structures,
    is_equilibrated,
    label,
    parameters,
)
from .storage import checked_input, digests, has_record, set_record

DYNAMICS = "dynamics.npz"
DYNAMICS_TRAJECTORY = "dynamics.gsd"
PHOP = "phop.h5"


def has_dynamics(job) -> bool:
    return has_record(job, "dynamics") and job.isfile(DYNAMICS) and job.isfile(DYNAMICS_TRAJECTORY)


def has_phop(job) -> bool:
    return has_record(job, "phop") and job.isfile(PHOP)


@Project.pre(is_equilibrated)
@Project.post(has_dynamics)
@Project.operation(directives=simulation_directives())
@exclusive(has_dynamics)
def dynamics(job):
    """The dynamics window (log-periodic frames, as long as the state needs) → MSD →
    D_A, D*_A; F_s(Q = 7.14, t) → τα of the A particles, with bootstrap errors (§II.A)."""
    from pathlib import Path

    import numpy as np

    from ..analysis.dynamics import estimate_dynamics, log_periodic_curves, reduced_diffusion
    from ..files import atomic_savez
    from ..gsd_io import read_trajectory
    from ..runs.dynamics_window import run_dynamics_window
    from .storage import read_record

    params = parameters(job)
    sp = job.cached_statepoint
    start = checked_input(job, EQUILIBRATED, "equilibration", "equilibrate")
    tau_eq = read_record(job, "equilibration", "equilibrate", ("tau_alpha",))["tau_alpha"]
    # the MD run is recorded on its own, so that the analysis below can be re-run
    # (drop the "dynamics" record) without repeating it
    if has_record(job, "dynamics_window"):
        run = read_record(job, "dynamics_window", "dynamics", ("block_steps",))
        trajectory = checked_input(job, DYNAMICS_TRAJECTORY, "dynamics_window", "dynamics")
    else:
        t_ref = sp["T"] / reference_scale(job.project, sp["delta"], sp["rho"])
        required = msd_target_required(params, t_ref)
        run = run_dynamics_window(
            dict(sp),
            params if required else {**params, "dynamics_msd_target": 0.0},
            start=Path(start),
            tau_alpha=float(tau_eq),
            output=Path(job.fn(DYNAMICS_TRAJECTORY)),
            checkpoint=Path(job.fn("dynamics.ckpt.npz")),
            label=label(job, "dynamics"),
        )
        run["sha256"] = digests(job, DYNAMICS_TRAJECTORY)
        run["msd_target_required"] = required
        set_record(job, "dynamics_window", run)
        trajectory = job.fn(DYNAMICS_TRAJECTORY)
    steps, positions, _ = read_trajectory(trajectory)
    curves = log_periodic_curves(steps, positions, run["block_steps"], params["q_vector"])
    est = estimate_dynamics(curves, params["dt"], msd_min=params["msd_min"])
    msd, fs = curves.mean()
    times = curves.lags * params["dt"]
    atomic_savez(job.fn(DYNAMICS), times=times, msd=msd, fs=fs,
                 origins=np.isfinite(curves.msd[0]).sum(axis=0))  # fmt: skip
    fit = est.fit
    set_record(
        job,
        "dynamics",
        {
            **{k: v for k, v in run.items() if k != "sha256"},
            "D_A": est.D,
            "D_A_error": est.D_error,
            "D_A_reduced": reduced_diffusion(est.D, sp["rho"], sp["T"]),
            "D_A_reduced_error": reduced_diffusion(est.D_error, sp["rho"], sp["T"]),
            "diffusive": fit.diffusive,
            "fit_t_start": fit.t_start,
            "fit_t_end": fit.t_end,
            "msd_loglog_slope": fit.loglog_slope,
            # the τα of the state (the equilibration tracker's is an on-the-fly estimate)
            "tau_alpha": est.tau_alpha,
            "tau_alpha_error": est.tau_alpha_error,
            "tau_alpha_equilibration": float(tau_eq),
            # False: F_s never dropped below 1/e within the window (too short)
            "tau_alpha_reached": bool(np.isfinite(est.tau_alpha)),
            # window length in units of the measured τα (≥ dynamics_tau_alpha wanted)
            "window_tau_alpha": run["time"] / est.tau_alpha
            if np.isfinite(est.tau_alpha)
            else float("nan"),
            "n_origins": est.n_origins,
            "sha256": digests(job, DYNAMICS),
        },
    )


@Project.pre(has_inherent_structures)
@Project.post(has_phop)
@Project.operation(directives=analysis_directives())
@exclusive(has_phop)
def compute_phop(job):
    """phop (eq. 2, t_R = 10 τ) on the inherent structures and the soft/hard events."""
    import numpy as np

    from ..analysis.events import training_events
    from ..analysis.phop import half_window, phop
    from ..files import atomic_h5
    from ..gsd_io import read_trajectory

    params = parameters(job)
    interval = params["frame_interval"]
    path = checked_input(job, INHERENT, "inherent_structures", "fire_minimize")
    _, positions, first = read_trajectory(path)
    h = half_window(params["t_r"], interval)
    values = phop(positions, h)
    # phop row k covers frames k … k + 2h; it labels frame k + h (eq. 2) or k (start)
    offset = h if params["phop_label"] == "centre" else 0
    a_index = np.flatnonzero(first.typeid == 0)
    soft, hard = training_events(values, params["training_events"], params["p_soft"],
                                 params["p_hard"], *separations_in_frames(params))  # fmt: skip
    atomic_h5(
        job.fn(PHOP),
        {
            "phop": values.astype(np.float32),
            "frames": np.arange(len(values)) + offset,
            "a_index": a_index,
            "soft/frames": soft.frames + offset,
            "soft/particles": a_index[soft.particles],
            "hard/frames": hard.frames + offset,
            "hard/particles": a_index[hard.particles],
        },
        attrs={
            "half_window": h,
            "label_offset": offset,
            "t_r": params["t_r"],
            "units": "sigma_AA^2",
        },
    )
    set_record(
        job,
        "phop",
        {
            "half_window": h,
            "label": params["phop_label"],
            "training_events": params["training_events"],
            "frames": int(values.shape[0]),
            "n_soft": len(soft),
            "n_hard": len(hard),
            "fraction_above_p_soft": float((values > params["p_soft"]).mean()),
            "mean": float(values.mean()),
            "sha256": digests(job, PHOP),
        },
    )
