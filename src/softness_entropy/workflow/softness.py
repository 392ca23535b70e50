"""Softness and pair-excess-entropy operations (paper §II.B, §II.C).

* ``build_structure_functions`` (per job): G_K(μ) (eq. 3) of every soft and hard
  training event, from the inherent structures → ``training.h5`` (``features`` (n, 2M)
  float32, ``labels`` 1 soft / 0 hard, ``frames``, ``particles``).
* ``train_svm`` (per system (Δ, ρ), aggregating its jobs): one LinearSVC softness model
  trained on the events of every replica at every temperature *below the top of the
  ladder* — the hottest state is a simple liquid where nearly every particle exceeds
  p_S, so its "hard" examples are rare accidents and its soft ones are not structural;
  the colder states are where softness is meant to work (paper §III.A).  Saved to
  ``models/softness_delta<Δ>_rho<ρ>.npz`` in the project directory, with its metrics
  and the cosine similarity of hyperplanes trained with other seeds/subsets.
* ``compute_softness_and_s2`` (per job): S and local s2 (eq. 6) of every A particle in
  every inherent-structure frame → ``softness.h5`` (``softness``, ``s2_local``: frames ×
  A particles, float32); global s2 (eq. 4) of the thermal frames, the accuracies and
  the Pearson correlation of S and s2 in ``job.doc["softness"]``.
"""

from __future__ import annotations

from pathlib import Path

from .parameters import job_parameters as parameters
from .pipeline import stage
from .products import INHERENT, PHOP, SOFTNESS, TRAINING, TRAJECTORY, model_path
from .provenance import made_from
from .selection import training_jobs
from .storage import digests, document, set_record


def checked_model(job) -> Path:
    """The system's softness model file, checked against the digest in the job's
    ``softness_model`` record (a replaced or damaged model is an error, not a silent
    change of every softness value)."""
    from ..files import file_digest

    path = model_path(job)
    expected = document(job).get("softness_model", {}).get("sha256")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; re-run 'train_svm' for its system")
    if expected is not None and file_digest(path) != expected:
        raise ValueError(
            f"{path} is not the model train_svm recorded for job {job.id} (SHA-256 "
            "mismatch); delete it and re-run 'train_svm' (and compute_softness_and_s2)"
        )
    return path


@stage
def build_structure_functions(job):
    """Structure functions (eq. 3) of the soft and hard training events."""
    import numpy as np

    from ..analysis.structure import StructureGrid, event_features
    from ..files import atomic_h5, read_h5
    from ..gsd_io import frames_of

    params = parameters(job)
    grid = StructureGrid.from_parameters(params)
    events = read_h5(PHOP.fn(job), PHOP.writer)
    inherent = INHERENT.fn(job)
    frames = np.concatenate([events["soft/frames"], events["hard/frames"]])
    particles = np.concatenate([events["soft/particles"], events["hard/particles"]])
    labels = np.concatenate([np.ones(len(events["soft/frames"]), dtype=np.int8),
                             np.zeros(len(events["hard/frames"]), dtype=np.int8)])  # fmt: skip
    with frames_of(inherent) as configuration_at:
        features = event_features(configuration_at, frames, particles, grid)
    atomic_h5(
        TRAINING.fn(job),
        {"features": features, "labels": labels, "frames": frames, "particles": particles},
        attrs={"mu": grid.mu, "width": grid.width},
    )
    set_record(
        job,
        TRAINING.record,
        {
            "n_soft": int(labels.sum()),
            "n_hard": int((labels == 0).sum()),
            "sha256": digests(job, TRAINING.file),
        },
    )


@stage
def train_svm(*jobs):
    """One LinearSVC softness model per system (Δ, ρ), trained on its colder states."""
    import numpy as np

    from ..analysis.softness import train_with_seeds
    from ..analysis.structure import StructureGrid
    from ..files import file_digest, read_h5

    params = parameters(jobs[0])
    grid = StructureGrid.from_parameters(params)
    sp = jobs[0].cached_statepoint
    system = {"delta": sp["delta"], "rho": sp["rho"]}
    chosen = training_jobs(jobs, params["svm_training_temperatures"])
    parts = [read_h5(TRAINING.fn(j), TRAINING.writer) for j in chosen]
    x = np.concatenate([p["features"] for p in parts])
    y = np.concatenate([p["labels"] for p in parts])
    scoring = {
        "s2_eta": params["s2_eta"],
        "s2_damping_width": params["s2_damping_width"],
        "force_tolerance": params["fire_force_tolerance"],
        "fire_max_steps": params["fire_max_steps"],
        "mixture": params["mixture"],
    }
    trained_on = {"trained_on_T": sorted(j.cached_statepoint["T"] for j in chosen),
                  "trained_on_jobs": [j.id for j in chosen]}  # fmt: skip
    model = train_with_seeds(x, y, grid=grid, system=system, seeds=params["svm_seeds"],
                             test_fraction=params["svm_test_fraction"],
                             c_rule=params["svm_c_rule"], scoring=scoring,
                             trained_on=trained_on)  # fmt: skip
    path = model_path(jobs[0])
    path.parent.mkdir(exist_ok=True)
    model.save(path)
    for job in jobs:
        set_record(
            job,
            "softness_model",
            {
                "path": path.name,
                "C": model.C,
                "sha256": file_digest(path),
                "made_from": made_from(jobs, TRAINING.record),
                "scoring": model.scoring,
                **model.metrics,
            },
        )


@stage
def compute_softness_and_s2(job):
    """S and local s2 of every A particle in every IS frame; global s2; accuracies."""
    import gsd.hoomd
    import numpy as np

    from ..analysis.softness import SoftnessModel, score_frames, softness_summary
    from ..analysis.structure import RDFGrid, pair_excess_entropy, species_rdfs
    from ..files import atomic_h5, read_h5
    from ..gsd_io import from_frame

    params = parameters(job)
    model = SoftnessModel.load(checked_model(job))
    inherent, trajectory, phop_file = INHERENT.fn(job), TRAJECTORY.fn(job), PHOP.fn(job)
    with gsd.hoomd.open(inherent, mode="r") as inh:
        a_index = np.flatnonzero(from_frame(inh[0]).typeid == 0)
        frames = (from_frame(frame, f"{inherent}[{k}]") for k, frame in enumerate(inh))
        scores = score_frames(model, frames, len(inh), a_index)
    # global s2 (eq. 4) of the thermal configurations, up to s2_global_frames frames
    with gsd.hoomd.open(trajectory, mode="r") as traj:
        picks = np.unique(
            np.linspace(0, len(traj) - 1, min(params["s2_global_frames"], len(traj))).astype(int)
        )
        thermal = [from_frame(traj[int(i)]) for i in picks]
    rdf_grid = RDFGrid(params["rdf_r_max"], params["rdf_bin_width"])
    rdfs = species_rdfs([(c.box_length, c.positions, c.typeid) for c in thermal], grid=rdf_grid)
    phop = read_h5(phop_file, PHOP.writer)
    atomic_h5(
        SOFTNESS.fn(job),
        {"softness": scores.softness, "s2_local": scores.s2_local, "a_index": a_index,
         "rdf/r": rdfs.r, "rdf/g": rdfs.g, "rdf/densities": rdfs.densities},
        attrs={"model": str(model_path(job).name)},
    )  # fmt: skip
    set_record(
        job,
        SOFTNESS.record,
        {
            **softness_summary(scores, phop["frames"], phop["phop"] > params["p_soft"]),
            "s2_global": pair_excess_entropy(rdfs.r, rdfs.g, rdfs.densities),
            "sha256": digests(job, SOFTNESS.file),
            "model_sha256": document(job)["softness_model"]["sha256"],
        },
    )
