"""The conditions of the pipeline: when an operation's products are complete (its
post-condition) and what it needs (its preconditions), as plain functions of jobs.

A product counts as complete only while its record and file exist and — for the
outputs made from several jobs — while it was made from exactly the current inputs
(:mod:`.provenance`: add a temperature, a replica or a system and exactly the outputs
that depend on it go stale).  Light on purpose: ``project.py status`` evaluates them.
"""

from __future__ import annotations

from pathlib import Path

from .parameters import propensity_settings
from .products import (
    DYNAMICS,
    DYNAMICS_TRAJECTORY,
    ENSEMBLE,
    EQUILIBRATED,
    FIGURES,
    FIGURES_DIR,
    INHERENT,
    PHOP,
    PROPENSITY_CSV,
    PROPENSITY_FIGURE,
    REARRANGEMENTS_PLOT,
    RESULTS_CSV,
    SCORES,
    SOFTNESS,
    TRAINING,
    TRAJECTORY,
    VALIDATION_MD,
    model_path,
    system_file,
    system_key,
)
from .provenance import file_made_from, made_from
from .selection import hotter, stored_parameters
from .storage import digest_key, document, file_stamp, has_record


def every(condition):
    """The aggregate condition "``condition`` holds for every job of the aggregate"; its
    ``tag`` is the condition's name, so that flow's operation graph links it to the
    operation whose post-condition ``condition`` is."""

    def holds_for_every_job(*jobs) -> bool:
        return all(condition(job) for job in jobs)

    holds_for_every_job.__name__ = f"every_{condition.__name__}"
    holds_for_every_job.tag = condition.__name__
    return holds_for_every_job


# -- simulation ----------------------------------------------------------------------
def is_equilibrated(job) -> bool:
    return has_record(job, EQUILIBRATED.record) and EQUILIBRATED.exists(job)


def is_hottest(job) -> bool:
    return hotter(job) is None


def is_colder_rung(job) -> bool:
    return not is_hottest(job)


def hotter_is_equilibrated(job) -> bool:
    up = hotter(job)
    return up is not None and is_equilibrated(up)


def has_dynamics(job) -> bool:
    return (
        has_record(job, DYNAMICS.record)
        and DYNAMICS.exists(job)
        and DYNAMICS_TRAJECTORY.exists(job)
    )


def has_production(job) -> bool:
    return has_record(job, TRAJECTORY.record) and TRAJECTORY.exists(job)


def has_inherent_structures(job) -> bool:
    return has_record(job, INHERENT.record) and INHERENT.exists(job)


# -- rearrangements and softness -----------------------------------------------------------
def has_phop(job) -> bool:
    return has_record(job, PHOP.record) and PHOP.exists(job)


def has_training_set(job) -> bool:
    return has_record(job, TRAINING.record) and TRAINING.exists(job)


def has_model(*jobs) -> bool:
    """The system's model exists and was trained on exactly these jobs' training sets
    (:mod:`.provenance`: a job added to the system makes it stale)."""
    if not all(path.exists() for path in {model_path(job) for job in jobs}):
        return False
    docs = [document(job) for job in jobs]  # each read once (status at paper scale)
    if not all("softness_model" in doc for doc in docs):
        return False
    current = made_from(jobs, TRAINING.record, docs)
    return all(doc["softness_model"].get("made_from") == current for doc in docs)


def has_system_model(job) -> bool:
    """train_svm has completed for the job's whole system (every job's record written:
    a model saved by a run killed before it recorded it is not used).

    Every job of a system asks the same question: the answer is kept on the project
    instance while no document of the system and not the model file changed (signac
    writes documents by atomic replace), so ``project.py status`` reads each document
    once, not once per job of its system (measured on 210 paper-scale jobs with 5 kB
    documents, both cores busy: 11.7 s → 3.4 s, the rest signac's ``find_jobs``)."""
    delta, rho = system_key(job.cached_statepoint)
    jobs = list(job.project.find_jobs({"delta": delta, "rho": rho}))
    path = model_path(job)
    stamps = (
        file_stamp(path),
        *sorted((j.id, file_stamp(Path(j.path) / j.FN_DOCUMENT)) for j in jobs),
    )
    memo = getattr(job.project, "condition_memo", None)
    if memo is None:  # a plain signac project (not the workflow's FlowProject)
        return has_model(*jobs)
    return memo(("has_system_model", str(path)), stamps, lambda: has_model(*jobs))


def has_softness(job) -> bool:
    """S and s2 exist and were computed with the system's current model."""
    doc = document(job)
    return (
        SOFTNESS.record in doc
        and SOFTNESS.exists(job)
        and doc[SOFTNESS.record].get("model_sha256") == doc.get("softness_model", {}).get("sha256")
    )


# -- barriers and figures ------------------------------------------------------------------
def has_system_analysis(*jobs) -> bool:
    """Every system of ``jobs`` has its analysis file, made from exactly its current
    jobs' softness values (:mod:`.provenance`)."""
    systems: dict[Path, list] = {}
    for job in jobs:
        systems.setdefault(system_file(job), []).append(job)
    return all(
        file_made_from(path) == made_from(members, SOFTNESS.record)
        for path, members in systems.items()
    )


def figure_inputs(jobs) -> dict[str, str]:
    """{system analysis file: SHA-256} of every system of ``jobs`` (what the figures,
    the results and the validation table are made from)."""
    from ..files import file_digest

    paths = sorted({system_file(job) for job in jobs})
    # document keys may not contain dots (signac)
    return {digest_key(p.name): file_digest(p) if p.is_file() else "" for p in paths}


def has_figures(*jobs) -> bool:
    project = jobs[0].project
    root = Path(project.path)
    return (
        has_record(project, "results")
        and document(project).get("figures_made_from") == figure_inputs(jobs)
        and (root / RESULTS_CSV).exists()
        and (root / VALIDATION_MD).exists()
        and all((root / FIGURES_DIR / f"{name}.png").exists() for name in FIGURES)
        and all(job.isfile(REARRANGEMENTS_PLOT) for job in jobs)
    )


# -- propensity ------------------------------------------------------------------------------
def has_ensemble(job) -> bool:
    """The ensemble exists, was run with the current settings, on the current
    production trajectory, with the current τα (its times and frames are in τα)."""
    doc = document(job)
    record = doc.get(ENSEMBLE.record)
    return (
        isinstance(record, dict)
        and ENSEMBLE.exists(job)
        and record.get("settings") == propensity_settings(stored_parameters(job.project))
        and record.get("production_sha256") == doc.get("production", {}).get("sha256")
        and record.get("tau_alpha") == doc.get("dynamics", {}).get("tau_alpha")
    )


def has_propensity(job) -> bool:
    """The scores exist and were computed from the current ensemble, model, softness
    values and inherent structures."""
    doc = document(job)
    record = doc.get(SCORES.record)
    return (
        isinstance(record, dict)
        and SCORES.exists(job)
        and record.get("ensemble_sha256") == doc.get("isoconfigurational", {}).get("sha256")
        and record.get("model_sha256") == doc.get("softness_model", {}).get("sha256")
        and record.get("softness_sha256") == doc.get("softness", {}).get("sha256")
        and record.get("inherent_sha256") == doc.get("inherent_structures", {}).get("sha256")
    )


def has_propensity_summary(*states) -> bool:
    """The propensity table and figure exist and were made from these states' scores."""
    project = states[0].project
    root = Path(project.path)
    return (
        (root / PROPENSITY_CSV).is_file()
        and (root / PROPENSITY_FIGURE).is_file()
        and document(project).get("propensity_made_from") == made_from(states, SCORES.record)
    )
