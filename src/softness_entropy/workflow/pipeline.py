"""The pipeline, declared once: for each operation its input and output files, what it
needs, when it is done, which jobs it is for, and its directives; and :func:`stage`, the
one decorator that turns a function into that operation.

Reading :data:`STAGES` top to bottom is reading the workflow (paper §II–III):

======================================  ==========================  ==========================
operation                               reads                       writes
======================================  ==========================  ==========================
equilibrate (hottest rung)              —                           equilibrated.gsd
quench (colder rungs)                   hotter rung's equilibrated  equilibrated.gsd
dynamics                                equilibrated.gsd            dynamics.gsd, dynamics.npz
production                              equilibrated.gsd            trajectory.gsd
fire_minimize                           trajectory.gsd              inherent.gsd
compute_phop                            inherent.gsd                phop.h5
build_structure_functions               phop.h5, inherent.gsd       training.h5
train_svm (per system)                  training.h5                 models/softness_*.npz
compute_softness_and_s2                 inherent, trajectory, phop  softness.h5
fit_arrhenius_barriers (per system)     softness, phop, inherent    analysis/system_*.json
make_figures (whole data space)         analysis/, per-job files    figures/, results/
isoconfigurational_ensemble (chosen)    trajectory.gsd              isoconfigurational.h5
score_propensity (chosen)               ensemble, softness, IS      propensity.h5
summarize_propensity (chosen together)  propensity.h5               results/propensity.csv
======================================  ==========================  ==========================

Every operation is wrapped by :func:`~.guard.exclusive` (validation, lock, re-check of
its post-condition under the lock, then the digest checks of the files it reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flow import aggregator

from . import conditions as c
from .directives import analysis_directives, simulation_directives
from .flowproject import Project
from .guard import exclusive
from .products import (
    EQUILIBRATED,
    INHERENT,
    PHOP,
    SOFTNESS,
    TRAINING,
    TRAJECTORY,
    Product,
)
from .selection import all_propensity_states, each_propensity_state


@dataclass(frozen=True)
class Stage:
    """One operation of the pipeline.

    ``reads``: job files checked against their writers' digests on every job of the
    aggregate before the operation runs; ``needs``: its preconditions, in the order flow
    evaluates them; ``done``: its post-condition (also re-checked under its lock);
    ``selects``: which aggregates it is for (a precondition that never changes: the
    others are never eligible by design, and a run does not count them as left);
    ``aggregator``: flow's aggregator (None: one job); ``directives``: their factory;
    ``priority``: the scheduler's order (the MD first: it gates everything)."""

    name: str
    done: Callable[..., bool]
    reads: tuple[Product, ...] = ()
    needs: tuple[Callable[..., bool], ...] = ()
    selects: Callable[..., bool] | None = None
    aggregator: Any = None
    directives: Callable[[], dict] = analysis_directives
    priority: int = 0


_by_system = aggregator.groupby(["delta", "rho"], sort_by="T")

#: the pipeline, in order
STAGES: tuple[Stage, ...] = (
    Stage("equilibrate", c.is_equilibrated, selects=c.is_hottest,
          directives=simulation_directives, priority=0),
    Stage("quench", c.is_equilibrated, needs=(c.hotter_is_equilibrated,),
          selects=c.is_colder_rung, directives=simulation_directives, priority=1),
    Stage("dynamics", c.has_dynamics, reads=(EQUILIBRATED,), needs=(c.is_equilibrated,),
          directives=simulation_directives, priority=2),
    Stage("production", c.has_production, reads=(EQUILIBRATED,),
          needs=(c.is_equilibrated, c.has_dynamics), directives=simulation_directives,
          priority=3),
    Stage("fire_minimize", c.has_inherent_structures, reads=(TRAJECTORY,),
          needs=(c.has_production,), directives=simulation_directives, priority=5),
    Stage("compute_phop", c.has_phop, reads=(INHERENT,), needs=(c.has_inherent_structures,),
          priority=6),
    Stage("build_structure_functions", c.has_training_set, reads=(PHOP, INHERENT),
          needs=(c.has_phop,), priority=7),
    Stage("train_svm", c.has_model, reads=(TRAINING,), needs=(c.every(c.has_training_set),),
          aggregator=_by_system, priority=8),
    Stage("compute_softness_and_s2", c.has_softness, reads=(INHERENT, TRAJECTORY, PHOP),
          needs=(c.has_phop, c.has_system_model), priority=9),
    Stage("fit_arrhenius_barriers", c.has_system_analysis, reads=(SOFTNESS, PHOP, INHERENT),
          needs=(c.every(c.has_softness),), aggregator=_by_system, priority=11),
    Stage("make_figures", c.has_figures, needs=(c.has_system_analysis,),
          aggregator=aggregator(), priority=12),
    Stage("isoconfigurational_ensemble", c.has_ensemble, reads=(TRAJECTORY,),
          needs=(c.has_dynamics, c.has_production), aggregator=aggregator(each_propensity_state),
          directives=simulation_directives, priority=4),
    Stage("score_propensity", c.has_propensity, reads=(INHERENT, SOFTNESS),
          needs=(c.has_ensemble, c.has_softness), aggregator=aggregator(each_propensity_state),
          priority=10),
    Stage("summarize_propensity", c.has_propensity_summary, needs=(c.every(c.has_propensity),),
          aggregator=aggregator(all_propensity_states), priority=13),
)  # fmt: skip
STAGE: dict[str, Stage] = {spec.name: spec for spec in STAGES}


def _tag(condition: Callable) -> str:
    return getattr(condition, "tag", condition.__name__)


def stage(function: Callable) -> Callable:
    """Register ``function`` as the operation of :data:`STAGES` with its name: its
    aggregator and directives, its preconditions (``selects`` first, then ``needs`` in
    order), its post-condition, and :func:`~.guard.exclusive` (validation, lock,
    post-condition re-checked, ``reads`` checked against their digests)."""
    spec = STAGE.get(function.__name__)
    if spec is None:
        raise ValueError(f"{function.__name__!r} is not a stage of the pipeline (STAGES)")
    operation = exclusive(spec.done, reads=spec.reads)(function)
    options = {"directives": spec.directives()}
    if spec.aggregator is not None:
        options["aggregator"] = spec.aggregator
    operation = Project.operation(**options)(operation)
    operation = Project.post(spec.done, tag=_tag(spec.done))(operation)
    for condition in reversed(spec.needs):  # flow evaluates the outermost first
        operation = Project.pre(condition, tag=_tag(condition))(operation)
    if spec.selects is not None:
        operation = Project.pre(spec.selects, tag=_tag(spec.selects))(operation)
    Project.stages[spec.name] = spec
    return operation
