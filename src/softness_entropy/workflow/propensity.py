"""Isoconfigurational propensity: structural predictors scored against the dynamics
they claim to predict (issue 18; paper §III.A, last paragraph).

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

import json
from pathlib import Path

from flow import aggregator

from .directives import analysis_directives, simulation_directives
from .flowproject import Project, applies_to
from .guard import exclusive
from .parameters import DEFAULT_PARAMETERS, PROPENSITY_PARAMETERS
from .provenance import made_from
from .rearrangements import has_dynamics
from .simulation import INHERENT, TRAJECTORY, has_production, label, parameters
from .softness import SOFTNESS, has_softness
from .storage import (
    checked_input,
    digests,
    document,
    file_stamp,
    read_record,
    set_record,
)

ENSEMBLE = "isoconfigurational.h5"
SCORES = "propensity.h5"
SUMMARY_CSV = "results/propensity.csv"
SUMMARY_FIGURE = "figures/propensity.png"
#: the predictors scored, in the order of every table and figure
PREDICTORS = ("softness", "s2_local", "is_energy", "voronoi_volume")
#: plain and cage-relative displacements
VARIANTS = ("plain", "cage")

#: the chosen states' job ids, with the stamps of what they depend on
_CHOSEN: dict[str, tuple[tuple, frozenset]] = {}


def chosen_states(project) -> frozenset[str]:
    """Ids of the jobs the stage runs on (module docstring); recomputed only when the
    project document or the set of jobs changes (``status`` asks once per job)."""
    import os

    root = Path(project.path)
    workspace = Path(project.workspace)
    stamp = (
        file_stamp(root / project.FN_DOCUMENT),
        tuple(sorted(os.listdir(workspace))) if workspace.is_dir() else (),
    )
    cached = _CHOSEN.get(str(root))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    params = stored_parameters(project)
    n_t, n_r = params["propensity_temperatures"], params["propensity_replicas"]
    systems: dict[tuple, list] = {}
    for job in project:
        sp = job.cached_statepoint
        systems.setdefault((sp["delta"], sp["rho"], sp["N"]), []).append(job)
    chosen = set()
    for jobs in systems.values():
        temps = sorted({j.cached_statepoint["T"] for j in jobs})[:n_t]
        reps = sorted({j.cached_statepoint["replica"] for j in jobs})[:n_r]
        chosen |= {
            j.id
            for j in jobs
            if j.cached_statepoint["T"] in temps and j.cached_statepoint["replica"] in reps
        }
    _CHOSEN[str(root)] = (stamp, frozenset(chosen))
    return _CHOSEN[str(root)][1]


def stored_parameters(project) -> dict:
    """The data space's run parameters with the defaults of newer ones, read from the
    document without validation (conditions; every operation validates them)."""
    return {**DEFAULT_PARAMETERS, **document(project).get("parameters", {})}


def is_propensity_state(job) -> bool:
    return job.id in chosen_states(job.project)


def settings(params: dict) -> dict:
    """The propensity parameters that shape an ensemble (which states are chosen
    does not: a state keeps its ensemble when the selection grows)."""
    selection = {"propensity_temperatures", "propensity_replicas"}
    return {k: params[k] for k in sorted(PROPENSITY_PARAMETERS - selection)}


def has_ensemble(job) -> bool:
    """The ensemble exists, was run with the current settings, on the current
    production trajectory, with the current τα (its times and frames are in τα)."""
    doc = document(job)
    record = doc.get("isoconfigurational")
    return (
        isinstance(record, dict)
        and job.isfile(ENSEMBLE)
        and record.get("settings") == settings(stored_parameters(job.project))
        and record.get("production_sha256") == doc.get("production", {}).get("sha256")
        and record.get("tau_alpha") == doc.get("dynamics", {}).get("tau_alpha")
    )


def has_propensity(job) -> bool:
    """The scores exist and were computed from the current ensemble, model, softness
    values and inherent structures."""
    doc = document(job)
    record = doc.get("propensity")
    return (
        isinstance(record, dict)
        and job.isfile(SCORES)
        and record.get("ensemble_sha256") == doc.get("isoconfigurational", {}).get("sha256")
        and record.get("model_sha256") == doc.get("softness_model", {}).get("sha256")
        and record.get("softness_sha256") == doc.get("softness", {}).get("sha256")
        and record.get("inherent_sha256") == doc.get("inherent_structures", {}).get("sha256")
    )


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


@applies_to(is_propensity_state)
@Project.pre(has_dynamics)
@Project.pre(has_production)
@Project.post(has_ensemble)
@Project.operation(directives=simulation_directives())
@exclusive(has_ensemble)
def isoconfigurational_ensemble(job):
    """M fresh-velocity NVT trajectories from each of C production frames → the
    propensity ⟨|Δr_i(t)|²⟩ of every A particle, plain and cage-relative."""
    import hashlib

    import numpy as np

    from ..analysis.propensity import propensity_steps, start_frames
    from ..files import atomic_h5
    from ..runs.common import gsd_frame_count
    from ..runs.isoconfigurational import run_isoconfigurational

    params = parameters(job)
    sp = dict(job.cached_statepoint)
    tau = ensemble_tau_alpha(job)
    trajectory = Path(checked_input(job, TRAJECTORY, "production", "production"))
    frames = start_frames(
        gsd_frame_count(trajectory), params["frame_interval"], tau,
        params["propensity_spacing_tau_alpha"], params["propensity_configurations"],
    )  # fmt: skip
    steps = propensity_steps(
        tau, params["dt"], params["propensity_first_tau_alpha"],
        params["propensity_last_tau_alpha"], params["propensity_times_per_decade"],
    )  # fmt: skip
    production_sha = document(job)["production"]["sha256"]
    chosen = settings(params)
    identity = hashlib.sha256(
        json.dumps([sp, chosen, production_sha, tau, params["engine"]], sort_keys=True).encode()
    ).hexdigest()
    checkpoint = Path(job.fn("isoconfigurational.ckpt.npz"))
    ensemble = run_isoconfigurational(
        sp, params, trajectory, frames, steps, params["propensity_trajectories"],
        checkpoint, identity, label(job, "isoconfigurational_ensemble"),
    )  # fmt: skip
    times = steps * params["dt"]
    atomic_h5(
        job.fn(ENSEMBLE),
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
        "isoconfigurational",
        {
            **ensemble.record,
            "settings": chosen,
            "tau_alpha": tau,
            "frames": frames.tolist(),
            "times_tau_alpha": (times / tau).tolist(),
            "production_sha256": production_sha,
            "sha256": digests(job, ENSEMBLE),
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

    from ..analysis.pair_energy import particle_energies
    from ..analysis.propensity import voronoi_cells
    from ..gsd_io import from_frame
    from ..model import Mixture

    sp = job.cached_statepoint
    mixture = Mixture.from_dict(params["mixture"])
    inherent = checked_input(job, INHERENT, "inherent_structures", "fire_minimize")
    scores = checked_input(job, SOFTNESS, "softness", "compute_softness_and_s2")
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
            energies = particle_energies(
                conf.positions, conf.typeid, conf.box_length, sp["delta"], mixture
            )
            out["is_energy"][c] = energies[a_index]
            out["voronoi_volume"][c] = voronoi_cells(conf.box_length, conf.positions)[0][a_index]
    return out


@applies_to(is_propensity_state)
@Project.pre(has_ensemble)
@Project.pre(has_softness)
@Project.post(has_propensity)
@Project.operation(directives=analysis_directives())
@exclusive(has_propensity)
def score_propensity(job):
    """Pearson and Spearman correlation of S, local s2, IS energy and Voronoi volume
    with the propensity at each time, bootstrap intervals over configurations."""
    from ..analysis.propensity import correlation_with_propensity
    from ..files import atomic_h5, read_h5

    params = parameters(job)
    ensemble = read_h5(
        checked_input(job, ENSEMBLE, "isoconfigurational", "isoconfigurational_ensemble"),
        "isoconfigurational_ensemble",
    )
    predictors = starting_predictors(job, ensemble["frames"], ensemble["a_index"], params)
    curves: dict = {}
    for name, values in predictors.items():
        curves[name] = {}
        for variant, key in zip(VARIANTS, ("propensity", "propensity_cage"), strict=True):
            curve = correlation_with_propensity(
                values, ensemble[key], ensemble["times"],
                n_bootstrap=params["bootstrap_samples"],
            )  # fmt: skip
            curves[name][variant] = {
                "pearson": curve.pearson.tolist(),
                "pearson_interval": curve.pearson_interval.tolist(),
                "spearman": curve.spearman.tolist(),
                "spearman_interval": curve.spearman_interval.tolist(),
            }
    curve_arrays = {
        f"curves/{name}/{variant}/{key}": value
        for name, by_variant in curves.items()
        for variant, c in by_variant.items()
        for key, value in c.items()
    }
    # the curves are in the file too: its digest (the summary's made_from) names them
    atomic_h5(
        job.fn(SCORES),
        {**{f"predictors/{k}": v for k, v in predictors.items()}, **curve_arrays,
         "times_tau_alpha": ensemble["times_tau_alpha"]},
    )  # fmt: skip
    doc = document(job)
    set_record(
        job,
        "propensity",
        {
            "times_tau_alpha": ensemble["times_tau_alpha"].tolist(),
            "tau_alpha": doc["isoconfigurational"]["tau_alpha"],
            "configurations": len(ensemble["frames"]),
            "curves": curves,
            "ensemble_sha256": doc["isoconfigurational"]["sha256"],
            "model_sha256": doc["softness_model"]["sha256"],
            "softness_sha256": doc["softness"]["sha256"],
            "inherent_sha256": doc["inherent_structures"]["sha256"],
            "sha256": digests(job, SCORES),
        },
    )


def summary_inputs(jobs) -> dict:
    states = [j for j in jobs if is_propensity_state(j)]
    return made_from(states, "propensity")


def has_propensity_summary(*jobs) -> bool:
    project = jobs[0].project
    root = Path(project.path)
    return (
        (root / SUMMARY_CSV).is_file()
        and (root / SUMMARY_FIGURE).is_file()
        and document(project).get("propensity_made_from") == summary_inputs(jobs)
    )


def any_propensity_state(*jobs) -> bool:
    return any(is_propensity_state(j) for j in jobs)


def all_states_scored(*jobs) -> bool:
    states = [j for j in jobs if is_propensity_state(j)]
    return bool(states) and all(has_propensity(j) for j in states)


@applies_to(any_propensity_state)
@Project.pre(all_states_scored)
@Project.post(has_propensity_summary)
@Project.operation(aggregator=aggregator(), directives=analysis_directives())
@exclusive(has_propensity_summary)
def summarize_propensity(*jobs):
    """The propensity table (``results/propensity.csv``), its figure and the summary
    in the project document."""
    from ..analysis.propensity import curve_summary
    from ..files import atomic_text
    from ..plotting.propensity import PropensityPanel, propensity_figure

    project = jobs[0].project
    root = Path(project.path)
    states = sorted(
        (j for j in jobs if is_propensity_state(j)),
        key=lambda j: (j.cached_statepoint["delta"], j.cached_statepoint["rho"],
                       j.cached_statepoint["T"], j.cached_statepoint["replica"]),
    )  # fmt: skip
    lines = ["delta,rho,T,replica,predictor,displacement,t_over_tau_alpha,"
             "pearson,pearson_lo,pearson_hi,spearman,spearman_lo,spearman_hi"]  # fmt: skip
    summary, panels = [], []
    for job in states:
        sp = job.cached_statepoint
        record = read_record(job, "propensity", "score_propensity")
        times = record["times_tau_alpha"]
        for name in PREDICTORS:
            for variant in VARIANTS:
                c = record["curves"][name][variant]
                for k, t in enumerate(times):
                    lines.append(",".join(str(v) for v in (
                        sp["delta"], sp["rho"], sp["T"], sp["replica"], name, variant, t,
                        c["pearson"][k], *c["pearson_interval"][k],
                        c["spearman"][k], *c["spearman_interval"][k],
                    )))  # fmt: skip
                summary.append({
                    "delta": sp["delta"], "rho": sp["rho"], "T": sp["T"],
                    "replica": sp["replica"], "predictor": name, "displacement": variant,
                    "configurations": record["configurations"],
                    **curve_summary(times, c["pearson"], c["pearson_interval"]),
                })  # fmt: skip
        panels.append(PropensityPanel(delta=sp["delta"], rho=sp["rho"], T=sp["T"],
                                      replica=sp["replica"], times_tau_alpha=times,
                                      curves=record["curves"]))  # fmt: skip
    (root / "results").mkdir(exist_ok=True)
    atomic_text(root / SUMMARY_CSV, "\n".join(lines) + "\n")
    propensity_figure(panels, PREDICTORS, root / SUMMARY_FIGURE)
    set_record(project, "propensity", summary)
    set_record(project, "propensity_made_from", summary_inputs(jobs))
