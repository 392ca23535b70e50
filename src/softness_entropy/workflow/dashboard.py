"""The signac-dashboard of the study: state points, job documents, per-job plots, the
project's figures, flow status and the schema (see ``dashboard.py``)."""

from __future__ import annotations

from signac_dashboard import Dashboard
from signac_dashboard.modules import (
    DocumentList,
    FileList,
    FlowStatus,
    ImageViewer,
    Schema,
    StatepointList,
)


class StudyDashboard(Dashboard):
    """Jobs titled by their state point, sorted by system and temperature."""

    def job_title(self, job):
        sp = job.cached_statepoint
        return f"Δ={sp['delta']} ρ={sp['rho']} T={sp['T']} replica {sp['replica']} N={sp['N']}"

    def job_sorter(self, job):
        sp = job.cached_statepoint
        return (sp["delta"], -sp["T"], sp["replica"])


def make_dashboard(project=None, config: dict | None = None) -> StudyDashboard:
    """The dashboard (localhost, access token: signac-dashboard's defaults).

    ``project`` defaults to the FlowProject of the current directory (labels work).
    """
    if project is None:
        from .flowproject import Project

        project = Project.get_project()
    modules = [
        StatepointList(),
        DocumentList(),
        ImageViewer(name="Dynamics and softness", img_globs=("dynamics.png", "rearrangements.png")),
        FileList(enabled=False),
        FlowStatus(context="JobContext", project_module="project", project_class="Project"),
        ImageViewer(
            name="Figures 1–6", context="ProjectContext", img_globs=("figures/figure*.png",)
        ),
        Schema(context="ProjectContext"),
    ]
    return StudyDashboard(config=dict(config or {}), project=project, modules=modules)
