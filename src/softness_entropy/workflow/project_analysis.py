"""Project-level analysis (paper §III): per-system barriers, T_A, s2(S); figures.

* ``fit_arrhenius_barriers`` (per system (Δ, ρ)): strata of S and of local s2 (5 equal
  bins between the system's 5th and 95th percentiles, pooled over its temperatures),
  P_R per stratum and temperature (phop > p_S, A particles, every phop frame), Arrhenius
  fits over the reference window (``arrhenius_window``: the same reference temperatures
  T_ref 0.45–0.64 in every system, :mod:`..analysis.reference`; the three coldest,
  flagged, where a ladder has fewer than three there), T_A from the strata's crossings,
  the classification accuracy and ρ(S, s2) per temperature with bootstrap errors,
  the softness-stratum RDFs of the coldest inherent structures → s2(S), the collapse
  variables of eqs. 7–8, and the same analysis under each open convention (the
  sensitivity rows; :mod:`.retrained` for those that retrain the model).  Written to
  ``analysis/system_delta<Δ>_rho<ρ>.json``.
* ``make_figures`` (all jobs): Figures 1–6 (PNG and PDF) in ``figures/``, the results
  table ``results/results.csv`` (also ``project.doc["results"]``) and, per job, the
  dashboard's ``dynamics.png`` and ``rearrangements.png``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conditions import figure_inputs
from .parameters import AUTHORS_PR_ANALYSIS, reference_scale
from .parameters import job_parameters as parameters
from .pipeline import stage
from .products import (
    ANALYSIS_DIR,
    DYNAMICS,
    DYNAMICS_PLOT,
    EQUILIBRATED,
    FIGURES_DIR,
    INHERENT,
    PHOP,
    REARRANGEMENTS_PLOT,
    RESULTS_CSV,
    SOFTNESS,
    SYSTEM_SCHEMA,
    system_file,
)
from .provenance import made_from
from .storage import document, read_record, set_record

#: the strata edges (5th/95th percentiles of S and s2 over a system) come from at most
#: this many values per job, at a regular stride: exact below (the smoke and demo
#: profiles), far below the bin width at the paper scale (2.6e7 values per job)
EDGE_SAMPLE_PER_JOB = 1_000_000


#: per-job records averaged per temperature in the system analysis (``per_T``)
DYNAMICS_FIELDS = ("D_A", "D_A_reduced", "tau_alpha")
SOFTNESS_FIELDS = (
    "mean_S",
    "s2_global",
    "pearson_S_s2_is_frames",
    "P_S_positive_given_R",
    "P_R_given_S_positive",
)


#: the alternative conventions the validation report varies, one at a time from the
#: data space's parameters, and the authors' P_R-analysis choices at once (the softness
#: model itself — its training events' phop label, its training temperatures — is the
#: data space's in every row: varying it means re-training)
CONVENTIONS: dict[str, dict] = {
    "phop window labelled by its start": {"phop_label": "start"},
    "phop window labelled by its centre": {"phop_label": "centre"},
    "P_R from every 10th frame": {"pr_frame_stride": 10},
    "ten strata": {"strata_bins": 10},
    "fits over the reference window T_ref 0.45–0.64": {"arrhenius_window": "reference"},
    "fits over the 9 coldest T": {"arrhenius_window": "coldest"},
    "fits where P_R ≤ 0.5": {"arrhenius_window": "pr_max"},
    "fits below the D_A departure": {"arrhenius_window": "D_A"},
    "fits below the τα departure": {"arrhenius_window": "tau_alpha"},
    "authors' T_A estimator": {"t_a_method": "authors"},
    "Tukey-fence T_A": {"t_a_method": "median_iqr"},
    "ln of the mean P_R(T_A)": {"collapse_log_p": "log_mean"},
    "unweighted fits of ln P_R": {"arrhenius_weighting": "unweighted"},
    "binomial fits of P_R": {"arrhenius_weighting": "binomial"},
    "authors' P_R analysis (label, stride, ten strata, reference window, unweighted, T_A, "
    "ln P_R)": AUTHORS_PR_ANALYSIS,
}
#: bootstrap replicates of the sensitivity rows (the default analysis uses the
#: ``bootstrap_samples`` parameter)
SENSITIVITY_BOOTSTRAP = 50


def _rearrangement_arrays(job, p_soft: float) -> dict:
    """Per phop label ("centre", "start"): S and local s2 of the A particles at the
    labelled frames, and whether each is rearranging (phop > p_S), (rows × A) arrays."""
    import numpy as np

    from ..files import read_h5

    data = read_h5(SOFTNESS.fn(job), SOFTNESS.writer)
    phop = read_h5(PHOP.fn(job), PHOP.writer)
    rows = np.arange(len(phop["phop"]))
    h = int(phop["attrs/half_window"])
    rearranging = phop["phop"] > p_soft
    out = {}
    for name, offset in (("centre", h), ("start", 0)):
        frames = rows + offset
        out[name] = (data["softness"][frames], data["s2_local"][frames], rearranging)
    return out


def fitted_temperatures(params: dict, t_values, overall_pr, onsets: dict, scale: float) -> tuple:
    """(mask over the ascending ``t_values``, criterion met) of the Arrhenius fits
    (parameter ``arrhenius_window``; ``onsets``: the :class:`Departure` of τα and of
    D_A; ``scale``: T / T_ref of the system); the three coldest, flagged, if fewer than
    three qualify."""
    import numpy as np

    from ..analysis.arrhenius import at_least_coldest, supercooled_mask
    from ..analysis.reference import in_reference_window

    window = params["arrhenius_window"]
    if window == "reference":
        inside = in_reference_window(t_values, scale, tuple(params["reference_window"]))
        return at_least_coldest(t_values, inside)
    if window == "pr_max":
        return supercooled_mask(t_values, overall_pr, params["arrhenius_max_pr"])
    if window == "coldest":
        mask = np.zeros(len(t_values), bool)
        mask[np.argsort(t_values)[: params["arrhenius_coldest_n"]]] = True
        return mask, bool(len(t_values) >= params["arrhenius_coldest_n"])
    return at_least_coldest(t_values, onsets[window].supercooled)


def strata_analysis(params: dict, counts: dict, t_values, overall_pr, onsets: dict, seed: int,
                    scale: float, n_bootstrap: int | None = None) -> dict:  # fmt: skip
    """Both strata analyses (S and s2) of a system under the conventions in ``params``.

    ``counts[(label, quantity, bins)]``: the per-job :class:`JobCounts` lists."""

    from ..analysis.barriers import analyse_strata, window_bound

    mask, met = fitted_temperatures(params, t_values, overall_pr, onsets, scale)
    block = max(1, round(params["bootstrap_block"] / params["frame_interval"]))
    warmer = t_values[t_values > t_values[mask].max()] if mask.any() else []
    spacing = float(warmer.min() - t_values[mask].max()) if len(warmer) else 0.0
    out = {"fitted": mask, "criterion_met": met}
    for name in ("S", "s2"):
        res = analyse_strata(
            counts[(params["phop_label"], name, params["strata_bins"])],
            t_values[mask],
            t_a_method=params["t_a_method"],
            log_p_method=params["collapse_log_p"],
            weighting=params["arrhenius_weighting"],
            stride=params["pr_frame_stride"],
            block=block,
            n_bootstrap=params["bootstrap_samples"] if n_bootstrap is None else n_bootstrap,
            seed=seed,
        )
        res["window_bound"] = window_bound(res, spacing)
        out[name] = res
    return out


def diffusion_where_measured(fields: dict, record: dict) -> dict:
    """``fields`` of a job's dynamics record with D_A and D*_A (and their errors) left
    out (NaN) where its window was not run to the MSD target (``dynamics_msd_where``):
    there the MSD stops short of the diffusive regime and D_A is not a measurement."""
    if record.get("msd_target_required", True):
        return fields
    nan = float("nan")
    return {**fields, **{k: nan for k in ("D_A", "D_A_error", "D_A_reduced",
                                          "D_A_reduced_error")}}  # fmt: skip


def sensitivity_row(label: str, change: dict, alt: dict | None, t_values) -> dict:
    """One row of the sensitivity table from a :func:`strata_analysis` (``alt``; None:
    the convention could not be analysed, its values missing)."""
    keys = ("T_A", "T_A_error", "spread_decades", "spread_decades_error", "log_P_R_at_T_A",
            "window_bound", "T_A_without_warmest", "T_A_without_coldest")  # fmt: skip
    if alt is None:
        return {"convention": label, "changes": change, "fitted_T": [],
                **{f"{k}_{n}": None for n in ("S", "s2") for k in keys}}  # fmt: skip
    return {
        "convention": label,
        "changes": change,
        "fitted_T": t_values[alt["fitted"]],
        **{f"{k}_{name}": alt[name][k] for name in ("S", "s2") for k in keys},
        "entropic_S": alt["S"]["entropic"],
        "energetic_S": alt["S"]["energetic"],
    }


def retrained_rows(jobs, params, blocks, t_values, overall, onsets, seed, scale) -> list[dict]:
    """The sensitivity rows that retrain the softness model (:mod:`.retrained`)."""
    from .retrained import RETRAINED, retrained_strata

    rows = []
    for label, change in RETRAINED.items():
        alt_params = {**params, **change}
        try:
            counts = retrained_strata(jobs, alt_params, blocks, seed)
        except ValueError as err:  # too few training examples under these conventions
            rows.append(sensitivity_row(f"{label} — not trained: {err}", change, None, t_values))
            continue
        alt = strata_analysis({**alt_params, "pr_frame_stride": 1}, counts, t_values, overall,
                              onsets, seed, scale, SENSITIVITY_BOOTSTRAP)  # fmt: skip
        rows.append(sensitivity_row(label, change, alt, t_values))
    return rows


def seed_spread(jobs) -> float:
    """Standard deviation over the SVM seeds (train_svm's models) of ρ(S, s2) over all
    inherent-structure frames, averaged over ``jobs`` (the replicas of one state); NaN
    without robustness models."""
    import numpy as np

    values = []
    for job in jobs:
        record = document(job)["softness"]
        values.append([record["pearson_S_s2_is_frames"], *record.get("pearson_S_s2_seeds", [])])
    if len({len(v) for v in values}) != 1:
        return float("nan")  # replicas scored by models with different seed counts
    per_seed = np.nanmean(np.array(values, dtype=float), axis=0)
    return float(np.std(per_seed, ddof=1)) if len(per_seed) > 1 else float("nan")


def state_statistics(state_sums: dict, t_values, scale: float, params: dict, seed: int) -> dict:
    """Per temperature (ascending): the classification accuracy and ρ(S, s2) of the
    pooled replicas with block-bootstrap errors (:mod:`..analysis.state_statistics`)."""
    from ..analysis.state_statistics import accuracy, bootstrap_statistic, pearson

    out: dict[str, list] = {"T": list(t_values), "T_ref": list(t_values / scale)}
    for t in t_values:
        values = {
            **bootstrap_statistic(state_sums["accuracy"][t], accuracy,
                                  params["bootstrap_samples"], seed),
            **bootstrap_statistic(state_sums["correlation"][t], pearson,
                                  params["bootstrap_samples"], seed),
        }  # fmt: skip
        for key, value in values.items():
            out.setdefault(key, []).append(value)
    return out


def _grouped_s2(jobs, t_value, edges, params) -> dict:
    """Softness-stratum RDFs of up to ``s2_strata_frames`` inherent structures per job
    at ``t_value`` → s2 of each stratum (Fig. 5)."""
    import gsd.hoomd
    import numpy as np

    from ..analysis.strata import bin_index
    from ..analysis.structure import RDFGrid, grouped_rdfs, pair_excess_entropy
    from ..files import read_h5
    from ..gsd_io import from_frame

    frames, groups = [], []
    for job in [j for j in jobs if j.cached_statepoint["T"] == t_value]:
        data = read_h5(SOFTNESS.fn(job), SOFTNESS.writer)
        inherent = INHERENT.fn(job)
        with gsd.hoomd.open(inherent, mode="r") as inh:
            picks = np.unique(
                np.linspace(0, len(inh) - 1, min(params["s2_strata_frames"], len(inh))).astype(int)
            )
            for k in picks:
                conf = from_frame(inh[int(k)])
                labels = np.full(conf.n_particles, -1)
                labels[data["a_index"]] = bin_index(data["softness"][k], edges)
                frames.append((conf.box_length, conf.positions, conf.typeid))
                groups.append(labels)
    rdf_grid = RDFGrid(params["rdf_r_max"], params["rdf_bin_width"])
    r, g = grouped_rdfs(frames, groups, len(edges) - 1, rdf_grid)
    n = frames[0][2]
    densities = np.array([np.sum(n == k) for k in (0, 1)]) / frames[0][0] ** 3
    s2 = [pair_excess_entropy(r, g[b], densities) for b in range(len(edges) - 1)]
    return {"r": r, "g": g, "T": t_value, "s2": s2}


def collapse_record(strata: dict, s2_of_s: list[float]) -> dict:
    """Eqs. 7–8 per softness stratum, rescaled by the system's ln P_R(T_A).

    When ln P_R(T_A) is not clearly below zero (within ``COLLAPSE_MIN_SIGMAS`` of its
    bootstrap σ: the rescaling would divide by a number consistent with zero) the
    values are left out (NaN) and flagged.
    """
    from ..analysis.validation import collapse_kept

    ok = collapse_kept({"S": strata})
    nan = [float("nan")] * len(s2_of_s)
    return {
        "log_P_R_at_T_A": strata["log_P_R_at_T_A"],
        "log_P_R_at_T_A_interval": strata["log_P_R_at_T_A_interval"],
        "well_conditioned": ok,
        "entropic": list(strata["entropic"]) if ok else nan,
        "energetic": list(strata["energetic"]) if ok else nan,
        "entropic_interval": strata["entropic_interval"],
        "energetic_interval": strata["energetic_interval"],
        "s2": s2_of_s,
    }


@stage
def fit_arrhenius_barriers(*jobs):
    """Strata of S and local s2, P_R(T), Arrhenius barriers, T_A, the collapse, with
    bootstrap intervals, and their sensitivity to the open conventions (paper §III)."""
    import numpy as np

    from ..analysis.barriers import JobCounts
    from ..analysis.onset import arrhenius_departure
    from ..analysis.state_statistics import FrameSums, accuracy_sums, correlation_sums
    from ..analysis.strata import frame_counts, strata_edges
    from ..analysis.streaming import RunningCorrelation, stride_sample
    from ..files import atomic_json

    params = parameters(jobs[0])
    sp0 = jobs[0].cached_statepoint
    seed = round(1000 * sp0["delta"])
    # two passes, one job in memory at a time (module docstring of analysis.streaming):
    # 1. samples for the strata edges, P_R per job, the pooled correlation of S and s2
    samples: dict[str, list] = {"S": [], "s2": []}
    pr_job, pooled = [], RunningCorrelation()
    for job in jobs:
        s_rows, s2_rows, rearranging = _rearrangement_arrays(job, params["p_soft"])[
            params["phop_label"]
        ]
        samples["S"].append(stride_sample(s_rows, EDGE_SAMPLE_PER_JOB))
        samples["s2"].append(stride_sample(s2_rows, EDGE_SAMPLE_PER_JOB))
        pr_job.append(float(rearranging.mean()))
        pooled.add(s_rows, s2_rows)
    all_bins = sorted({params["strata_bins"], 5, 10})
    edges = {(name, b): strata_edges(np.concatenate(v), b)
             for name, v in samples.items() for b in all_bins}  # fmt: skip
    # 2. per-frame strata counts of every job, for both phop labels and both binnings;
    # each job's bootstrap block: max(bootstrap_block, τα) — a particle's softness and
    # its rearrangements stay correlated for ~τα
    blocks = {}
    for job in jobs:
        tau = read_record(job, "dynamics", "dynamics", ("tau_alpha",))["tau_alpha"]
        span = max(params["bootstrap_block"], tau if tau is not None and tau == tau else 0.0)
        blocks[job.id] = max(1, round(span / params["frame_interval"]))
    counts: dict[tuple, list] = {}
    state_sums: dict[str, dict[float, list]] = {"accuracy": {}, "correlation": {}}
    for job in jobs:
        sp = job.cached_statepoint
        for label, (s_rows, s2_rows, rearranging) in _rearrangement_arrays(
            job, params["p_soft"]
        ).items():
            if label == params["phop_label"]:
                for kind, sums in (
                    ("accuracy", accuracy_sums(s_rows, rearranging)),
                    ("correlation", correlation_sums(s_rows, s2_rows)),
                ):
                    state_sums[kind].setdefault(sp["T"], []).append(
                        FrameSums(sums, blocks[job.id]))  # fmt: skip
            for (name, b), e in edges.items():
                values = s_rows if name == "S" else s2_rows
                hits, n = frame_counts(values, rearranging, e)
                counts.setdefault((label, name, b), []).append(
                    JobCounts(sp["T"], sp["replica"], hits, n, blocks[job.id])
                )
    temps = [j.cached_statepoint["T"] for j in jobs]
    t_values = np.array(sorted(set(temps)))
    overall = np.array(
        [np.mean([p for t, p in zip(temps, pr_job, strict=True) if t == tv]) for tv in t_values]
    )
    dyn = {j.id: diffusion_where_measured(read_record(j, "dynamics", "dynamics", DYNAMICS_FIELDS),
                                          document(j)["dynamics"]) for j in jobs}  # fmt: skip
    sft = {
        j.id: read_record(j, "softness", "compute_softness_and_s2", SOFTNESS_FIELDS) for j in jobs
    }
    by_t = {t: [j for j in jobs if j.cached_statepoint["T"] == t] for t in t_values}

    def per_t(records: dict, key: str) -> np.ndarray:
        return np.array([np.nanmean(np.array([records[j.id].get(key, np.nan) for j in by_t[t]],
                                             dtype=float)) for t in t_values])  # fmt: skip

    def per_t_error(records: dict, key: str) -> np.ndarray:
        # replicas' standard error where there are several, else the job's own error
        out = []
        for t in t_values:
            v = np.array([records[j.id].get(key, np.nan) for j in by_t[t]], dtype=float)
            e = np.array([records[j.id].get(f"{key}_error", np.nan) for j in by_t[t]], float)
            out.append(np.nanstd(v, ddof=1) / np.sqrt(len(v)) if len(v) > 1
                       else float(e[0]))  # fmt: skip
        return np.array(out)

    d_a, d_a_err = per_t(dyn, "D_A"), per_t_error(dyn, "D_A")
    converged = np.array([all(document(j)["dynamics"].get("target_reached", False)
                              for j in by_t[t]) for t in t_values])  # fmt: skip
    departure = arrhenius_departure(
        t_values, d_a, d_a_err, n_hot=params["onset_n_hot"], departure=params["onset_departure"]
    )
    tau = per_t(dyn, "tau_alpha")
    departure_tau = arrhenius_departure(
        t_values, 1.0 / tau, per_t_error(dyn, "tau_alpha") / tau**2,
        n_hot=params["onset_n_hot"], departure=params["onset_departure"],
    )  # fmt: skip
    onsets = {"D_A": departure, "tau_alpha": departure_tau}
    scale = reference_scale(jobs[0].project, sp0["delta"], sp0["rho"])
    main = strata_analysis(params, counts, t_values, overall, onsets, seed, scale)
    result: dict = {
        "schema": SYSTEM_SCHEMA,
        "delta": sp0["delta"],
        "rho": sp0["rho"],
        "jobs": sorted(j.id for j in jobs),
        "made_from": made_from(jobs, SOFTNESS.record),
        "temperatures": t_values,
        "P_R_overall": overall,
        "supercooled": main["fitted"],
        "supercooled_criterion_met": main["criterion_met"],
        "conventions": {
            k: params[k]
            for k in (
                "phop_label",
                "pr_frame_stride",
                "strata_bins",
                "arrhenius_window",
                "reference_window",
                "arrhenius_weighting",
                "t_a_method",
                "collapse_log_p",
            )
        },
        "reference_scale": scale,
        "T_ref": t_values / scale,
        "replicas": max(len(v) for v in by_t.values()),
        "onset_from_D_A": {
            "T_onset": departure.onset,
            "bracket": departure.bracket,
            "supercooled": departure.supercooled,
            "activation_energy": departure.activation_energy,
            "n_liquid": departure.n_liquid,
            "deviation": departure.deviation,
        },
        "onset_from_tau_alpha": {
            "T_onset": departure_tau.onset,
            "bracket": departure_tau.bracket,
            "supercooled": departure_tau.supercooled,
            "activation_energy": departure_tau.activation_energy,
            "deviation": departure_tau.deviation,
        },
    }
    for name in ("S", "s2"):
        e = edges[(name, params["strata_bins"])]
        result[name] = {"edges": e, "centres": 0.5 * (e[1:] + e[:-1]), **main[name]}
    # softness-stratum RDFs of the inherent structures → s2 per stratum (Fig. 5), at the
    # coldest temperature and at the warmest fitted one (insensitivity to T)
    s_edges = edges[("S", params["strata_bins"])]
    result["grouped_rdf"] = _grouped_s2(jobs, t_values[0], s_edges, params)
    warm = t_values[main["fitted"]].max()
    result["grouped_rdf_warm"] = (
        _grouped_s2(jobs, warm, s_edges, params) if warm != t_values[0] else None
    )
    result["collapse"] = collapse_record(result["S"], result["grouped_rdf"]["s2"])
    # the same analysis under each alternative convention (validation report)
    rows = []
    for label, change in CONVENTIONS.items():
        if all(params[k] == v for k, v in change.items()):
            continue  # the default itself
        alt = strata_analysis({**params, **change}, counts, t_values, overall, onsets,
                              seed, scale, SENSITIVITY_BOOTSTRAP)  # fmt: skip
        rows.append(sensitivity_row(label, change, alt, t_values))
    if params["sensitivity_retrain"] == "yes":
        rows += retrained_rows(jobs, params, blocks, t_values, overall, onsets, seed, scale)
    result["sensitivity"] = rows
    result["states"] = state_statistics(state_sums, t_values, scale, params, seed)
    result["states"]["pearson_S_s2_seed_spread"] = [seed_spread(by_t[t]) for t in t_values]
    result["per_T"] = {"T": t_values, "D_A_error": d_a_err, "dynamics_converged": converged,
                       "tau_alpha_error": per_t_error(dyn, "tau_alpha")}  # fmt: skip
    for key in DYNAMICS_FIELDS:
        result["per_T"][key] = per_t(dyn, key)
    for key in SOFTNESS_FIELDS:
        result["per_T"][key] = per_t(sft, key)
    # over the pooled (A particle, sampled frame) rows of the strata analysis; each
    # job's own ρ over all its inherent-structure frames is per_T["pearson_S_s2_is_frames"]
    result["pearson_S_s2"] = pooled.pearson
    result["model"] = read_record(jobs[0], "softness_model", "train_svm")
    path = system_file(jobs[0])
    path.parent.mkdir(exist_ok=True)
    atomic_json(path, result)


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
