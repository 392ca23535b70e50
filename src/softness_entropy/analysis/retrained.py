"""The strata counts of a softness model retrained under other conventions (the
sensitivity rows of the validation report that change the softness itself: which
training examples it learns from, how they are labelled, the structure-function grid).

:func:`retrained_strata` trains one model on the system's training states and scores
every state again under one set of conventions, one state in memory at a time; the
states' phop rows and inherent structures come through readers (:class:`PhopState`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .barriers import JobCounts
from .events import label_offset, training_events
from .softness import SoftnessModel, train_softness
from .strata import frame_counts, strata_edges
from .structure import StructureGrid, event_features

#: the strata edges of a retrained softness come from every EDGE_STRIDE-th frame
EDGE_STRIDE = 10


@dataclass(frozen=True)
class PhopState:
    """One state as retraining reads it.

    Attributes
    ----------
    id : str
        The state's name (job id).
    T : float
        Temperature (ε_AA/k_B).
    replica : int
        Its replica.
    phop : Callable
        Reader of its phop rows: a dict with ``phop`` (rows × N_A, σ_AA²), ``a_index``
        and ``half_window`` (frames).
    frames : Callable
        Opens its inherent structures: a context manager yielding ``configuration_at(k)``
        (:func:`softness_entropy.gsd_io.frames_of`).
    """

    id: str
    T: float
    replica: int
    phop: Callable[[], dict]
    frames: Callable[[], AbstractContextManager[Callable[[int], Any]]]


def train_retrained(training: list[PhopState], params: dict, separations: tuple[int, int],
                    system: dict, seed: int) -> SoftnessModel:  # fmt: skip
    """A softness model trained on the events of the ``training`` states under
    ``params`` (examples, label, grid; ``separations``: of soft and of hard examples,
    frames)."""
    grid = StructureGrid.from_parameters(params)
    features, labels = [], []
    for state in training:
        data = state.phop()
        offset = label_offset(params["phop_label"], data["half_window"])
        soft, hard = training_events(data["phop"], params["training_events"], params["p_soft"],
                                     params["p_hard"], *separations)  # fmt: skip
        frames = np.concatenate([soft.frames, hard.frames]) + offset
        particles = data["a_index"][np.concatenate([soft.particles, hard.particles])]
        labels.append(np.r_[np.ones(len(soft), np.int8), np.zeros(len(hard), np.int8)])
        with state.frames() as configuration_at:
            features.append(event_features(configuration_at, frames, particles, grid))
    model = train_softness(np.concatenate(features), np.concatenate(labels), grid=grid,
                           system=system, seed=seed, test_fraction=params["svm_test_fraction"],
                           c_rule=params["svm_c_rule"])  # fmt: skip
    model.scoring = {"s2_eta": params["s2_eta"], "s2_damping_width": params["s2_damping_width"]}
    return model


def scored_rows(state: PhopState, model: SoftnessModel, params: dict, stride: int) -> tuple:
    """(S, local s2, rearranging) of the A particles at every ``stride``-th labelled
    phop row of a state, under ``model``."""
    data = state.phop()
    offset = label_offset(params["phop_label"], data["half_window"])
    rows = np.arange(0, len(data["phop"]), stride)
    s = np.empty((len(rows), len(data["a_index"])), np.float32)
    s2 = np.empty_like(s)
    with state.frames() as configuration_at:
        for k, row in enumerate(rows):
            conf = configuration_at(int(row + offset))
            scores = model.score(conf.box_length, conf.positions, conf.typeid, data["a_index"])
            s[k], s2[k] = scores.softness, scores.s2_local
    return s, s2, data["phop"][rows] > params["p_soft"]


def retrained_strata(states: list[PhopState], training: list[PhopState], params: dict,
                     separations: tuple[int, int], blocks: dict, seed: int,
                     system: dict) -> dict:  # fmt: skip
    """{(label, quantity, bins): [JobCounts]} of a softness retrained on ``training``
    under ``params`` and scored on every state, already thinned to every
    ``pr_frame_stride``-th phop row (the bootstrap blocks shrink with it): analyse them
    with ``pr_frame_stride = 1``.  ``blocks``: each state's bootstrap block in frames.
    Raises ValueError when the conventions leave too few training examples."""
    model = train_retrained(training, params, separations, system, seed)
    bins, label = params["strata_bins"], params["phop_label"]
    sample = [scored_rows(state, model, params, EDGE_STRIDE)[:2] for state in states]
    edges = {name: strata_edges(np.concatenate([v[k].ravel() for v in sample]), bins)
             for k, name in enumerate(("S", "s2"))}  # fmt: skip
    counts: dict[tuple, list] = {(label, name, bins): [] for name in edges}
    stride = params["pr_frame_stride"]
    for state in states:
        s, s2, rearranging = scored_rows(state, model, params, stride)
        block = max(1, round(blocks[state.id] / stride))
        for name, values in (("S", s), ("s2", s2)):
            hits, n = frame_counts(values, rearranging, edges[name])
            counts[(label, name, bins)].append(JobCounts(state.T, state.replica, hits, n, block))
    return counts
