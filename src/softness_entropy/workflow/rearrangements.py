"""Per-job dynamics and rearrangement operations (paper §II.A, §II.B, §III.A).

* ``dynamics``: MSD of the A particles → D_A and D*_A; F_s(Q, t) → τα, from the
  unwrapped production trajectory.  Arrays in ``dynamics.npz`` (``times`` τ, ``msd``
  σ², ``fs``), scalars in ``job.doc["dynamics"]``.
* ``compute_phop``: phop (eq. 2) of every A particle on the inherent-structure
  trajectory and the soft/hard training events.  ``phop.h5`` holds ``phop``
  (frames × A particles, float32, σ²), ``frames`` (the trajectory frame of each row),
  ``a_index`` (the particle index of each column), ``soft/frames``,
  ``soft/particles``, ``hard/frames``, ``hard/particles`` (trajectory frame and
  particle index of each event); counts in ``job.doc["phop"]``.
"""

from __future__ import annotations

from .directives import analysis_directives
from .flowproject import Project
from .guard import exclusive
from .simulation import INHERENT, TRAJECTORY, has_inherent_structures, has_production, parameters
from .storage import checked_input, digests, has_record, set_record

DYNAMICS = "dynamics.npz"
PHOP = "phop.h5"


def has_dynamics(job) -> bool:
    return has_record(job, "dynamics") and job.isfile(DYNAMICS)


def has_phop(job) -> bool:
    return has_record(job, "phop") and job.isfile(PHOP)


@Project.pre(has_production)
@Project.post(has_dynamics)
@Project.operation(directives=analysis_directives())
@exclusive(has_dynamics)
def dynamics(job):
    """MSD → D_A (and D*_A), F_s(Q = 7.14, t) → τα of the A particles (paper §II.A)."""
    import numpy as np

    from ..analysis.dynamics import fit_diffusion, mean_squared_displacement, reduced_diffusion
    from ..analysis.relaxation import fs_curve, tau_alpha
    from ..gsd_io import read_trajectory
    from .storage import atomic_savez

    params = parameters(job)
    sp = job.cached_statepoint
    path = checked_input(job, TRAJECTORY, "production", "production")
    steps, positions, _ = read_trajectory(path)
    times = (steps - steps[0]) * params["dt"]
    msd = mean_squared_displacement(positions)
    fit = fit_diffusion(times, msd, msd_min=params["msd_min"])
    fs = fs_curve(positions, params["q_vector"])
    tau = tau_alpha(times[: len(fs)], fs)
    atomic_savez(job.fn(DYNAMICS), times=times, msd=msd, fs=fs)
    set_record(
        job,
        "dynamics",
        {
            "D_A": fit.D,
            "D_A_reduced": reduced_diffusion(fit.D, sp["rho"], sp["T"]),
            "diffusive": fit.diffusive,
            "fit_t_start": fit.t_start,
            "fit_t_end": fit.t_end,
            "msd_loglog_slope": fit.loglog_slope,
            "tau_alpha": tau,
            # False: F_s never dropped below 1/e within the trajectory (too short)
            "tau_alpha_reached": bool(np.isfinite(tau)),
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

    from ..analysis.events import hard_events, soft_events
    from ..analysis.phop import half_window, phop
    from ..gsd_io import read_trajectory
    from .storage import atomic_h5

    params = parameters(job)
    interval = params["frame_interval"]
    path = checked_input(job, INHERENT, "inherent_structures", "fire_minimize")
    _, positions, first = read_trajectory(path)
    h = half_window(params["t_r"], interval)
    values = phop(positions, h)
    a_index = np.flatnonzero(first.typeid == 0)
    soft = soft_events(values, params["p_soft"], round(params["soft_separation"] / interval))
    hard = hard_events(values, params["p_hard"], round(params["hard_separation"] / interval))
    atomic_h5(
        job.fn(PHOP),
        {
            "phop": values.astype(np.float32),
            "frames": np.arange(len(values)) + h,
            "a_index": a_index,
            "soft/frames": soft.frames + h,
            "soft/particles": a_index[soft.particles],
            "hard/frames": hard.frames + h,
            "hard/particles": a_index[hard.particles],
        },
        attrs={"half_window": h, "t_r": params["t_r"], "units": "sigma_AA^2"},
    )
    set_record(
        job,
        "phop",
        {
            "half_window": h,
            "frames": int(values.shape[0]),
            "n_soft": len(soft),
            "n_hard": len(hard),
            "fraction_above_p_soft": float((values > params["p_soft"]).mean()),
            "mean": float(values.mean()),
            "sha256": digests(job, PHOP),
        },
    )
