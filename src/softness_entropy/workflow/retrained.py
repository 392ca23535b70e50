"""Sensitivity rows that retrain the softness model (the validation report).

The other rows of "How the open conventions move the results" change how P_R is
counted and fitted with the data space's own softness.  The conventions here change
the softness itself — which training examples it learns from, how they are labelled,
the structure-function grid — so each row trains its own model on the system's
training jobs and scores every job again before the strata analysis
(:func:`retrained_strata`): training and scoring under one set of conventions.

* the structure functions on the grid of the authors' code (Δμ = 0.1 σ, width 0.1 σ,
  27 Gaussians from 0.4 to 3.0 σ; the text says 0.14: schmeud ``LinspaceSfConfig``,
  docs/authors_conventions.md §5);
* the authors' whole analysis: their soft and hard examples (local maxima of phop
  thinned to 100 and 800 frames, then ≥ p_S and < p_H; :mod:`..analysis.events`),
  phop windows labelled by their start for training and for P_R alike, their grid,
  their training temperature (the second coldest), P_R from every 10th frame, ten
  strata, their reference window T_ref 0.45–0.64, unweighted fits of ln P_R, their T_A
  and ln P_R(T_A) (docs/authors_conventions.md §2–5).

Cost: one training set and one scoring pass of every inherent structure per row, plus
a tenth of one for the strata edges — about what ``build_structure_functions`` and
``compute_softness_and_s2`` cost together; ``sensitivity_retrain = "no"`` skips them.
"""

from __future__ import annotations

from .parameters import AUTHORS_MODEL, AUTHORS_PR_ANALYSIS

#: convention label → parameters that differ from the data space's
RETRAINED: dict[str, dict] = {
    "structure functions on the authors' grid (Δμ = 0.1, width 0.1), retrained": {
        "mu_step": 0.1,
        "mu_width": 0.1,
    },
    "authors' analysis, retrained (their examples, start label, grid, second-coldest "
    "training T, stride 10, ten strata, reference window, unweighted, T_A, ln P_R)": {
        **AUTHORS_MODEL,
        **AUTHORS_PR_ANALYSIS,
    },
}
#: the strata edges of a retrained softness come from every EDGE_STRIDE-th frame
EDGE_STRIDE = 10


def _job_inputs(job, params: dict) -> dict:
    """phop (rows × A), its half window, and the inherent-structure file of a job."""
    from .products import INHERENT, PHOP

    data = PHOP.read_h5(job)
    return {
        "phop": data["phop"],
        "a_index": data["a_index"],
        "half_window": int(data["attrs/half_window"]),
        "inherent": INHERENT.path(job),
    }


def _train(jobs, params: dict, seed: int):
    """A softness model trained on the events of the system's training jobs under
    ``params`` (examples, label, grid, training temperatures)."""
    import numpy as np

    from ..analysis.events import training_events
    from ..analysis.softness import train_softness
    from ..analysis.structure import StructureGrid, event_features
    from ..gsd_io import frames_of
    from .parameters import separations_in_frames
    from .selection import training_jobs

    grid = StructureGrid.from_parameters(params)
    features, labels = [], []
    for job in training_jobs(jobs, params["svm_training_temperatures"]):
        data = _job_inputs(job, params)
        offset = data["half_window"] if params["phop_label"] == "centre" else 0
        soft, hard = training_events(data["phop"], params["training_events"], params["p_soft"],
                                     params["p_hard"], *separations_in_frames(params))  # fmt: skip
        frames = np.concatenate([soft.frames, hard.frames]) + offset
        particles = data["a_index"][np.concatenate([soft.particles, hard.particles])]
        labels.append(np.r_[np.ones(len(soft), np.int8), np.zeros(len(hard), np.int8)])
        with frames_of(data["inherent"]) as configuration_at:
            features.append(event_features(configuration_at, frames, particles, grid))
    sp = jobs[0].cached_statepoint
    model = train_softness(np.concatenate(features), np.concatenate(labels), grid=grid,
                           system={"delta": sp["delta"], "rho": sp["rho"]}, seed=seed,
                           test_fraction=params["svm_test_fraction"],
                           c_rule=params["svm_c_rule"])  # fmt: skip
    model.scoring = {"s2_eta": params["s2_eta"], "s2_damping_width": params["s2_damping_width"]}
    return model


def _scored(job, model, params: dict, stride: int):
    """(S, local s2, rearranging) of the A particles at every ``stride``-th labelled
    phop row of a job, under ``model``."""
    import gsd.hoomd
    import numpy as np

    from ..gsd_io import from_frame

    data = _job_inputs(job, params)
    offset = data["half_window"] if params["phop_label"] == "centre" else 0
    rows = np.arange(0, len(data["phop"]), stride)
    s = np.empty((len(rows), len(data["a_index"])), np.float32)
    s2 = np.empty_like(s)
    with gsd.hoomd.open(data["inherent"], mode="r") as inh:
        for k, row in enumerate(rows):
            conf = from_frame(inh[int(row + offset)])
            scores = model.score(conf.box_length, conf.positions, conf.typeid, data["a_index"])
            s[k], s2[k] = scores.softness, scores.s2_local
    return s, s2, data["phop"][rows] > params["p_soft"]


def retrained_strata(jobs, params: dict, blocks: dict, seed: int) -> dict:
    """{(label, quantity, bins): [JobCounts]} of a retrained softness under ``params``
    (module docstring), already thinned to every ``pr_frame_stride``-th phop row (the
    bootstrap blocks shrink with it): analyse them with ``pr_frame_stride = 1``.
    ``blocks``: each job's bootstrap block in frames.  Raises ValueError when the
    conventions leave too few training examples."""
    import numpy as np

    from ..analysis.barriers import JobCounts
    from ..analysis.strata import frame_counts, strata_edges

    model = _train(jobs, params, seed)
    bins, label = params["strata_bins"], params["phop_label"]
    sample = [_scored(job, model, params, EDGE_STRIDE)[:2] for job in jobs]
    edges = {name: strata_edges(np.concatenate([v[k].ravel() for v in sample]), bins)
             for k, name in enumerate(("S", "s2"))}  # fmt: skip
    counts: dict[tuple, list] = {(label, name, bins): [] for name in edges}
    stride = params["pr_frame_stride"]
    for job in jobs:
        s, s2, rearranging = _scored(job, model, params, stride)
        sp = job.cached_statepoint
        block = max(1, round(blocks[job.id] / stride))
        for name, values in (("S", s), ("s2", s2)):
            hits, n = frame_counts(values, rearranging, edges[name])
            counts[(label, name, bins)].append(JobCounts(sp["T"], sp["replica"], hits, n, block))
    return counts
