"""Run parameters of a data space: their defaults, units, choices and validation.

Parameters live in the project document (``project.doc["parameters"]``), where signac
users look for them; a study file (:mod:`.studies`) overrides the defaults below.  Every
value is checked by name and type, and the values are checked *against each other*
(:func:`check_relations`) before anything is written or computed: a combination that
would fail, or silently mean nonsense, only after the MD has run is refused with one
line naming the keys, the values and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .. import paper
from ..engines import DEVICE_CHOICES, ENGINE_CHOICES
from ..model import KOB_ANDERSEN, Mixture, is_positive_number

#: Run parameters every profile defines (units: LJ units of species A).
DEFAULT_PARAMETERS: dict[str, Any] = {
    # engine: "auto" (HOOMD-blue where it sees a GPU, else LAMMPS, which is faster on
    # CPUs; engines.resolve_engine) or a name of engines.REGISTRY
    "engine": "auto",
    # HOOMD-blue device: "auto" (GPU where present), "cpu" or "gpu"; "gpu" makes the
    # simulation operations request one GPU per job on clusters
    "device": "auto",
    # MPI ranks per simulation (1: in-process, no mpiexec) and OpenMP threads per rank
    # (LAMMPS)
    "mpi_ranks": 1,
    "threads": 1,
    # wall-clock hours requested per simulation operation on clusters; long runs stop
    # cleanly before the limit and resume on resubmission
    "walltime_hours": 24.0,
    # MD time step (τ); the paper uses 1e-3.  0.005, common for Δ = 0, is unstable
    # for Δ = 0.4 at the top of its ladder (T = 6.29: NVE energy drift 4.4 ε per
    # particle in 10 τ, vs 0.008 at dt = 0.002), so no profile goes above 0.002
    "dt": 0.001,
    # Nosé–Hoover coupling time (τ)
    "thermostat_tau": 0.1,
    # production frame interval (τ); paper §II.B: 1 τ
    "frame_interval": 1.0,
    # inherent-structure window (frames every frame_interval for FIRE, phop, softness):
    # production_time (τ), or is_window_tau_alpha × τα of the state where longer
    "production_time": 1000.0,
    "is_window_tau_alpha": 4.0,
    # dynamics window (log-periodic frames, its own NVT run from the equilibrated
    # state): until the A particles' MSD from the start reaches dynamics_msd_target (σ²,
    # well into the diffusive regime) and dynamics_tau_alpha × τα have passed, at most
    # dynamics_max_time (τ); blocks of dynamics_block_tau_alpha × τα (≥ frame_interval)
    # with dynamics_frames_per_decade log-spaced frames each
    "dynamics_msd_target": 6.0,
    # where the window must reach that MSD: "everywhere", or "above_window" (only at
    # T_ref above reference_window: D_A where the paper uses it, τα everywhere;
    # msd_target_required below)
    "dynamics_msd_where": "everywhere",
    "dynamics_tau_alpha": 10.0,
    "dynamics_max_time": 2.0e4,
    "dynamics_block_tau_alpha": 2.0,
    "dynamics_frames_per_decade": 8,
    # melt at the top of the ladder for this long before the cascade (τ)
    "melt_time": 100.0,
    # equilibration waits in units of τα: 20 τα at the highest supercooled T, 8 at the
    # coldest, linear in the ladder index between (paper §II.A)
    "wait_tau_alpha_hot": 20.0,
    "wait_tau_alpha_cold": 8.0,
    # at least this long at every temperature (τ)
    "min_equilibration_time": 10.0,
    # guard: give up (recorded failure) if equilibration would exceed this (τ)
    "max_equilibration_time": 1.0e5,
    # |Q| of the self-intermediate scattering function (σ_AA⁻¹), paper §II.A
    "q_vector": paper.Q,
    # FIRE: largest per-particle force at convergence (ε_AA/σ_AA) and step budget.
    # 1e-3 leaves a position error ~F/k ~ 1e-5 σ (k ~ 100 ε/σ² in the cage), far below
    # anything phop (p_H = 0.05 σ²) or the structure functions resolve, and saves ~15 %
    # of the FIRE steps against 1e-4 (most steps are spent before reaching 1e-3)
    "fire_force_tolerance": 1.0e-3,
    "fire_max_steps": 100_000,
    # diffusive regime of the MSD fit: MSD ≥ msd_min (σ_AA²), lag ≤ half the run
    "msd_min": 1.0,
    # phop (paper eq. 2, §II.B): time window t_R (τ), soft/hard cut-offs p_S, p_H (σ²)
    # and the least separation of soft (rearranging) and hard events (τ)
    "t_r": paper.T_R,
    "p_soft": paper.P_SOFT,
    "p_hard": paper.P_HARD,
    "soft_separation": paper.SOFT_SEPARATION,
    "hard_separation": paper.HARD_SEPARATION,
    # structure functions (eq. 3): μ grid from mu_min to ≤ mu_max in steps of mu_step,
    # Gaussian width mu_width (σ_AA); the paper states 0.14 for both (its authors' code
    # used a 0.1 step)
    "mu_min": paper.MU_MIN,
    "mu_max": paper.MU_MAX,
    "mu_step": paper.MU_STEP,
    "mu_width": paper.MU_WIDTH,
    # local s2 (eq. 6): inverse-logistic damping centre η and width (σ_AA)
    "s2_eta": paper.S2_ETA,
    "s2_damping_width": paper.S2_DAMPING_WIDTH,
    # global s2 (eq. 4): g(r) to rdf_r_max in bins of rdf_bin_width (σ_AA)
    "rdf_r_max": 3.0,
    "rdf_bin_width": 0.02,
    # frames of global s2 (eq. 4, thermal, evenly spaced over the production run) and
    # of the softness-stratum RDFs behind s2(S) (inherent structures, Fig. 5) per job
    "s2_global_frames": 50,
    "s2_strata_frames": 20,
    # SVM: held-out test fraction, seeds of the robustness check (hyperplane cosines)
    "svm_test_fraction": 0.2,
    "svm_seeds": 4,
    # training temperatures: "below_top" (every one but the top of the ladder) or
    # "second_coldest" (the authors' code)
    "svm_training_temperatures": "below_top",
    # C by cross-validation: "one_se" (the most regularised C within one standard
    # error of the best accuracy: the hyperplanes stop turning with the seed at the
    # same accuracy, docs/conventions.md) or "best" accuracy
    "svm_c_rule": "one_se",
    # soft and hard training examples (analysis.events): "paper" (peaks ≥ p_soft and
    # troughs ≤ p_hard, soft_separation / hard_separation apart, §II.B as written) or
    # "authors" (their code: local maxima thinned to the separations, then ≥ p_soft
    # soft, < p_hard hard — a quiet maximum, not a trough; they used 100 and 800 τ)
    "training_events": "paper",
    # -- conventions of the barrier analysis the paper's text leaves open
    # (docs/conventions.md; each is varied in results/validation.md) --
    # phop_label: the frame whose structure a phop window is paired with: "centre"
    # (eq. 2 as written: A = [t − t_R/2, t], B = [t, t + t_R/2]) or "start" (the
    # authors' code: structure at t, rearrangement within [t, t + t_R])
    "phop_label": "centre",
    # P_R from every pr_frame_stride-th phop frame (the authors' code: every 10th)
    "pr_frame_stride": 1,
    # strata: strata_bins equal bins between the 5th and 95th percentiles of the
    # system (paper: five; the authors' code: ten)
    "strata_bins": 5,
    # temperatures of the Arrhenius fits: "reference" (the authors' convention: the
    # same reference temperatures in every system, T / reference_scale within
    # reference_window, in units of the Δ = 0 ladder; the scale is the study's
    # t_max / top, else the authors' iso-dynamics map, analysis.reference), "tau_alpha"
    # or "D_A" (the supercooled states, below the departure of ln τα or ln D_A from the
    # Arrhenius line of the onset_n_hot hottest states: slower than it by ≥
    # onset_departure in the log and ≥ 3σ), "coldest" (the arrhenius_coldest_n
    # coldest) or "pr_max" (overall P_R ≤ arrhenius_max_pr); with fewer than three
    # temperatures in the window, the three coldest (flagged)
    "arrhenius_window": "reference",
    # [low, high] reference temperatures (k_B T / ε_AA of the Δ = 0 ladder) of the
    # "reference" window: the authors' fits, T_ref = 0.45 … 0.64
    # (ianrgraham/monk 030423-barrier-thermal.ipynb cells 6–9; docs/authors_conventions.md)
    "reference_window": [0.45, 0.64],
    # the Arrhenius line of ln P_R per stratum: "binomial" (maximum likelihood of the
    # counted events: strata without events count, weights grow with the events) or
    # "unweighted" (least squares of ln P_R against 1/T, the authors' np.polyfit;
    # strata without events at a temperature leave that point out)
    "arrhenius_weighting": "binomial",
    "onset_n_hot": 3,
    "onset_departure": 0.2,
    "arrhenius_coldest_n": 9,
    "arrhenius_max_pr": 0.5,
    # T_A from the strata crossings: "median_iqr" (Tukey's fences, the paper's "IQR
    # outlier rejection") or "authors" (1/mean of 1/T within q90 − q10 of the median)
    "t_a_method": "median_iqr",
    # ln P_R(T_A) of the collapse: "median" of the strata lines at T_A, or "log_mean"
    # (ln of their mean P_R, the authors' code)
    "collapse_log_p": "median",
    # the sensitivity rows that retrain the softness model under other conventions
    # (workflow/retrained.py; about one more build_structure_functions +
    # compute_softness_and_s2 per row): "yes" or "no"
    "sensitivity_retrain": "yes",
    # bootstrap: replicates, block length (τ) of the resampled frames
    "bootstrap_samples": 200,
    "bootstrap_block": 10.0,
    # a fitted stratum should hold at least this many rearranging samples (recorded)
    "min_stratum_events": 10,
    # -- isoconfigurational propensity (paper §III.A, last paragraph) --
    # states: the propensity_temperatures coldest temperatures of each system (0: the
    # stage is off) and the first propensity_replicas replicas; per state,
    # propensity_configurations starting frames of the production run (the first and
    # then every propensity_spacing_tau_alpha τα) with propensity_trajectories
    # fresh-velocity NVT trajectories each; propensity measured at
    # propensity_times_per_decade log-spaced times from propensity_first_tau_alpha to
    # propensity_last_tau_alpha τα
    "propensity_temperatures": 2,
    "propensity_replicas": 1,
    "propensity_configurations": 4,
    "propensity_trajectories": 8,
    "propensity_spacing_tau_alpha": 1.0,
    "propensity_first_tau_alpha": 0.1,
    "propensity_last_tau_alpha": 3.0,
    "propensity_times_per_decade": 4,
    # the mixture: ε_ij, σ_ij (pairs "AA", "AB", "BB"; units of A, so AA = 1), the
    # number fraction of A and m_B (model.Mixture); a study sets it in [mixture]
    "mixture": KOB_ANDERSEN.as_dict(),
    # checkpoint interval of long runs (wall-clock seconds)
    "checkpoint_seconds": 300.0,
}


#: the authors' conventions (read from their code, docs/authors_conventions.md), as
#: run parameters: how P_R is counted, fitted and turned into T_A and ln P_R(T_A) …
AUTHORS_PR_ANALYSIS: dict[str, Any] = {
    "phop_label": "start",
    "pr_frame_stride": 10,
    "strata_bins": 10,
    "arrhenius_window": "reference",
    "reference_window": [0.45, 0.64],
    "arrhenius_weighting": "unweighted",
    "t_a_method": "authors",
    "collapse_log_p": "log_mean",
}
#: … and how the softness model is made (their examples, 100 and 800 frames apart at
#: 1 τ per frame; their structure-function grid; the second-coldest temperature)
AUTHORS_MODEL: dict[str, Any] = {
    "training_events": "authors",
    "soft_separation": 100.0,
    "hard_separation": 800.0,
    "phop_label": "start",
    "mu_step": 0.1,
    "mu_width": 0.1,
    "svm_training_temperatures": "second_coldest",
}


#: the alternative conventions the validation report varies (the sensitivity rows of
#: the system analysis), one at a time from the data space's parameters, and the
#: authors' P_R-analysis choices at once (the softness model itself — its training
#: events' phop label, its training temperatures — is the data space's in every row:
#: varying it means re-training)
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

#: how a run is executed, not what it computes: these may change in an existing data
#: space (``init.py`` stores the new values)
EXECUTION_PARAMETERS: frozenset[str] = frozenset(
    {"device", "mpi_ranks", "threads", "walltime_hours", "checkpoint_seconds"}
)
#: what the propensity stage runs and measures: they may change in an existing data
#: space, and change only that stage's results (its records keep the values they used)
PROPENSITY_PARAMETERS: frozenset[str] = frozenset(
    k for k in DEFAULT_PARAMETERS if k.startswith("propensity_")
)
#: integers that may be 0 (a stage switched off)
NON_NEGATIVE_INTEGERS: frozenset[str] = frozenset({"propensity_temperatures"})
#: read by the MD stages (equilibrate … fire_minimize): changing one would invalidate
#: every result of a data space; the others invalidate the analysis stages
SIMULATION_PARAMETERS: frozenset[str] = frozenset(
    {
        "engine", "dt", "thermostat_tau", "frame_interval", "production_time",
        "is_window_tau_alpha", "dynamics_msd_target", "dynamics_msd_where", "dynamics_tau_alpha",
        "dynamics_max_time", "dynamics_block_tau_alpha", "dynamics_frames_per_decade",
        "melt_time", "wait_tau_alpha_hot", "wait_tau_alpha_cold", "min_equilibration_time",
        "max_equilibration_time", "q_vector", "fire_force_tolerance", "fire_max_steps",
        "mixture",
    }
)  # fmt: skip

#: parameters that name a choice, and the choices
CHOICES: dict[str, tuple[str, ...]] = {
    "phop_label": ("centre", "start"),
    "arrhenius_window": ("reference", "tau_alpha", "D_A", "coldest", "pr_max"),
    "arrhenius_weighting": ("binomial", "unweighted"),
    "training_events": ("paper", "authors"),
    "sensitivity_retrain": ("yes", "no"),
    "dynamics_msd_where": ("everywhere", "above_window"),
    "t_a_method": ("median_iqr", "authors"),
    "collapse_log_p": ("median", "log_mean"),
    "svm_training_temperatures": ("below_top", "second_coldest"),
    "svm_c_rule": ("best", "one_se"),
}


def validate_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Check run parameters by name and type; return them as a plain dict."""
    unknown = set(params) - set(DEFAULT_PARAMETERS)
    if unknown:
        raise ValueError(
            f"unknown parameters {sorted(unknown)}; known: {sorted(DEFAULT_PARAMETERS)}"
        )
    out: dict[str, Any] = {}
    for key, value in params.items():
        default = DEFAULT_PARAMETERS[key]
        if key == "mixture":
            try:
                value = Mixture.from_dict(value).as_dict()
            except (TypeError, ValueError) as err:
                raise ValueError(f"parameter {err}") from None
        elif key == "reference_window":
            value = _temperature_window(key, value)
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise ValueError(f"parameter {key} must be a string; got {value!r}")
        elif isinstance(default, int) and not isinstance(default, bool):
            least = 0 if key in NON_NEGATIVE_INTEGERS else 1
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                kind = "a non-negative" if least == 0 else "a positive"
                raise ValueError(f"parameter {key} must be {kind} integer; got {value!r}")
        else:
            if not is_positive_number(value):
                raise ValueError(f"parameter {key} must be a positive number; got {value!r}")
            value = float(value)
        out[key] = value
    for key, allowed in (("device", DEVICE_CHOICES), ("engine", ENGINE_CHOICES)):
        if out[key] not in allowed:
            either = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
            raise ValueError(f"parameter {key} must be {either}; got {out[key]!r}")
    for key, allowed in CHOICES.items():
        if out[key] not in allowed:
            raise ValueError(f"parameter {key} must be one of {allowed}; got {out[key]!r}")
    check_relations(out)
    return out


def _temperature_window(key: str, value: Any) -> list[float]:
    """``[low, high]``: two positive temperatures, low < high."""
    if not isinstance(value, str | bytes | Mapping) and hasattr(value, "__iter__"):
        value = list(value)  # also a signac document's synced list
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(is_positive_number(v) for v in value)
        and value[0] < value[1]
    )
    if not ok:
        raise ValueError(
            f"parameter {key} must be [low, high], two temperatures with 0 < low < high "
            f"(k_B T / ε_AA of the reference ladder); got {value!r}"
        )
    return [float(value[0]), float(value[1])]


def _frames(value: float, unit: float) -> float:
    """``value`` in units of ``unit``, or NaN unless it is a whole number ≥ 1."""
    n = value / unit
    return round(n) if n >= 1 - 1e-9 and abs(n - round(n)) < 1e-6 else math.nan


def check_relations(p: Mapping[str, Any]) -> None:
    """Raise ValueError, naming the keys and values, for run parameters that are each
    valid but do not fit together (times in τ, lengths in σ_AA, phop in σ²)."""

    def fail(message: str) -> None:
        raise ValueError(f"parameters: {message}")

    dt, interval, t_r = p["dt"], p["frame_interval"], p["t_r"]
    if math.isnan(_frames(interval, dt)):
        fail(f"frame_interval={interval} must be a whole number ≥ 1 of time steps dt={dt}")
    half = t_r / (2.0 * interval)
    if math.isnan(_frames(t_r / 2.0, interval)):
        fail(
            f"t_r={t_r} gives a phop half-window t_r/2 of {half:.3g} frames of "
            f"frame_interval={interval}; it must be a whole number ≥ 1 (eq. 2: t_r = 2k "
            "× frame_interval)"
        )
    if math.isnan(_frames(p["production_time"], interval)) or p["production_time"] <= t_r:
        fail(
            f"production_time={p['production_time']} must be a whole number of "
            f"frame_interval={interval} and longer than t_r={t_r}"
        )
    if not p["p_hard"] < p["p_soft"]:
        fail(f"p_hard={p['p_hard']} must be below p_soft={p['p_soft']} (paper: 0.05 < 0.2 σ²)")
    for key in ("soft_separation", "hard_separation"):
        if math.isnan(_frames(p[key], interval)) or p[key] < t_r:
            fail(
                f"{key}={p[key]} must be a whole number of frame_interval={interval} and at "
                f"least t_r={t_r}: events closer than one phop window are not independent"
            )
    if p["mu_max"] - p["mu_min"] < p["mu_step"]:
        fail(
            f"mu_max={p['mu_max']} must exceed mu_min={p['mu_min']} by at least "
            f"mu_step={p['mu_step']} (the structure-function grid would be empty)"
        )
    if p["rdf_bin_width"] >= p["rdf_r_max"]:
        fail(f"rdf_bin_width={p['rdf_bin_width']} must be below rdf_r_max={p['rdf_r_max']}")
    if p["bootstrap_block"] < interval:
        fail(f"bootstrap_block={p['bootstrap_block']} must be ≥ frame_interval={interval}")
    if p["min_equilibration_time"] > p["max_equilibration_time"]:
        fail(
            f"min_equilibration_time={p['min_equilibration_time']} exceeds "
            f"max_equilibration_time={p['max_equilibration_time']}"
        )
    if p["wait_tau_alpha_cold"] > p["wait_tau_alpha_hot"]:
        fail(
            f"wait_tau_alpha_cold={p['wait_tau_alpha_cold']} must not exceed "
            f"wait_tau_alpha_hot={p['wait_tau_alpha_hot']}"
        )
    for key in ("svm_test_fraction", "arrhenius_max_pr"):
        if not p[key] < 1.0:
            fail(f"{key}={p[key]} must be below 1 (a fraction)")
    for key in ("propensity_configurations", "propensity_trajectories"):
        if p[key] < 2:
            fail(f"{key}={p[key]} must be at least 2 (an ensemble mean and a bootstrap)")
    if not p["propensity_first_tau_alpha"] < p["propensity_last_tau_alpha"]:
        fail(
            f"propensity_first_tau_alpha={p['propensity_first_tau_alpha']} must be below "
            f"propensity_last_tau_alpha={p['propensity_last_tau_alpha']}"
        )
    for key in ("onset_n_hot", "arrhenius_coldest_n", "strata_bins"):
        if p[key] < 2:
            fail(f"{key}={p[key]} must be at least 2")


def check_box(params: Mapping[str, Any], box_length: float, where: str) -> None:
    """Raise ValueError if the structure functions' or g(r)'s reach exceeds half the
    box (L = (N/ρ)^{1/3}, σ_AA): beyond it the minimum image counts neighbours twice."""
    from ..analysis.structure import GAUSSIAN_REACH, LOCAL_DENSITY_RADIUS

    half = box_length / 2.0
    reach = max(params["mu_max"] + GAUSSIAN_REACH * params["mu_width"], LOCAL_DENSITY_RADIUS)
    if reach >= half:
        raise ValueError(
            f"{where}: the structure functions reach mu_max + {GAUSSIAN_REACH} mu_width = "
            f"{reach:.3g} σ, beyond half the box ({half:.3g} σ): lower mu_max or raise N"
        )
    if params["rdf_r_max"] > half:
        raise ValueError(
            f"{where}: rdf_r_max={params['rdf_r_max']} exceeds half the box ({half:.3g} σ): "
            "lower it or raise N"
        )


def propensity_settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """The propensity parameters that shape an ensemble (which states are chosen
    does not: a state keeps its ensemble when the selection grows)."""
    selection = {"propensity_temperatures", "propensity_replicas"}
    return {k: params[k] for k in sorted(PROPENSITY_PARAMETERS - selection)}


def job_parameters(job) -> dict[str, Any]:
    """The run parameters of the job's data space (project document), validated, with
    the documented defaults for parameters added to the code after it was made.  The
    one reader of ``project.doc["parameters"]`` for operations and directives."""
    project = job.project
    stored = project.doc.get("parameters")
    if stored is None:
        raise RuntimeError(f"{project.path} has no run parameters: run init.py first")
    try:
        return validate_parameters({**DEFAULT_PARAMETERS, **stored})
    except ValueError as err:
        raise ValueError(
            f"run parameters in {project.path}/signac_project_document.json: {err}"
        ) from None


def reference_scale(project, delta: float, rho: float) -> float:
    """T / T_ref of system (Δ, ρ): the study's ladder scale (``init.py`` stores it in
    the project document), else the authors' iso-dynamics map (:mod:`..analysis.reference`)."""
    from ..analysis.reference import iso_dynamics_scale

    for d, r, scale in project.doc.get("reference_scales", []):
        if d == delta and r == rho:
            return float(scale)
    return iso_dynamics_scale(delta, rho)


def msd_target_required(params: Mapping[str, Any], t_ref: float) -> bool:
    """Whether the dynamics window of a state at reference temperature ``t_ref`` must
    reach MSD_A ≥ ``dynamics_msd_target`` (``dynamics_msd_where``): "everywhere", or
    "above_window" — only above the Arrhenius fit window (T_ref > reference_window's
    top), where D_A enters the paper's Fig. 2 and its onset; inside and below it the
    window ends at ``dynamics_tau_alpha`` τα (τα is measured at every state)."""
    if params["dynamics_msd_where"] == "everywhere":
        return True
    from ..analysis.reference import ROUNDING

    return bool(t_ref > params["reference_window"][1] + 0.5 * ROUNDING)


def separations_in_frames(params: Mapping[str, Any]) -> tuple[int, int]:
    """(soft, hard) least separations of training events in frames (τ / frame_interval)."""
    return tuple(round(params[f"{k}_separation"] / params["frame_interval"])
                 for k in ("soft", "hard"))  # type: ignore[return-value]  # fmt: skip
