"""Create or extend the signac data space of a profile (what ``init.py`` runs).

The data space holds one job per state point (Δ, ρ, T, replica, N).  The profile name
and its run parameters go into the project document; ``signac.rc`` becomes the
project's ``.signac/config``.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import signac

from .profiles import get_profile


def init_data_space(
    root: str | Path,
    profile_name: str,
    config_file: str | Path,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[signac.Project, int]:
    """Initialise the project at ``root`` with every state point of a profile.

    ``config_file`` (the repository's ``signac.rc``) becomes ``.signac/config`` of a
    new project.

    Everything is validated before anything is written.  Re-running with the same
    profile and parameters creates nothing new; a different profile or different
    parameters in an existing data space is an error (start another directory).

    Returns the project and the number of jobs created by this call.
    """
    profile = get_profile(profile_name)
    params = profile.run_parameters(overrides)
    statepoints = profile.statepoints()
    root = Path(root)
    config = Path(config_file)
    if not config.is_file():
        raise FileNotFoundError(f"signac configuration template {config} not found")

    existing = root / ".signac" / "config"
    if existing.exists():
        project = signac.get_project(root)
        old_profile = project.doc.get("profile")
        if old_profile not in (None, profile.name):
            raise ValueError(
                f"{root} holds the {old_profile!r} profile; initialise {profile.name!r} "
                "in another directory (init.py --root DIR)"
            )
        old_params = project.doc.get("parameters")
        if old_params is not None and dict(old_params) != params:
            changed = sorted(k for k in params if old_params.get(k) != params[k])
            raise ValueError(
                f"{root} was initialised with different parameters {changed}; "
                "results would mix settings: use another directory"
            )
    else:
        existing.parent.mkdir(parents=True, exist_ok=True)
        tmp = existing.with_name("config.tmp")
        shutil.copyfile(config, tmp)
        tmp.replace(existing)
        project = signac.get_project(root)

    templates = root / "templates"
    shipped = config.parent / "templates"
    if shipped.is_dir() and not templates.exists() and templates.resolve() != shipped.resolve():
        # job-script templates for `project.py submit` (flow reads <root>/templates)
        templates.symlink_to(shipped.resolve(), target_is_directory=True)
    project.doc["profile"] = profile.name
    project.doc["parameters"] = params
    created = 0
    for sp in statepoints:
        job = project.open_job(sp)
        if job not in project:
            job.init()
            created += 1
    return project, created
