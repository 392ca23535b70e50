"""The barrier analysis of one system (Δ, ρ) (paper §III): records in, record out.

:func:`analyse_system` takes one :class:`StateInput` per state (a job: its temperature,
replica, dynamics and softness records, and readers of its per-particle arrays) and the
run parameters, and returns the system's record:

* strata of S and of local s2 (``strata_bins`` equal bins between the system's 5th and
  95th percentiles, pooled over its temperatures), P_R per stratum and temperature
  (phop > p_S, A particles, every ``pr_frame_stride``-th phop frame), Arrhenius fits over
  the window ``arrhenius_window`` (default: the same reference temperatures T_ref
  0.45–0.64 in every system, :mod:`.reference`; the three coldest, flagged, where a
  ladder has fewer than three there), T_A from the strata's crossings, with block
  bootstrap intervals (:mod:`softness_entropy.analysis.barriers`);
* the classification accuracy and ρ(S, s2) per temperature with bootstrap errors
  (:mod:`.state_statistics`), and per-temperature means of the dynamics and softness
  records;
* the onsets of super-Arrhenius D_A and τα (:mod:`.onset`);
* s2 of the softness strata from their RDFs in the coldest inherent structures (Fig. 5)
  and the collapse variables of eqs. 7–8;
* the same analysis under each alternative convention it is given (the sensitivity
  rows of the validation report).

The states' arrays are read twice, one state in memory at a time (:mod:`.streaming`):
first for the strata edges, P_R and the pooled ρ(S, s2); then for the per-frame strata
counts.  Nothing here reads a file or knows signac: the readers are given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .barriers import JobCounts, analyse_strata, window_bound
from .onset import arrhenius_departure
from .state_statistics import (
    FrameSums,
    accuracy,
    accuracy_sums,
    bootstrap_statistic,
    correlation_sums,
    pearson,
)
from .strata import bin_index, frame_counts, strata_edges
from .streaming import RunningCorrelation, stride_sample

#: the strata edges (5th/95th percentiles of S and s2 over a system) come from at most
#: this many values per job, at a regular stride: exact below (the smoke and demo
#: profiles), far below the bin width at the paper scale (2.6e7 values per job)
EDGE_SAMPLE_PER_JOB = 1_000_000
#: per-job records averaged per temperature in the system record (``per_T``)
DYNAMICS_FIELDS = ("D_A", "D_A_reduced", "tau_alpha")
SOFTNESS_FIELDS = (
    "mean_S",
    "s2_global",
    "pearson_S_s2_is_frames",
    "P_S_positive_given_R",
    "P_R_given_S_positive",
)
#: bootstrap replicates of the sensitivity rows (the default analysis uses the
#: ``bootstrap_samples`` parameter)
SENSITIVITY_BOOTSTRAP = 50
#: the parameters that choose how P_R is analysed, recorded with every system
CONVENTION_KEYS = (
    "phop_label",
    "pr_frame_stride",
    "strata_bins",
    "arrhenius_window",
    "reference_window",
    "arrhenius_weighting",
    "t_a_method",
    "collapse_log_p",
)

#: (S rows, local s2 rows, rearranging) of a state's A particles at its labelled phop
#: frames, (rows × N_A) arrays, per phop label ("centre", "start")
Rows = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
#: up to n inherent structures of a state: (box length, positions, typeid), the softness
#: of its A particles, and their particle indices
StrataFrames = list[tuple[tuple[float, np.ndarray, np.ndarray], np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class StateInput:
    """One state (job) of a system, as the analysis sees it.

    Attributes
    ----------
    id : the state's name (job id); T : temperature (ε_AA/k_B); replica : its replica.
    dynamics : its dynamics record (D_A, τα … with errors; ``target_reached``;
        ``msd_target_required``).
    softness : its softness record (mean S, s2, ρ(S, s2), accuracies, seed ρ).
    rows : reader of its :data:`Rows`, called once per pass.
    strata_frames : reader of up to n of its inherent structures (:data:`StrataFrames`).
    """

    id: str
    T: float
    replica: int
    dynamics: dict
    softness: dict
    rows: Callable[[], Rows]
    strata_frames: Callable[[int], StrataFrames]


def diffusion_where_measured(fields: dict, record: dict) -> dict:
    """``fields`` of a job's dynamics record with D_A and D*_A (and their errors) left
    out (NaN) where its window was not run to the MSD target (``dynamics_msd_where``):
    there the MSD stops short of the diffusive regime and D_A is not a measurement."""
    if record.get("msd_target_required", True):
        return fields
    nan = float("nan")
    return {**fields, **{k: nan for k in ("D_A", "D_A_error", "D_A_reduced",
                                          "D_A_reduced_error")}}  # fmt: skip


def bootstrap_blocks(state: StateInput, params: dict) -> int:
    """A state's bootstrap block in frames: max(``bootstrap_block``, τα) — a particle's
    softness and its rearrangements stay correlated for ~τα."""
    tau = state.dynamics["tau_alpha"]
    span = max(params["bootstrap_block"], tau if tau is not None and tau == tau else 0.0)
    return max(1, round(span / params["frame_interval"]))


@dataclass
class StrataCounts:
    """The two passes over a system's states: strata edges per (quantity, bins), the
    per-job strata counts per (label, quantity, bins), the per-temperature sums of the
    accuracy and of ρ(S, s2), each job's P_R, the pooled ρ(S, s2) and the blocks."""

    edges: dict[tuple[str, int], np.ndarray]
    counts: dict[tuple, list[JobCounts]]
    state_sums: dict[str, dict[float, list]]
    pr_job: list[float]
    pooled: RunningCorrelation
    blocks: dict[str, int]


def strata_counts(states: list[StateInput], params: dict) -> StrataCounts:
    """Both passes over the states (module docstring), one state in memory at a time."""
    samples: dict[str, list] = {"S": [], "s2": []}
    pr_job, pooled = [], RunningCorrelation()
    for state in states:
        s_rows, s2_rows, rearranging = state.rows()[params["phop_label"]]
        samples["S"].append(stride_sample(s_rows, EDGE_SAMPLE_PER_JOB))
        samples["s2"].append(stride_sample(s2_rows, EDGE_SAMPLE_PER_JOB))
        pr_job.append(float(rearranging.mean()))
        pooled.add(s_rows, s2_rows)
    all_bins = sorted({params["strata_bins"], 5, 10})
    edges = {(name, b): strata_edges(np.concatenate(v), b)
             for name, v in samples.items() for b in all_bins}  # fmt: skip
    blocks = {state.id: bootstrap_blocks(state, params) for state in states}
    counts: dict[tuple, list] = {}
    state_sums: dict[str, dict[float, list]] = {"accuracy": {}, "correlation": {}}
    for state in states:
        for label, (s_rows, s2_rows, rearranging) in state.rows().items():
            if label == params["phop_label"]:
                for kind, sums in (
                    ("accuracy", accuracy_sums(s_rows, rearranging)),
                    ("correlation", correlation_sums(s_rows, s2_rows)),
                ):
                    state_sums[kind].setdefault(state.T, []).append(
                        FrameSums(sums, blocks[state.id]))  # fmt: skip
            for (name, b), e in edges.items():
                values = s_rows if name == "S" else s2_rows
                hits, n = frame_counts(values, rearranging, e)
                counts.setdefault((label, name, b), []).append(
                    JobCounts(state.T, state.replica, hits, n, blocks[state.id])
                )
    return StrataCounts(edges, counts, state_sums, pr_job, pooled, blocks)


def fitted_temperatures(params: dict, t_values, overall_pr, onsets: dict, scale: float) -> tuple:
    """(mask over the ascending ``t_values``, criterion met) of the Arrhenius fits
    (parameter ``arrhenius_window``; ``onsets``: the :class:`~.onset.Departure` of τα
    and of D_A; ``scale``: T / T_ref of the system); the three coldest, flagged, if
    fewer than three qualify."""
    from .arrhenius import at_least_coldest, supercooled_mask
    from .reference import in_reference_window

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

    ``counts[(label, quantity, bins)]``: the per-job :class:`~.barriers.JobCounts` lists."""
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


@dataclass(frozen=True)
class PerTemperature:
    """Per-state records averaged over the replicas of each temperature (ascending)."""

    t_values: np.ndarray
    by_t: dict[float, list[StateInput]]

    def mean(self, records: dict[str, dict], key: str) -> np.ndarray:
        """The replicas' mean of ``records[state id][key]`` (NaN-ignoring)."""
        return np.array([np.nanmean(np.array([records[s.id].get(key, np.nan)
                                              for s in self.by_t[t]], dtype=float))
                         for t in self.t_values])  # fmt: skip

    def error(self, records: dict[str, dict], key: str) -> np.ndarray:
        """The replicas' standard error where there are several, else the state's own
        ``<key>_error``."""
        out = []
        for t in self.t_values:
            v = np.array([records[s.id].get(key, np.nan) for s in self.by_t[t]], dtype=float)
            e = np.array([records[s.id].get(f"{key}_error", np.nan) for s in self.by_t[t]],
                         float)  # fmt: skip
            out.append(np.nanstd(v, ddof=1) / np.sqrt(len(v)) if len(v) > 1
                       else float(e[0]))  # fmt: skip
        return np.array(out)


def seed_spread(softness_records: list[dict]) -> float:
    """Standard deviation over the SVM seeds (train_svm's models) of ρ(S, s2) over all
    inherent-structure frames, averaged over the replicas of one state (their softness
    records); NaN without robustness models."""
    values = [[r["pearson_S_s2_is_frames"], *r.get("pearson_S_s2_seeds", [])]
              for r in softness_records]  # fmt: skip
    if len({len(v) for v in values}) != 1:
        return float("nan")  # replicas scored by models with different seed counts
    per_seed = np.nanmean(np.array(values, dtype=float), axis=0)
    return float(np.std(per_seed, ddof=1)) if len(per_seed) > 1 else float("nan")


def state_statistics(state_sums: dict, t_values, scale: float, params: dict, seed: int) -> dict:
    """Per temperature (ascending): the classification accuracy and ρ(S, s2) of the
    pooled replicas with block-bootstrap errors (:mod:`.state_statistics`)."""
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


def grouped_s2(states: list[StateInput], t_value: float, edges, params: dict) -> dict:
    """Softness-stratum RDFs of up to ``s2_strata_frames`` inherent structures per state
    at ``t_value`` → s2 of each stratum (Fig. 5)."""
    from .structure import RDFGrid, grouped_rdfs, pair_excess_entropy

    frames, groups = [], []
    for state in [s for s in states if s.T == t_value]:
        for conf, softness, a_index in state.strata_frames(params["s2_strata_frames"]):
            labels = np.full(len(conf[2]), -1)
            labels[a_index] = bin_index(softness, edges)
            frames.append(conf)
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
    from .validation import collapse_kept

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


def _departure_record(departure, with_liquid: bool) -> dict:
    record = {
        "T_onset": departure.onset,
        "bracket": departure.bracket,
        "supercooled": departure.supercooled,
        "activation_energy": departure.activation_energy,
    }
    if with_liquid:
        record["n_liquid"] = departure.n_liquid
    record["deviation"] = departure.deviation
    return record


@dataclass(frozen=True)
class _Context:
    """What every strata analysis of a system shares (the default and the sensitivity
    rows)."""

    counts: StrataCounts
    t_values: np.ndarray
    overall: np.ndarray
    onsets: dict
    seed: int
    scale: float


def _context(states, params, seed, scale) -> tuple[_Context, PerTemperature, dict]:
    """The two passes, P_R per temperature, the per-temperature records and the onsets
    of super-Arrhenius D_A and τα."""
    counts = strata_counts(states, params)
    temps = [s.T for s in states]
    t_values = np.array(sorted(set(temps)))
    overall = np.array([np.mean([p for t, p in zip(temps, counts.pr_job, strict=True)
                                 if t == tv]) for tv in t_values])  # fmt: skip
    per_t = PerTemperature(t_values, {t: [s for s in states if s.T == t] for t in t_values})
    dyn = {s.id: diffusion_where_measured(s.dynamics, s.dynamics) for s in states}
    d_a_err = per_t.error(dyn, "D_A")
    departure = arrhenius_departure(t_values, per_t.mean(dyn, "D_A"), d_a_err,
                                    n_hot=params["onset_n_hot"],
                                    departure=params["onset_departure"])  # fmt: skip
    tau = per_t.mean(dyn, "tau_alpha")
    departure_tau = arrhenius_departure(
        t_values, 1.0 / tau, per_t.error(dyn, "tau_alpha") / tau**2,
        n_hot=params["onset_n_hot"], departure=params["onset_departure"],
    )  # fmt: skip
    onsets = {"D_A": departure, "tau_alpha": departure_tau}
    return _Context(counts, t_values, overall, onsets, seed, scale), per_t, dyn


@dataclass(frozen=True)
class Conventions:
    """The alternative conventions of the sensitivity rows: ``counted`` (label →
    parameter changes) re-count and re-fit P_R with the system's own softness;
    ``retrained`` change the softness itself, and ``retrain(params, blocks, seed)`` gives
    their strata counts (per-job :class:`~.barriers.JobCounts`, already thinned to every
    ``pr_frame_stride``-th row; ValueError if too few training examples)."""

    counted: dict[str, dict]
    retrained: dict[str, dict]
    retrain: Callable[[dict, dict, int], dict] | None = None


def _sensitivity(ctx: _Context, params: dict, conventions: Conventions) -> list[dict]:
    """The same analysis under each alternative convention, then the retrained ones."""
    rows = []
    for label, change in conventions.counted.items():
        if all(params[k] == v for k, v in change.items()):
            continue  # the default itself
        alt = strata_analysis({**params, **change}, ctx.counts.counts, ctx.t_values,
                              ctx.overall, ctx.onsets, ctx.seed, ctx.scale,
                              SENSITIVITY_BOOTSTRAP)  # fmt: skip
        rows.append(sensitivity_row(label, change, alt, ctx.t_values))
    if conventions.retrain is not None:
        for label, change in conventions.retrained.items():
            alt_params = {**params, **change}
            try:
                counts = conventions.retrain(alt_params, ctx.counts.blocks, ctx.seed)
            except ValueError as err:  # too few training examples under these conventions
                rows.append(sensitivity_row(f"{label} — not trained: {err}", change, None,
                                            ctx.t_values))  # fmt: skip
                continue
            alt = strata_analysis({**alt_params, "pr_frame_stride": 1}, counts, ctx.t_values,
                                  ctx.overall, ctx.onsets, ctx.seed, ctx.scale,
                                  SENSITIVITY_BOOTSTRAP)  # fmt: skip
            rows.append(sensitivity_row(label, change, alt, ctx.t_values))
    return rows


def analyse_system(
    states: list[StateInput],
    params: dict,
    *,
    scale: float,
    seed: int,
    conventions: Conventions | None = None,
) -> dict[str, Any]:
    """The system's record (module docstring) from its ``states`` under the run
    ``params``; ``scale``: T / T_ref of the system (:mod:`.reference`); ``seed``: of every
    bootstrap; ``conventions``: the sensitivity rows' alternatives (None: no rows)."""
    ctx, per_t, dyn = _context(states, params, seed, scale)
    t_values = ctx.t_values
    main = strata_analysis(params, ctx.counts.counts, t_values, ctx.overall, ctx.onsets,
                           seed, scale)  # fmt: skip
    result: dict[str, Any] = {
        "temperatures": t_values,
        "P_R_overall": ctx.overall,
        "supercooled": main["fitted"],
        "supercooled_criterion_met": main["criterion_met"],
        "conventions": {k: params[k] for k in CONVENTION_KEYS},
        "reference_scale": scale,
        "T_ref": t_values / scale,
        "replicas": max(len(v) for v in per_t.by_t.values()),
        "onset_from_D_A": _departure_record(ctx.onsets["D_A"], with_liquid=True),
        "onset_from_tau_alpha": _departure_record(ctx.onsets["tau_alpha"], with_liquid=False),
    }
    for name in ("S", "s2"):
        e = ctx.counts.edges[(name, params["strata_bins"])]
        result[name] = {"edges": e, "centres": 0.5 * (e[1:] + e[:-1]), **main[name]}
    # softness-stratum RDFs of the inherent structures → s2 per stratum (Fig. 5), at the
    # coldest temperature and at the warmest fitted one (insensitivity to T)
    s_edges = ctx.counts.edges[("S", params["strata_bins"])]
    result["grouped_rdf"] = grouped_s2(states, t_values[0], s_edges, params)
    warm = t_values[main["fitted"]].max()
    result["grouped_rdf_warm"] = (
        grouped_s2(states, warm, s_edges, params) if warm != t_values[0] else None
    )
    result["collapse"] = collapse_record(result["S"], result["grouped_rdf"]["s2"])
    result["sensitivity"] = _sensitivity(ctx, params, conventions or Conventions({}, {}))
    result["states"] = state_statistics(ctx.counts.state_sums, t_values, scale, params, seed)
    result["states"]["pearson_S_s2_seed_spread"] = [
        seed_spread([s.softness for s in per_t.by_t[t]]) for t in t_values
    ]
    result["per_T"] = _per_temperature_means(states, per_t, dyn)
    # over the pooled (A particle, sampled frame) rows of the strata analysis; each
    # state's own ρ over all its inherent-structure frames is per_T["pearson_S_s2_is_frames"]
    result["pearson_S_s2"] = ctx.counts.pooled.pearson
    return result


def _per_temperature_means(states, per_t: PerTemperature, dyn: dict) -> dict:
    converged = np.array([all(s.dynamics.get("target_reached", False) for s in per_t.by_t[t])
                          for t in per_t.t_values])  # fmt: skip
    out = {"T": per_t.t_values, "D_A_error": per_t.error(dyn, "D_A"),
           "dynamics_converged": converged,
           "tau_alpha_error": per_t.error(dyn, "tau_alpha")}  # fmt: skip
    for key in DYNAMICS_FIELDS:
        out[key] = per_t.mean(dyn, key)
    softness = {s.id: s.softness for s in states}
    for key in SOFTNESS_FIELDS:
        out[key] = per_t.mean(softness, key)
    return out
