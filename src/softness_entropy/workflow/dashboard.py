"""The signac-dashboard of the study (see ``dashboard.py``).

Job pages: the physical results as a compact table with units (:func:`job_results_html`),
the per-job plots, flow status; the raw documents (digests, provenance) folded away in
a card that starts disabled.  The project page (our ``project_info.html``, which
signac-dashboard loads through ``DASHBOARD_PATHS``): the results table and the paper's
claims checked (when ``make_figures`` has written them) across the page, Figures 1–6
two to a row below them, then the propensity figure and table
(``summarize_propensity``).
"""

from __future__ import annotations

from pathlib import Path

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

from .products import DYNAMICS_PLOT, PROPENSITY_FIGURE, REARRANGEMENTS_PLOT

#: signac-dashboard's DASHBOARD_PATHS entry holding our ``templates/project_info.html``
TEMPLATES = Path(__file__).parent / "dashboard_templates"


class WideTextDisplay(TextDisplay):
    """A text card (a table) that spans the project page (``project_info.html``)."""

    full_width = True


class StudyDashboard(Dashboard):
    """Jobs titled by their state point, sorted by system and temperature."""

    def job_title(self, job):
        sp = job.cached_statepoint
        return f"Δ={sp['delta']} ρ={sp['rho']} T={sp['T']} replica {sp['replica']} N={sp['N']}"

    def job_sorter(self, job):
        sp = job.cached_statepoint
        return (sp["delta"], -sp["T"], sp["replica"])


#: (label with unit, record, key, error key or None) of the job page's results table
JOB_RESULTS: tuple[tuple[str, str, str, str | None], ...] = (
    ("τα (τ)", "dynamics", "tau_alpha", "tau_alpha_error"),
    ("D_A (σ²/τ)", "dynamics", "D_A", "D_A_error"),
    ("D*_A = D_A ρ^{1/3} (m/k_B T)^{1/2} (Fig. 2b)", "dynamics", "D_A_reduced",
     "D_A_reduced_error"),
    ("MSD_A at the window's end (σ²)", "dynamics", "msd_from_start", None),
    ("dynamics window (τ)", "dynamics", "time", None),
    ("U per particle, thermal (ε)", "production", "potential_energy", "potential_energy_std"),
    ("pressure (ε/σ³)", "production", "pressure", "pressure_std"),
    ("T_kin (ε/k_B)", "production", "kinetic_temperature", "kinetic_temperature_std"),
    ("e_IS per particle (ε)", "inherent_structures", "potential_energy",
     "potential_energy_std"),
    ("inherent structures", "inherent_structures", "frames", None),
    ("P_R (phop > p_S)", "softness", "P_R", None),
    ("⟨S⟩", "softness", "mean_S", "std_S"),
    ("⟨s2⟩ local (k_B)", "softness", "mean_s2_local", None),
    ("s2 global (k_B, eq. 4)", "softness", "s2_global", None),
    ("ρ(S, s2) over IS frames", "softness", "pearson_S_s2_is_frames", None),
    ("P(S > 0 | R)", "softness", "P_S_positive_given_R", None),
    ("P(R | S > 0)", "softness", "P_R_given_S_positive", None),
    ("SVM test accuracy (system)", "softness_model", "test_accuracy", None),
    ("SVM C (system)", "softness_model", "C", None),
)  # fmt: skip


def _number(value, digits: int = 4) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:.{digits}g}"


def _table(
    header: tuple[str, ...], rows: list[tuple[str, ...]], nowrap: tuple[int, ...] = ()
) -> str:
    """An HTML table; the columns ``nowrap`` (indices) are never broken across lines."""
    from markupsafe import escape

    def cell(tag: str, k: int, text: str) -> str:
        style = ' style="white-space: nowrap"' if k in nowrap else ""
        return f"<{tag}{style}>{escape(text)}</{tag}>"

    head = "".join(cell("th", k, h) for k, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", k, c) for k, c in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f'<table class="table is-striped is-narrow"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def job_results_html(job) -> str:
    """The job's physical results, one row per quantity with its unit and its error
    (± the record's bootstrap error, or ± the s.d. over frames where marked)."""
    from markupsafe import Markup

    doc = job.document
    rows = []
    for label, record, key, error in JOB_RESULTS:
        value = doc.get(record, {}).get(key)
        if value is None:
            continue
        err = doc.get(record, {}).get(error) if error else None
        spread = " (s.d.)" if error and error.endswith("_std") else ""
        rows.append((label, _number(value), f"± {_number(err, 2)}{spread}" if err else ""))
    if not rows:
        return "No results yet: run the workflow (project.py run)."
    return Markup(_table(("quantity", "value", "error"), rows))


#: columns of the project page's results table: (header with unit, key, error key)
PROJECT_RESULTS: tuple[tuple[str, str, str | None], ...] = (
    ("Δ (σ)", "delta", None),
    ("ρ (σ⁻³)", "rho", None),
    ("T_A from S", "T_A_from_S", "T_A_from_S_error"),
    ("T_A from s2", "T_A_from_s2", "T_A_from_s2_error"),
    ("τα onset", "T_onset_from_tau_alpha", None),
    ("ln P_R(T_A)", "log_P_R_at_T_A", "log_P_R_at_T_A_error"),
    ("decades S", "spread_decades_S", "spread_decades_S_error"),
    ("decades s2", "spread_decades_s2", "spread_decades_s2_error"),
    ("ρ(S, s2)", "pearson_S_s2", None),
    ("SVM accuracy", "svm_test_accuracy", None),
    ("min. cosine", "hyperplane_cosine_min", None),
)


def results_html(project) -> str:
    """The results table (``results/results.csv``, ``project.doc["results"]``)."""
    from markupsafe import Markup

    rows = project.doc.get("results")
    if not rows:
        return "No results yet: they are written by make_figures."
    cells = [
        tuple(
            _number(r.get(key))
            + (f"\u00a0±\u00a0{_number(r.get(err), 2)}" if err and r.get(err) else "")
            for _, key, err in PROJECT_RESULTS
        )
        for r in rows
    ]
    return Markup(
        _table(tuple(h for h, _, _ in PROJECT_RESULTS), cells)
        + "<p>Temperatures in ε/k_B; ± bootstrap 1σ; every column: "
        "<code>results/results.csv</code>.</p>"
    )


def validation_html(project) -> str:
    """The claims table of ``results/validation.md`` (``project.doc["validation"]``)
    as an HTML table for the dashboard's project page."""
    from markupsafe import Markup

    rows = project.doc.get("validation")
    if not rows:
        return "No validation report yet: it is written by make_figures."
    head = ("#", "claim", "paper", "measured here", "verdict")
    keys = ("claim", "statement", "paper", "measured", "verdict")
    cells = [tuple(str(r[k]) for k in keys) for r in rows]
    return Markup(
        _table(head, cells, nowrap=(0, 4)) + "<p>Conventions and their effect: "
        "<code>results/validation.md</code>.</p>"
    )


def propensity_html(project) -> str:
    """The propensity summary (``project.doc["propensity"]``, written by
    ``summarize_propensity``): each predictor's Pearson correlation with the
    propensity at t ≈ τα and at its peak, ± bootstrap 1σ over configurations."""
    from markupsafe import Markup

    rows = project.doc.get("propensity")
    if not rows:
        return "No propensity scores yet: they are written by summarize_propensity."

    def interval(r, name):
        lo, hi = r.get(f"pearson_{name}_lo"), r.get(f"pearson_{name}_hi")
        return f"[{_number(lo, 2)}, {_number(hi, 2)}]"

    cells = [
        (_number(r["delta"]), _number(r["rho"]), _number(r["T"]), str(r["replica"]),
         r["predictor"], r["displacement"],
         f"{_number(r['pearson_at_tau_alpha'], 3)} {interval(r, 'at_tau_alpha')}",
         f"{_number(r['pearson_peak'], 3)} {interval(r, 'peak')} at {_number(r['t_peak'], 2)} τα")
        for r in rows
    ]  # fmt: skip
    head = ("Δ", "ρ", "T", "replica", "predictor", "displacement", "Pearson at t ≈ τα", "peak")
    return Markup(_table(head, cells) + "<p>Every time: <code>results/propensity.csv</code>.</p>")


def make_dashboard(project=None, config: dict | None = None) -> StudyDashboard:
    """The dashboard (localhost, access token: signac-dashboard's defaults).

    ``project`` defaults to the FlowProject of the current directory (labels work).
    """
    if project is None:
        from .flowproject import Project

        project = Project.get_project()
    modules = [
        StatepointList(),
        TextDisplay(name="Results", message=job_results_html),
        ImageViewer(name="Dynamics and softness", img_globs=(DYNAMICS_PLOT, REARRANGEMENTS_PLOT)),
        DocumentList(name="Records and provenance (raw)", enabled=False),
        FileList(enabled=False),
        FlowStatus(context="JobContext", project_module="project", project_class="Project"),
        WideTextDisplay(name="Results by system", context="ProjectContext", message=results_html),
        WideTextDisplay(
            name="The paper's claims, checked", context="ProjectContext", message=validation_html
        ),
        ImageViewer(
            name="Figures 1–6", context="ProjectContext", img_globs=("figures/figure*.png",)
        ),
        ImageViewer(
            name="Isoconfigurational propensity",
            context="ProjectContext",
            img_globs=(PROPENSITY_FIGURE,),
        ),
        WideTextDisplay(
            name="Predictors against propensity", context="ProjectContext", message=propensity_html
        ),
        Schema(context="ProjectContext"),
    ]
    config = {"DASHBOARD_PATHS": [str(TEMPLATES)], **(config or {})}
    return StudyDashboard(config=config, project=project, modules=modules)
