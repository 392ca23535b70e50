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


def phop_state(job):
    """The :class:`~softness_entropy.analysis.retrained.PhopState` of ``job``: its phop
    rows and inherent structures, read when asked (one job in memory at a time).  Both
    files were checked against their digests when ``fit_arrhenius_barriers`` started (its
    stage reads them), so they are read here without hashing them again on every pass."""
    from ..analysis.retrained import PhopState
    from ..files import read_h5
    from ..gsd_io import frames_of
    from .products import INHERENT, PHOP

    def phop() -> dict:
        data = read_h5(PHOP.fn(job), PHOP.writer)
        return {"phop": data["phop"], "a_index": data["a_index"],
                "half_window": int(data["attrs/half_window"])}  # fmt: skip

    sp = job.cached_statepoint
    return PhopState(job.id, sp["T"], sp["replica"], phop, lambda: frames_of(INHERENT.fn(job)))


def retrained_strata(jobs, params: dict, blocks: dict, seed: int) -> dict:
    """The strata counts of a softness retrained under ``params`` on the system's
    training jobs and scored on every job
    (:func:`softness_entropy.analysis.retrained.retrained_strata`)."""
    from ..analysis import retrained
    from .parameters import separations_in_frames
    from .selection import training_jobs

    states = {job.id: phop_state(job) for job in jobs}
    training = [states[job.id] for job in training_jobs(jobs, params["svm_training_temperatures"])]
    sp = jobs[0].cached_statepoint
    return retrained.retrained_strata(
        list(states.values()), training, params, separations_in_frames(params), blocks, seed,
        {"delta": sp["delta"], "rho": sp["rho"]},
    )  # fmt: skip
