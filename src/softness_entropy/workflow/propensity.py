"""Isoconfigurational propensity: structural predictors scored against the dynamics
they claim to predict (paper §III.A, last paragraph).

* ``isoconfigurational_ensemble`` (per chosen state): from ``propensity_configurations``
  frames of the production run, ``propensity_trajectories`` NVT trajectories each with
  fresh velocities (:mod:`.isoconfigurational`) → ``isoconfigurational.h5``: ``steps``,
  ``times`` (τ), ``times_tau_alpha``, ``frames`` (the starting production frames),
  ``a_index``, ``propensity`` and ``propensity_cage`` ((C, T, n_A) float32, σ²).
* ``score_propensity`` (per chosen state): the predictors on each starting frame's
  inherent structure — softness S (the system's model), local s2 (eq. 6), the
  particle's potential energy and its Voronoi volume — and their Pearson and Spearman
  correlation with the propensity at each time, bootstrap 1σ intervals over the
  starting configurations → ``propensity.h5`` (``predictors/<name>``: (C, n_A);
  ``curves/<name>/<plain|cage>/<pearson|spearman>[_interval]``: (T,) and (T, 2)) and
  ``job.doc["propensity"]``.
* ``summarize_propensity`` (all chosen states) → ``results/propensity.csv`` (one row
  per state, predictor, displacement and time), ``figures/propensity.png`` and
  ``project.doc["propensity"]`` (each curve at t = τα and at its peak).

The chosen states are the ``propensity_temperatures`` coldest temperatures of each
system and its first ``propensity_replicas`` replicas; ``propensity_temperatures = 0``
switches the stage off.
"""

from __future__ import annotations

from pathlib import Path

from .parameters import job_parameters as parameters
from .parameters import propensity_settings
from .pipeline import stage
from .products import (
    CHECKPOINTS,
    ENSEMBLE,
    INHERENT,
    PROPENSITY_CSV,
    PROPENSITY_FIGURE,
    RESULTS_DIR,
    SCORES,
    SOFTNESS,
    TRAJECTORY,
)
from .provenance import made_from
from .selection import label
from .storage import digests, document, read_record, set_record


def ensemble_tau_alpha(job) -> float:
    """τα of the state (the dynamics window's), which sets the propensity times; a
    clear error if it was not measured."""
    import math

    tau = read_record(job, "dynamics", "dynamics", ("tau_alpha",))["tau_alpha"]
    if tau is None or not math.isfinite(tau):
        raise ValueError(
            f"job {job.id}: τα was not reached in its dynamics window, and the propensity "
            "times are set in units of it: lengthen the window (dynamics_max_time) or "
            "choose warmer propensity states"
        )
    return float(tau)


@stage
def isoconfigurational_ensemble(job):
    """M fresh-velocity NVT trajectories from each of C production frames → the
    propensity ⟨\\|Δr_i(t)\\|²⟩ of every A particle, plain and cage-relative."""
    import numpy as np

    from ..analysis.propensity import propensity_steps, start_frames
    from ..files import atomic_h5
    from ..runs.common import gsd_frame_count
    from ..runs.isoconfigurational import run_identity, run_isoconfigurational

    params = parameters(job)
    sp = dict(job.cached_statepoint)
    tau = ensemble_tau_alpha(job)
    trajectory = Path(TRAJECTORY.fn(job))
    frames = start_frames(
        gsd_frame_count(trajectory), params["frame_interval"], tau,
        params["propensity_spacing_tau_alpha"], params["propensity_configurations"],
    )  # fmt: skip
    steps = propensity_steps(
        tau, params["dt"], params["propensity_first_tau_alpha"],
        params["propensity_last_tau_alpha"], params["propensity_times_per_decade"],
    )  # fmt: skip
    production_sha = document(job)[TRAJECTORY.record]["sha256"]
    chosen = propensity_settings(params)
    identity = run_identity(sp, chosen, production_sha, tau, params["engine"])
    checkpoint = Path(job.fn(CHECKPOINTS["isoconfigurational"]))
    ensemble = run_isoconfigurational(
        sp, params, trajectory, frames, steps, params["propensity_trajectories"],
        checkpoint, identity, label(job, "isoconfigurational_ensemble"),
    )  # fmt: skip
    times = steps * params["dt"]
    atomic_h5(
        ENSEMBLE.fn(job),
        {
            "steps": steps,
            "times": times,
            "times_tau_alpha": times / tau,
            "frames": frames,
            "a_index": ensemble.a_index,
            "propensity": ensemble.propensity.astype(np.float32),
            "propensity_cage": ensemble.propensity_cage.astype(np.float32),
        },
        attrs={"units": "sigma_AA^2", "tau_alpha": tau},
    )
    set_record(
        job,
        ENSEMBLE.record,
        {
            **ensemble.record,
            "settings": chosen,
            "tau_alpha": tau,
            "frames": frames.tolist(),
            "times_tau_alpha": (times / tau).tolist(),
            "production_sha256": production_sha,
            "sha256": digests(job, ENSEMBLE.file),
        },
    )
    checkpoint.unlink(missing_ok=True)  # after the record: a kill between keeps the result


def starting_predictors(job, frames, a_index, params: dict) -> dict:
    """(C, n_A) arrays of every predictor on the inherent structures of ``frames``:
    S and local s2 (the rows ``compute_softness_and_s2`` stored), the particle energy
    of eq. 1 (ε_AA) and the Voronoi volume (σ_AA³)."""
    import gsd.hoomd
    import h5py
    import numpy as np

    from ..analysis.propensity import PREDICTORS, structural_baselines
    from ..gsd_io import from_frame
    from ..model import Mixture

    sp = job.cached_statepoint
    mixture = Mixture.from_dict(params["mixture"])
    inherent, scores = INHERENT.fn(job), SOFTNESS.fn(job)
    out = {name: np.empty((len(frames), len(a_index))) for name in PREDICTORS}
    with h5py.File(scores, "r") as f:
        if not np.array_equal(f["a_index"][()], a_index):
            raise ValueError(f"{scores}: its A particles are not the ensemble's; re-run both")
        for c, k in enumerate(frames):
            out["softness"][c] = f["softness"][int(k)]
            out["s2_local"][c] = f["s2_local"][int(k)]
    with gsd.hoomd.open(inherent, mode="r") as inh:
        for c, k in enumerate(frames):
            conf = from_frame(inh[int(k)], f"{inherent}[{k}]")
            baselines = structural_baselines(conf.box_length, conf.positions, conf.typeid,
                                             sp["delta"], mixture, a_index)  # fmt: skip
            for name, values in baselines.items():
                out[name][c] = values
    return out


@stage
def score_propensity(job):
    """Pearson and Spearman correlation of S, local s2, IS energy and Voronoi volume
    with the propensity at each time, bootstrap intervals over configurations."""
    from ..analysis.propensity import score_predictors
    from ..files import atomic_h5

    params = parameters(job)
    ensemble = ENSEMBLE.read_h5(job)
    predictors = starting_predictors(job, ensemble["frames"], ensemble["a_index"], params)
    curves = score_predictors(predictors, ensemble, params["bootstrap_samples"])
    curve_arrays = {
        f"curves/{name}/{variant}/{key}": value
        for name, by_variant in curves.items()
        for variant, c in by_variant.items()
        for key, value in c.items()
    }
    # the curves are in the file too: its digest (the summary's made_from) names them
    atomic_h5(
        SCORES.fn(job),
        {**{f"predictors/{k}": v for k, v in predictors.items()}, **curve_arrays,
         "times_tau_alpha": ensemble["times_tau_alpha"]},
    )  # fmt: skip
    doc = document(job)
    set_record(
        job,
        SCORES.record,
        {
            "times_tau_alpha": ensemble["times_tau_alpha"].tolist(),
            "tau_alpha": doc["isoconfigurational"]["tau_alpha"],
            "configurations": len(ensemble["frames"]),
            "curves": curves,
            "ensemble_sha256": doc["isoconfigurational"]["sha256"],
            "model_sha256": doc["softness_model"]["sha256"],
            "softness_sha256": doc["softness"]["sha256"],
            "inherent_sha256": doc["inherent_structures"]["sha256"],
            "sha256": digests(job, SCORES.file),
        },
    )


@stage
def summarize_propensity(*states):
    """The propensity table (``results/propensity.csv``), its figure and the summary
    in the project document."""
    from ..analysis.propensity import PREDICTORS, TABLE_HEADER, state_rows
    from ..files import atomic_text
    from ..plotting.propensity import PropensityPanel, propensity_figure

    project = states[0].project
    root = Path(project.path)
    lines, summary, panels = [TABLE_HEADER], [], []
    for job in states:
        sp = job.cached_statepoint
        record = read_record(job, SCORES.record, SCORES.writer)
        state_lines, state_summary = state_rows(sp, record)
        lines += state_lines
        summary += state_summary
        panels.append(PropensityPanel(delta=sp["delta"], rho=sp["rho"], T=sp["T"],
                                      replica=sp["replica"],
                                      times_tau_alpha=record["times_tau_alpha"],
                                      curves=record["curves"]))  # fmt: skip
    (root / RESULTS_DIR).mkdir(exist_ok=True)
    atomic_text(root / PROPENSITY_CSV, "\n".join(lines) + "\n")
    propensity_figure(panels, PREDICTORS, root / PROPENSITY_FIGURE)
    set_record(project, "propensity", summary)
    set_record(project, "propensity_made_from", made_from(states, SCORES.record))
