"""The figures operation (paper Figs. 1–6): ``make_figures`` draws the figures from every
system's analysis, writes the results table (``results/results.csv``, also
``project.doc["results"]``) and the claims table (``results/validation.md``), and, per
job, the dashboard's ``dynamics.png`` and ``rearrangements.png``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conditions import figure_inputs
from .pipeline import stage
from .products import (
    ANALYSIS_DIR,
    DYNAMICS,
    DYNAMICS_PLOT,
    EQUILIBRATED,
    FIGURES_DIR,
    PHOP,
    REARRANGEMENTS_PLOT,
    RESULTS_CSV,
    SOFTNESS,
    SYSTEM_SCHEMA,
)
from .storage import read_record, set_record


def job_plots(job) -> None:
    """``dynamics.png`` and ``rearrangements.png`` in the job directory (the dashboard's
    per-job views), from its files read through their digest checks."""
    import numpy as np

    from ..plotting.job_plots import dynamics_plot, rearrangements_plot

    sp = job.cached_statepoint
    title = f"Δ = {sp['delta']}, ρ = {sp['rho']}, T = {sp['T']}, replica {sp['replica']}"
    tau = read_record(job, "dynamics", "dynamics", ("tau_alpha",))["tau_alpha"]
    with np.load(DYNAMICS.path(job)) as data:
        dynamics_plot(Path(job.fn(DYNAMICS_PLOT)), title, data["times"], data["msd"],
                      data["fs"], np.nan if tau is None else tau)  # fmt: skip
    phop = PHOP.read_h5(job)
    soft = SOFTNESS.read_h5(job)
    rearrangements_plot(Path(job.fn(REARRANGEMENTS_PLOT)), title, phop["phop"],
                        soft["softness"], soft["s2_local"])  # fmt: skip


def coldest_states(project, systems: list[dict]) -> list:
    """Each system's coldest state (first replica) as the figures show it
    (:class:`~softness_entropy.plotting.figures.ColdestState`), read through the digest
    checks; the first system's with its equilibrated configuration and S, s2 arrays."""
    from ..gsd_io import read_configuration
    from ..plotting.figures import ColdestState

    out = []
    for k, s in enumerate(systems):
        jobs = project.find_jobs({"delta": s["delta"], "rho": s["rho"]})
        job = min(jobs, key=lambda j: (j.cached_statepoint["T"], j.cached_statepoint["replica"]))
        data = SOFTNESS.read_h5(job)
        extra = {}
        if k == 0:
            extra = {"configuration": read_configuration(EQUILIBRATED.path(job)),
                     "softness": data["softness"], "s2_local": data["s2_local"]}  # fmt: skip
        state = {"delta": s["delta"], "T": job.cached_statepoint["T"]}
        out.append(ColdestState(**state, rdf_r=data["rdf/r"], rdf_g_aa=data["rdf/g"][0], **extra))
    return out


def load_systems(project) -> list[dict]:
    """Every per-system analysis record, sorted by Δ."""
    files = sorted((Path(project.path) / ANALYSIS_DIR).glob(f"system_*.v{SYSTEM_SCHEMA}.json"))
    return sorted((json.loads(f.read_text()) for f in files), key=lambda d: d["delta"])


@stage
def make_figures(*jobs):
    """Figures 1–6 of the paper and the results table from the whole data space."""
    from ..analysis.validation import validate
    from ..plotting.figures import make_all_figures, results_table
    from .report import write_validation

    project = jobs[0].project
    for job in jobs:
        job_plots(job)
    systems = load_systems(project)
    root = Path(project.path)
    make_all_figures(systems, coldest_states(project, systems), root / FIGURES_DIR)
    rows = results_table(systems, root / RESULTS_CSV)
    claims = validate(systems)
    write_validation(systems, claims, root)
    set_record(project, "validation", claims)
    set_record(project, "results", rows)
    set_record(project, "figures_made_from", figure_inputs(jobs))
