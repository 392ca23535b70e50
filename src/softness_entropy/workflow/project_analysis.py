"""Project-level analysis (paper §III): per-system barriers, T_A, s2(S); figures.

* ``fit_arrhenius_barriers`` (per system (Δ, ρ)): strata of S and of local s2 (5 equal
  bins between the system's 5th and 95th percentiles, pooled over its temperatures),
  P_R per stratum and temperature (phop > p_S, A particles, every phop frame), Arrhenius
  fits over the supercooled temperatures (overall P_R ≤ ``arrhenius_max_pr``; the three
  coldest otherwise, flagged), T_A from the strata's crossings (IQR rejection), Pearson
  ρ(S, s2), the softness-stratum RDFs of the coldest inherent structures → s2(S), and
  the collapse variables of eqs. 7–8.  Written to ``analysis/system_delta<Δ>_rho<ρ>.json``.
* ``make_figures`` (all jobs): Figures 1–6 (PNG and PDF) in ``figures/``, the results
  table ``results/results.csv`` (also ``project.doc["results"]``) and, per job, the
  dashboard's ``dynamics.png`` and ``rearrangements.png``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from flow import aggregator

from .directives import analysis_directives
from .flowproject import Project
from .guard import exclusive
from .simulation import parameters
from .softness import has_softness
from .storage import checked_input, has_record, read_record, set_record

ANALYSIS_DIR = "analysis"
FIGURES_DIR = "figures"
RESULTS_DIR = "results"
#: eqs. 7–8 need ln P_R(T_A) clearly below 0; above this (P_R(T_A) > 0.9) they are skipped
COLLAPSE_MAX_LOG_P = math.log(0.9)
FIGURES = ("figure1", "figure2", "figure3", "figure4", "figure5", "figure6")
#: the strata edges (5th/95th percentiles of S and s2 over a system) come from at most
#: this many values per job, at a regular stride: exact below (the smoke and demo
#: profiles), far below the bin width at the paper scale (2.6e7 values per job)
EDGE_SAMPLE_PER_JOB = 1_000_000


#: per-job records averaged per temperature in the system analysis (``per_T``)
DYNAMICS_FIELDS = ("D_A", "D_A_reduced")
SOFTNESS_FIELDS = (
    "mean_S",
    "s2_global",
    "pearson_S_s2",
    "P_S_positive_given_R",
    "P_R_given_S_positive",
)


def softness_file(job) -> str:
    return checked_input(job, "softness.h5", "softness", "compute_softness_and_s2")


def system_file(job) -> Path:
    sp = job.cached_statepoint
    name = f"system_delta{sp['delta']}_rho{sp['rho']}.json"
    return Path(job.project.path) / ANALYSIS_DIR / name


def has_system_analysis(*jobs) -> bool:
    return all(system_file(j).exists() for j in jobs)


def has_figures(*jobs) -> bool:
    project = jobs[0].project
    root = Path(project.path)
    return (
        has_record(project, "results")
        and (root / RESULTS_DIR / "results.csv").exists()
        and all((root / FIGURES_DIR / f"{name}.png").exists() for name in FIGURES)
        and all(job.isfile("rearrangements.png") for job in jobs)
    )


def _strata_fits(temps, replicas, probabilities, mask):
    """P_R[T, bin] per replica (from each job's per-bin P_R), fits per bin (replicas
    combined), T_A."""
    import numpy as np

    from ..analysis.arrhenius import combine_replicas, crossover_temperature, fit_arrhenius

    t_values = np.array(sorted(set(temps)))
    rep_values = sorted(set(replicas))
    n_bins = len(probabilities[0])
    pr = np.full((len(rep_values), len(t_values), n_bins), np.nan)
    for t, r, p in zip(temps, replicas, probabilities, strict=True):
        pr[rep_values.index(r), list(t_values).index(t)] = p
    fits = [
        combine_replicas(
            [fit_arrhenius(t_values[mask], pr[i, mask, b]) for i in range(len(rep_values))]
        )
        for b in range(n_bins)
    ]
    sigmas = np.array([f.sigma for f in fits])
    energies = np.array([f.energy for f in fits])
    cross = crossover_temperature(sigmas, energies)
    return t_values, np.nanmean(pr, axis=0), fits, cross


def _rearrangement_arrays(job, p_soft: float):
    """S and local s2 of the A particles at the phop frames, and whether each is
    rearranging (phop > p_S): (frames × A) arrays of one job."""
    from .storage import read_h5

    data = read_h5(softness_file(job), "compute_softness_and_s2")
    phop = read_h5(checked_input(job, "phop.h5", "phop", "compute_phop"), "compute_phop")
    rows = phop["frames"]
    return data["softness"][rows], data["s2_local"][rows], phop["phop"] > p_soft


def collapse_record(strata: dict, s2_of_s: list[float]) -> dict:
    """Eqs. 7–8 per softness stratum, rescaled by the system's ln P_R(T_A).

    ln P_R(T_A) is the median over the strata's Arrhenius lines at T_A (they nearly
    cross there).  When it is above ``COLLAPSE_MAX_LOG_P`` (P_R(T_A) > 0.9: T_A lies where
    rearrangement saturates) the rescaling divides by ~0: the values are left out (NaN)
    and flagged.
    """
    import numpy as np

    from ..analysis.arrhenius import ArrheniusFit, barrier_collapse

    t_a = strata["T_A"]
    fits = [
        ArrheniusFit(sg, en, 0.0, 0.0)
        for sg, en in zip(strata["sigma"], strata["energy"], strict=True)
    ]
    log_p = float(np.median([f.log_probability(t_a) for f in fits])) if np.isfinite(t_a) else np.nan
    ok = bool(np.isfinite(log_p) and log_p < COLLAPSE_MAX_LOG_P)
    entropic, energetic = [], []
    for fit in fits:
        if ok:
            entropy_term, energy_term = barrier_collapse(fit, t_a, log_p)
            entropic.append(entropy_term)
            energetic.append(energy_term)
        else:
            entropic.append(np.nan)
            energetic.append(np.nan)
    return {
        "log_P_R_at_T_A": log_p,
        "well_conditioned": ok,
        "entropic": entropic,
        "energetic": energetic,
        "s2": s2_of_s,
    }


@Project.pre(lambda *jobs: all(has_softness(j) for j in jobs))
@Project.post(has_system_analysis)
@Project.operation(
    aggregator=aggregator.groupby(["delta", "rho"], sort_by="T"),
    directives=analysis_directives(),
)
@exclusive(has_system_analysis)
def fit_arrhenius_barriers(*jobs):
    """Arrhenius barriers per softness and per local-s2 stratum, T_A, s2(S) (paper §III)."""
    import gsd.hoomd
    import numpy as np

    from ..analysis.arrhenius import strata_edges, stratum_probabilities, supercooled_mask
    from ..analysis.streaming import RunningCorrelation, stride_sample
    from ..analysis.structure import RDFGrid, grouped_rdfs, pair_excess_entropy
    from ..gsd_io import from_frame
    from .storage import atomic_json, read_h5

    params = parameters(jobs[0])
    sp0 = jobs[0].cached_statepoint
    temps = [j.cached_statepoint["T"] for j in jobs]
    replicas = [j.cached_statepoint["replica"] for j in jobs]
    # two passes, one job in memory at a time (module docstring of analysis.streaming):
    # 1. samples for the strata edges, P_R per job, the pooled correlation of S and s2
    samples: dict[str, list] = {"S": [], "s2": []}
    pr_job, pooled = [], RunningCorrelation()
    for job in jobs:
        s_rows, s2_rows, rearranging = _rearrangement_arrays(job, params["p_soft"])
        samples["S"].append(stride_sample(s_rows, EDGE_SAMPLE_PER_JOB))
        samples["s2"].append(stride_sample(s2_rows, EDGE_SAMPLE_PER_JOB))
        pr_job.append(float(rearranging.mean()))
        pooled.add(s_rows, s2_rows)
    edges = {name: strata_edges(np.concatenate(v)) for name, v in samples.items()}
    # 2. P_R per stratum of S and of s2, per job
    per_bin: dict[str, list] = {"S": [], "s2": []}
    for job in jobs:
        s_rows, s2_rows, rearranging = _rearrangement_arrays(job, params["p_soft"])
        for name, values in (("S", s_rows), ("s2", s2_rows)):
            per_bin[name].append(stratum_probabilities(values, rearranging, edges[name])[0])
    t_values = np.array(sorted(set(temps)))
    overall = np.array(
        [np.mean([p for t, p in zip(temps, pr_job, strict=True) if t == tv]) for tv in t_values]
    )
    mask, criterion_met = supercooled_mask(t_values, overall, params["arrhenius_max_pr"])
    result: dict = {
        "delta": sp0["delta"],
        "rho": sp0["rho"],
        "temperatures": t_values,
        "P_R_overall": overall,
        "supercooled": mask,
        "supercooled_criterion_met": criterion_met,
    }
    for name in ("S", "s2"):
        _, pr, fits, cross = _strata_fits(temps, replicas, per_bin[name], mask)
        result[name] = {
            "edges": edges[name],
            "centres": 0.5 * (edges[name][1:] + edges[name][:-1]),
            "P_R": pr,
            "sigma": [f.sigma for f in fits],
            "energy": [f.energy for f in fits],
            "sigma_error": [f.sigma_error for f in fits],
            "energy_error": [f.energy_error for f in fits],
            "T_A": cross.T_A,
            "T_A_spread": cross.spread,
            "T_A_crossings": cross.crossings,
            "T_A_rejected": cross.n_rejected,
        }
    # softness-stratum RDFs of the coldest inherent structures → s2 per stratum (Fig. 5)
    coldest = [j for j in jobs if j.cached_statepoint["T"] == t_values[0]]
    edges = np.asarray(result["S"]["edges"])
    frames, groups = [], []
    for job in coldest:
        data = read_h5(softness_file(job), "compute_softness_and_s2")
        inherent = checked_input(job, "inherent.gsd", "inherent_structures", "fire_minimize")
        with gsd.hoomd.open(inherent, mode="r") as inh:
            picks = np.unique(np.linspace(0, len(inh) - 1, min(20, len(inh))).astype(int))
            for k in picks:
                conf = from_frame(inh[int(k)])
                labels = np.full(conf.n_particles, -1)
                s = data["softness"][k]
                inside = (s >= edges[0]) & (s <= edges[-1])
                bins = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 2)
                labels[data["a_index"][inside]] = bins[inside]
                frames.append((conf.box_length, conf.positions, conf.typeid))
                groups.append(labels)
    rdf_grid = RDFGrid(params["rdf_r_max"], params["rdf_bin_width"])
    r, g = grouped_rdfs(frames, groups, len(edges) - 1, rdf_grid)
    n = frames[0][2]
    densities = np.array([np.sum(n == k) for k in (0, 1)]) / frames[0][0] ** 3
    s2_of_s = [pair_excess_entropy(r, g[b], densities) for b in range(len(edges) - 1)]
    result["grouped_rdf"] = {"r": r, "g": g, "T": t_values[0], "s2": s2_of_s}
    result["collapse"] = collapse_record(result["S"], s2_of_s)
    dyn = {j.id: read_record(j, "dynamics", "dynamics", DYNAMICS_FIELDS) for j in jobs}
    sft = {
        j.id: read_record(j, "softness", "compute_softness_and_s2", SOFTNESS_FIELDS) for j in jobs
    }

    by_t = {t: [j for j in jobs if j.cached_statepoint["T"] == t] for t in t_values}

    def per_t(records: dict, key: str, mean) -> list:
        return [
            mean(np.array([records[j.id][key] for j in by_t[t]], dtype=float)) for t in t_values
        ]

    result["per_T"] = {"T": t_values}
    for key in DYNAMICS_FIELDS:
        result["per_T"][key] = per_t(dyn, key, np.nanmean)
    for key in SOFTNESS_FIELDS:
        result["per_T"][key] = per_t(sft, key, np.mean)
    result["pearson_S_s2"] = pooled.pearson
    result["model"] = read_record(jobs[0], "softness_model", "train_svm")
    path = system_file(jobs[0])
    path.parent.mkdir(exist_ok=True)
    atomic_json(path, result)


def load_systems(project) -> list[dict]:
    """Every per-system analysis record, sorted by Δ."""
    files = sorted((Path(project.path) / ANALYSIS_DIR).glob("system_*.json"))
    return sorted((json.loads(f.read_text()) for f in files), key=lambda d: d["delta"])


@Project.pre(lambda *jobs: has_system_analysis(*jobs))
@Project.post(has_figures)
@Project.operation(aggregator=aggregator(), directives=analysis_directives())
@exclusive(has_figures)
def make_figures(*jobs):
    """Figures 1–6 of the paper and the results table from the whole data space."""
    from ..plotting.figures import make_all_figures, results_table
    from ..plotting.job_plots import job_plots

    project = jobs[0].project
    for job in jobs:
        job_plots(job)
    systems = load_systems(project)
    root = Path(project.path)
    make_all_figures(project, systems, root / FIGURES_DIR)
    rows = results_table(systems, root / RESULTS_DIR / "results.csv")
    set_record(project, "results", rows)
