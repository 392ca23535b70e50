"""Create or extend the signac data space of a study (what ``init.py`` runs).

The data space holds one job per state point (Δ, ρ, T, replica, N).  The study's name
and its run parameters go into the project document (``profile``, ``parameters``);
``signac.rc`` becomes the project's ``.signac/config``.

A data space grows: a study that *extends* the one it holds — more temperatures at the
cold end of a cascade, more replicas, another system — adds the new jobs and keeps
every existing result.  The cascade continues from the coldest equilibrated state, and
the per-system and project-level outputs, which record the jobs they were made from,
become stale and are recomputed (:mod:`.provenance`).  What would invalidate existing
results is refused before anything is written: other run parameters, dropped state
points, a temperature inserted above states whose cascade has already run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import signac

from ..atomic import atomic_path
from .parameters import (
    DEFAULT_PARAMETERS,
    EXECUTION_PARAMETERS,
    PROPENSITY_PARAMETERS,
    SIMULATION_PARAMETERS,
    validate_parameters,
)
from .studies import Study


def _refuse_changed_parameters(root: Path, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """ValueError if a parameter that alters results differs from the stored one,
    naming each and the stages whose results it would invalidate."""
    # parameters added to the code after the data space was made take their defaults,
    # as every operation reads them (simulation.parameters)
    old = validate_parameters({**DEFAULT_PARAMETERS, **old})

    def same(key: str) -> bool:
        if key == "mixture":  # its label is not physics
            return {**old[key], "name": ""} == {**new[key], "name": ""}
        return old[key] == new[key]

    free = EXECUTION_PARAMETERS | PROPENSITY_PARAMETERS  # see parameters.py
    changed = sorted(k for k in new if not same(k) and k not in free)
    if not changed:
        return
    listed = ", ".join(f"{k}: {old[k]!r} → {new[k]!r}" for k in changed)
    keep = " ".join(f"--set {k}={json.dumps(old[k])}" for k in changed if k != "mixture")
    invalidated = (
        "every result (equilibrate onwards)"
        if set(changed) & SIMULATION_PARAMETERS
        else "the analysis results (the dynamics analysis, compute_phop and after)"
    )
    raise ValueError(
        f"{root} was initialised with other run parameters ({listed}); changing them "
        f"would invalidate {invalidated}: use another directory (init.py --root DIR)"
        + (f", or keep the stored values ({keep})" if keep else "")
    )


def _refuse_unsafe_growth(root: Path, project: signac.Project, study: Study) -> list[dict]:
    """The state points ``study`` adds to ``project``; ValueError if it drops any or
    inserts a temperature above states of a cascade that has already run."""
    new = study.statepoints()
    wanted = {_key(sp) for sp in new}
    existing = [dict(job.cached_statepoint) for job in project]
    dropped = [sp for sp in existing if _key(sp) not in wanted]
    if dropped:
        raise ValueError(
            f"{root} holds {len(dropped)} state points the study {study.source} lacks (e.g. "
            f"{dropped[0]}); a study may only extend a data space: add them back or use "
            "another directory"
        )
    have = {_key(sp) for sp in existing}
    added = [sp for sp in new if _key(sp) not in have]
    for sp in added:
        chain = {k: sp[k] for k in ("delta", "rho", "replica", "N")}
        started_below = [
            job.cached_statepoint["T"]
            for job in project.find_jobs(chain)
            if job.cached_statepoint["T"] < sp["T"]
            and ("equilibration" in job.document or job.isfile("equilibration.ckpt.npz"))
        ]
        if started_below:
            raise ValueError(
                f"T={sp['T']} (delta={sp['delta']}, replica={sp['replica']}) lies above "
                f"T={max(started_below)}, which its cascade has already quenched to (or is "
                "quenching to): add "
                "temperatures at the cold end of a ladder only (or use another directory)"
            )
    return added


def _key(sp: Mapping[str, Any]) -> tuple:
    return tuple(sorted(sp.items()))


def init_data_space(
    root: str | Path,
    study: Study,
    config_file: str | Path,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[signac.Project, int]:
    """Initialise (or extend) the project at ``root`` with every state point of ``study``.

    ``config_file`` (the repository's ``signac.rc``) becomes ``.signac/config`` of a
    new project.  Everything is validated before anything is written.  Re-running with
    the same study creates nothing; a study that extends the data space adds its new
    jobs (module docstring); anything that would invalidate existing results is an
    error naming what and why.

    Returns the project and the number of jobs created by this call.
    """
    params = study.run_parameters(overrides)
    statepoints = study.statepoints()
    root = Path(root)
    config = Path(config_file)
    if not config.is_file():
        raise FileNotFoundError(f"signac configuration template {config} not found")

    existing = root / ".signac" / "config"
    if existing.exists():
        project = signac.get_project(root)
        old_params = project.doc.get("parameters")
        if old_params is not None:
            _refuse_changed_parameters(root, dict(old_params), params)
        _refuse_unsafe_growth(root, project, study)
    else:
        existing.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(existing) as tmp:
            shutil.copyfile(config, tmp)
        project = signac.get_project(root)

    templates = root / "templates"
    shipped = config.parent / "templates"
    if shipped.is_dir() and not templates.exists() and templates.resolve() != shipped.resolve():
        # job-script templates for `project.py submit` (flow reads <root>/templates)
        templates.symlink_to(shipped.resolve(), target_is_directory=True)
    project.doc["profile"] = study.name
    project.doc["parameters"] = params
    # [Δ, ρ, T / T_ref] of the systems that scale a ladder (signac keys may not hold dots)
    scales = {(d, r): f for d, r, f in project.doc.get("reference_scales", [])}
    scales.update({s.key: s.reference_scale for s in study.systems if s.reference_scale})
    project.doc["reference_scales"] = [[d, r, f] for (d, r), f in sorted(scales.items())]
    created = 0
    for sp in statepoints:
        job = project.open_job(sp)
        if job not in project:
            job.init()
            created += 1
    return project, created
