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
    TextDisplay,
)


class StudyDashboard(Dashboard):
    """Jobs titled by their state point, sorted by system and temperature."""

    def job_title(self, job):
        sp = job.cached_statepoint
        return f"Δ={sp['delta']} ρ={sp['rho']} T={sp['T']} replica {sp['replica']} N={sp['N']}"

    def job_sorter(self, job):
        sp = job.cached_statepoint
        return (sp["delta"], -sp["T"], sp["replica"])


def validation_html(project) -> str:
    """The claims table of ``results/validation.md`` (``project.doc["validation"]``)
    as an HTML table for the dashboard's project page."""
    from markupsafe import Markup, escape

    rows = project.doc.get("validation")
    if not rows:
        return "No validation report yet: it is written by make_figures."
    head = ("#", "claim", "paper", "measured here", "verdict")
    keys = ("claim", "statement", "paper", "measured", "verdict")
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(r[k]))}</td>" for k in keys) + "</tr>" for r in rows
    )
    header = "".join(f"<th>{h}</th>" for h in head)
    return Markup(
        f'<table class="table is-striped is-narrow"><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table><p>Conventions and their effect: "
        "<code>results/validation.md</code>.</p>"
    )


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
        TextDisplay(
            name="The paper's claims, checked", context="ProjectContext", message=validation_html
        ),
        Schema(context="ProjectContext"),
    ]
    return StudyDashboard(config=dict(config or {}), project=project, modules=modules)
