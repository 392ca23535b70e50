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

from flow import aggregator

from .directives import analysis_directives
from .flowproject import Project
from .guard import exclusive
from .provenance import made_from
from .rearrangements import PHOP, has_phop
from .simulation import INHERENT, TRAJECTORY, parameters
from .storage import checked_input, digests, document, file_stamp, has_record, set_record

TRAINING = "training.h5"
SOFTNESS = "softness.h5"


def system_key(sp) -> tuple[float, float]:
    return (sp["delta"], sp["rho"])


def model_path(job) -> Path:
    """The softness model file of the job's system (project directory)."""
    delta, rho = system_key(job.cached_statepoint)
    return Path(job.project.path) / "models" / f"softness_delta{delta}_rho{rho}.npz"


def grid_of(params: dict):
    from ..analysis.structure import StructureGrid

    return StructureGrid(params["mu_min"], params["mu_max"], params["mu_step"], params["mu_width"])


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


def has_training_set(job) -> bool:
    return has_record(job, "training_set") and job.isfile(TRAINING)


def has_model(*jobs) -> bool:
    """The system's model exists and was trained on exactly these jobs' training sets
    (:mod:`.provenance`: a job added to the system makes it stale)."""
    if not all(path.exists() for path in {model_path(job) for job in jobs}):
        return False
    docs = [document(job) for job in jobs]  # each read once (status at paper scale)
    if not all("softness_model" in doc for doc in docs):
        return False
    current = made_from(jobs, "training_set", docs)
    return all(doc["softness_model"].get("made_from") == current for doc in docs)


#: has_system_model's last answer per model file, with the stat stamps it depends on
_SYSTEM_MODEL: dict[Path, tuple[tuple, bool]] = {}


def has_system_model(job) -> bool:
    """train_svm has completed for the job's whole system (every job's record written:
    a model saved by a run killed before it recorded it is not used).

    Every job of a system asks the same question: the answer is reused while no
    document of the system and not the model file changed (signac writes documents by
    atomic replace), so ``project.py status`` reads each document once, not once per
    job of its system (measured on 210 paper-scale jobs with 5 kB documents, both
    cores busy: 11.7 s → 3.4 s, the rest signac's ``find_jobs``)."""
    delta, rho = system_key(job.cached_statepoint)
    jobs = list(job.project.find_jobs({"delta": delta, "rho": rho}))
    path = model_path(job)
    stamps = (
        file_stamp(path),
        *sorted((j.id, file_stamp(Path(j.path) / j.FN_DOCUMENT)) for j in jobs),
    )
    cached = _SYSTEM_MODEL.get(path)
    if cached is None or cached[0] != stamps:
        cached = (stamps, has_model(*jobs))
        _SYSTEM_MODEL[path] = cached
    return cached[1]


def has_softness(job) -> bool:
    """S and s2 exist and were computed with the system's current model."""
    doc = document(job)
    return (
        "softness" in doc
        and job.isfile(SOFTNESS)
        and doc["softness"].get("model_sha256") == doc.get("softness_model", {}).get("sha256")
    )


def training_jobs(jobs, choice: str = "below_top") -> list:
    """The jobs whose events train the system's model (parameter
    ``svm_training_temperatures``): "below_top", every temperature but the top of the
    ladder (module docstring); "second_coldest", that temperature only (the authors'
    code)."""
    temps = sorted({j.cached_statepoint["T"] for j in jobs})
    if choice == "second_coldest" and len(temps) > 1:
        return [j for j in jobs if j.cached_statepoint["T"] == temps[1]]
    chosen = [j for j in jobs if j.cached_statepoint["T"] < temps[-1]]
    return chosen or list(jobs)


def event_features(inherent, frames, particles, grid):
    """(n, 2·len(μ)) float32 structure functions (eq. 3) of the events (inherent-structure
    ``frames``, global ``particles`` indices) on ``grid``, one frame read at a time."""
    import gsd.hoomd
    import numpy as np

    from ..analysis.structure import structure_functions
    from ..gsd_io import from_frame

    features = np.zeros((len(frames), 2 * len(grid.mu)), dtype=np.float32)
    with gsd.hoomd.open(inherent, mode="r") as inh:
        for frame in np.unique(frames):
            rows = np.flatnonzero(frames == frame)
            conf = from_frame(inh[int(frame)], f"{inherent}[{frame}]")
            G, _ = structure_functions(
                conf.box_length, conf.positions, conf.typeid, particles[rows], grid
            )
            features[rows] = G.reshape(len(rows), -1)
    return features


@Project.pre(has_phop)
@Project.post(has_training_set)
@Project.operation(directives=analysis_directives())
@exclusive(has_training_set)
def build_structure_functions(job):
    """Structure functions (eq. 3) of the soft and hard training events."""
    import numpy as np

    from ..files import atomic_h5, read_h5

    params = parameters(job)
    grid = grid_of(params)
    events = read_h5(checked_input(job, PHOP, "phop", "compute_phop"), "compute_phop")
    inherent = checked_input(job, INHERENT, "inherent_structures", "fire_minimize")
    frames = np.concatenate([events["soft/frames"], events["hard/frames"]])
    particles = np.concatenate([events["soft/particles"], events["hard/particles"]])
    labels = np.concatenate([np.ones(len(events["soft/frames"]), dtype=np.int8),
                             np.zeros(len(events["hard/frames"]), dtype=np.int8)])  # fmt: skip
    features = event_features(inherent, frames, particles, grid)
    atomic_h5(
        job.fn(TRAINING),
        {"features": features, "labels": labels, "frames": frames, "particles": particles},
        attrs={"mu": grid.mu, "width": grid.width},
    )
    set_record(
        job,
        "training_set",
        {
            "n_soft": int(labels.sum()),
            "n_hard": int((labels == 0).sum()),
            "sha256": digests(job, TRAINING),
        },
    )


@Project.pre(lambda *jobs: all(has_training_set(j) for j in jobs))
@Project.post(has_model)
@Project.operation(
    aggregator=aggregator.groupby(["delta", "rho"], sort_by="T"),
    directives=analysis_directives(),
)
@exclusive(has_model)
def train_svm(*jobs):
    """One LinearSVC softness model per system (Δ, ρ), trained on its colder states."""
    import numpy as np

    from ..analysis.softness import hyperplane_similarity, train_softness
    from ..files import file_digest, read_h5

    params = parameters(jobs[0])
    grid = grid_of(params)
    sp = jobs[0].cached_statepoint
    system = {"delta": sp["delta"], "rho": sp["rho"]}
    chosen = training_jobs(jobs, params["svm_training_temperatures"])
    parts = [
        read_h5(checked_input(j, TRAINING, "training_set", "build_structure_functions"),
                "build_structure_functions")
        for j in chosen
    ]  # fmt: skip
    x = np.concatenate([p["features"] for p in parts])
    y = np.concatenate([p["labels"] for p in parts])
    model = train_softness(x, y, grid=grid, system=system, seed=0,
                           test_fraction=params["svm_test_fraction"],
                           c_rule=params["svm_c_rule"])  # fmt: skip
    # robustness: other seeds (class subsample, split, solver) at the C chosen above
    models = [model] + [
        train_softness(x, y, grid=grid, system=system, seed=seed, C=model.C,
                       test_fraction=params["svm_test_fraction"])
        for seed in range(1, params["svm_seeds"])
    ]  # fmt: skip
    model.scoring = {
        "s2_eta": params["s2_eta"],
        "s2_damping_width": params["s2_damping_width"],
        "force_tolerance": params["fire_force_tolerance"],
        "fire_max_steps": params["fire_max_steps"],
        "mixture": params["mixture"],
    }
    model.seed_planes = np.array([m.raw_plane() for m in models[1:]]) if len(models) > 1 else None
    cosines = hyperplane_similarity(models)
    off_diagonal = cosines[~np.eye(len(models), dtype=bool)]
    model.metrics.update(
        {
            "trained_on_T": sorted(j.cached_statepoint["T"] for j in chosen),
            "trained_on_jobs": [j.id for j in chosen],
            "hyperplane_cosine_min": float(off_diagonal.min()) if len(off_diagonal) else 1.0,
            "hyperplane_cosine_mean": float(off_diagonal.mean()) if len(off_diagonal) else 1.0,
            "test_accuracy_seeds": [m.metrics["test_accuracy"] for m in models],
        }
    )
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
                "made_from": made_from(jobs, "training_set"),
                "scoring": model.scoring,
                **model.metrics,
            },
        )


@Project.pre(has_phop)
@Project.pre(has_system_model)
@Project.post(has_softness)
@Project.operation(directives=analysis_directives())
@exclusive(has_softness)
def compute_softness_and_s2(job):
    """S and local s2 of every A particle in every IS frame; global s2; accuracies."""
    import gsd.hoomd
    import numpy as np

    from ..analysis.softness import SoftnessModel, accuracy_soft_given_positive
    from ..analysis.streaming import RunningCorrelation
    from ..analysis.structure import RDFGrid, pair_excess_entropy, species_rdfs
    from ..files import atomic_h5, read_h5
    from ..gsd_io import from_frame

    params = parameters(job)
    model = SoftnessModel.load(checked_model(job))
    inherent = checked_input(job, INHERENT, "inherent_structures", "fire_minimize")
    trajectory = checked_input(job, TRAJECTORY, "production", "production")
    phop_file = checked_input(job, PHOP, "phop", "compute_phop")
    with gsd.hoomd.open(inherent, mode="r") as inh:
        first = from_frame(inh[0])
        a_index = np.flatnonzero(first.typeid == 0)
        n_frames = len(inh)
        softness = np.empty((n_frames, len(a_index)), dtype=np.float32)
        s2 = np.empty_like(softness)
        n_seeds = 0 if model.seed_planes is None else len(model.seed_planes)
        seed_rho = [RunningCorrelation() for _ in range(n_seeds)]
        for k, frame in enumerate(inh):
            conf = from_frame(frame, f"{inherent}[{k}]")
            softness[k], s2[k], seed_s = model.score(
                conf.box_length, conf.positions, conf.typeid, a_index, seeds=True
            )
            for i, running in enumerate(seed_rho):
                running.add(seed_s[:, i], s2[k])
    # global s2 (eq. 4) of the thermal configurations, up to s2_global_frames frames
    with gsd.hoomd.open(trajectory, mode="r") as traj:
        picks = np.unique(
            np.linspace(0, len(traj) - 1, min(params["s2_global_frames"], len(traj))).astype(int)
        )
        thermal = [from_frame(traj[int(i)]) for i in picks]
    rdf_grid = RDFGrid(params["rdf_r_max"], params["rdf_bin_width"])
    r, g, rho_k = species_rdfs(
        [(c.box_length, c.positions, c.typeid) for c in thermal], grid=rdf_grid
    )
    phop = read_h5(phop_file, "compute_phop")
    rows = phop["frames"]
    rearranging = phop["phop"] > params["p_soft"]
    s_rows = softness[rows]
    atomic_h5(
        job.fn(SOFTNESS),
        {"softness": softness, "s2_local": s2, "a_index": a_index,
         "rdf/r": r, "rdf/g": g, "rdf/densities": rho_k},
        attrs={"model": str(model_path(job).name)},
    )  # fmt: skip
    set_record(
        job,
        "softness",
        {
            "mean_S": float(softness.mean()),
            "std_S": float(softness.std()),
            "fraction_S_positive": float((softness > 0).mean()),
            "mean_s2_local": float(s2.mean()),
            "s2_global": pair_excess_entropy(r, g, rho_k),
            "pearson_S_s2_is_frames": float(np.corrcoef(softness.ravel(), s2.ravel())[0, 1]),
            # the same with each robustness model's softness (train_svm's other seeds)
            "pearson_S_s2_seeds": [r.pearson for r in seed_rho],
            # P(R | S > 0) as the paper writes it, and P(S > 0 | R), the fraction of
            # rearranging particles classified soft (what its quoted 40–80 % behave like)
            "P_R_given_S_positive": accuracy_soft_given_positive(s_rows, rearranging),
            "P_S_positive_given_R": float((s_rows[rearranging] > 0).mean())
            if rearranging.any()
            else float("nan"),
            "P_R": float(rearranging.mean()),
            "sha256": digests(job, SOFTNESS),
            "model_sha256": document(job)["softness_model"]["sha256"],
        },
    )
