"""Named profiles of the study: which state points exist and how long everything runs.

A profile fixes the *data space* (the (Δ, ρ, T, replica, N) state points) and the run
*parameters* (time step, run lengths, tolerances).  State points hold only what
identifies a physical state; parameters live in the project document
(``project.doc["parameters"]``), where signac users look for them.

Temperature ladders (paper §II.A): the authors' Δ = 0 ladder runs from T = 2.0 (liquid)
to 0.45 (deepest supercooled state, Fig. 1b); the other systems use the same ladder
scaled by T_max(Δ)/2.0, which reproduces the ranges 0.56–2.51, 0.73–3.25, 0.99–4.39 and
1.42–6.29 for Δ = 0.1 … 0.4.  Profiles take a subset of the ladder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..configuration import minimum_particles

#: Δ = 0 temperature ladder (k_B T / ε_AA), hottest first (paper §II.A, Figs. 1, 4, 5).
REFERENCE_LADDER: tuple[float, ...] = (
    2.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55, 0.52, 0.49, 0.47, 0.45,
)  # fmt: skip
#: Highest temperature of each system's ladder; the ladder is scaled by T_max / 2.0.
LADDER_TOP: dict[float, float] = {0.0: 2.0, 0.1: 2.51, 0.2: 3.25, 0.3: 4.39, 0.4: 6.29}


def ladder(delta: float, temperatures: tuple[float, ...] = REFERENCE_LADDER) -> list[float]:
    """Temperatures of system Δ, hottest first: the Δ = 0 values scaled to its range.

    Values are rounded to 2 decimals so that state points are readable; distinct
    reference temperatures stay distinct.
    """
    if delta not in LADDER_TOP:
        raise ValueError(f"no temperature ladder for delta={delta!r}; known: {sorted(LADDER_TOP)}")
    scale = LADDER_TOP[delta] / REFERENCE_LADDER[0]
    values = [round(t * scale, 2) for t in temperatures]
    if len(set(values)) != len(values):
        raise ValueError(f"ladder for delta={delta} has coinciding temperatures: {values}")
    return values


#: Run parameters every profile defines (units: LJ units of species A).
DEFAULT_PARAMETERS: dict[str, Any] = {
    # engine: "auto" (HOOMD-blue where it sees a GPU, else LAMMPS, which is faster on
    # CPUs; engines/__init__.py), "hoomd" or "lammps"
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
    "q_vector": 7.14,
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
    "t_r": 10.0,
    "p_soft": 0.2,
    "p_hard": 0.05,
    "soft_separation": 10.0,
    "hard_separation": 80.0,
    # structure functions (eq. 3): μ grid from mu_min to ≤ mu_max in steps of mu_step,
    # Gaussian width mu_width (σ_AA); the paper states 0.14 for both (its authors' code
    # used a 0.1 step)
    "mu_min": 0.4,
    "mu_max": 3.0,
    "mu_step": 0.14,
    "mu_width": 0.14,
    # local s2 (eq. 6): inverse-logistic damping centre η and width (σ_AA)
    "s2_eta": 2.0,
    "s2_damping_width": 0.1,
    # global s2 (eq. 4): g(r) to rdf_r_max in bins of rdf_bin_width (σ_AA)
    "rdf_r_max": 3.0,
    "rdf_bin_width": 0.02,
    # SVM: held-out test fraction, seeds of the robustness check (hyperplane cosines)
    "svm_test_fraction": 0.2,
    "svm_seeds": 4,
    # training temperatures: "below_top" (every one but the top of the ladder) or
    # "second_coldest" (the authors' code)
    "svm_training_temperatures": "below_top",
    # C by cross-validation: "one_se" (the most regularised C within one standard
    # error of the best accuracy: the hyperplanes stop turning with the seed at the
    # same accuracy, README) or "best" accuracy
    "svm_c_rule": "one_se",
    # -- conventions of the barrier analysis the paper's text leaves open (README:
    # "Choices where the paper is silent"; each is varied in results/validation.md) --
    # phop_label: the frame whose structure a phop window is paired with: "centre"
    # (eq. 2 as written: A = [t − t_R/2, t], B = [t, t + t_R/2]) or "start" (the
    # authors' code: structure at t, rearrangement within [t, t + t_R])
    "phop_label": "centre",
    # P_R from every pr_frame_stride-th phop frame (the authors' code: every 10th)
    "pr_frame_stride": 1,
    # strata: strata_bins equal bins between the 5th and 95th percentiles of the
    # system (paper: five; the authors' code: ten)
    "strata_bins": 5,
    # temperatures of the Arrhenius fits: "tau_alpha" or "D_A" (the supercooled states,
    # below the departure of ln τα or ln D_A from the Arrhenius line of the onset_n_hot
    # hottest states: slower than it by ≥ onset_departure in the log and ≥ 3σ),
    # "coldest" (the arrhenius_coldest_n coldest) or "pr_max" (overall P_R ≤
    # arrhenius_max_pr)
    "arrhenius_window": "tau_alpha",
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
    # bootstrap: replicates, block length (τ) of the resampled frames
    "bootstrap_samples": 200,
    "bootstrap_block": 10.0,
    # a fitted stratum should hold at least this many rearranging samples (recorded)
    "min_stratum_events": 10,
    # checkpoint interval of long runs (wall-clock seconds)
    "checkpoint_seconds": 300.0,
}


#: parameters that name a choice, and the choices
CHOICES: dict[str, tuple[str, ...]] = {
    "phop_label": ("centre", "start"),
    "arrhenius_window": ("tau_alpha", "D_A", "coldest", "pr_max"),
    "t_a_method": ("median_iqr", "authors"),
    "collapse_log_p": ("median", "log_mean"),
    "svm_training_temperatures": ("below_top", "second_coldest"),
    "svm_c_rule": ("best", "one_se"),
}


@dataclass(frozen=True)
class Profile:
    """A named data space and its run parameters.

    Attributes
    ----------
    name : profile name.
    description : one line for ``init.py --list``.
    systems : (Δ, ρ) pairs.
    replicas : independent replicas per (Δ, ρ, T).
    n_particles : N of every state point.
    ladder_indices : indices into :data:`REFERENCE_LADDER` (hottest first).
    extra_cold_indices : per Δ, further (colder) indices appended to that system's
        ladder: the scaled ladders end shallower, relative to each system's own
        dynamical onset, the larger Δ (README, workstation reproduction).
    parameters : run parameters overriding :data:`DEFAULT_PARAMETERS`.
    """

    name: str
    description: str
    systems: tuple[tuple[float, float], ...]
    replicas: int
    n_particles: int
    ladder_indices: tuple[int, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    extra_cold_indices: Mapping[float, tuple[int, ...]] = field(default_factory=dict)

    def indices(self, delta: float) -> tuple[int, ...]:
        """Indices into :data:`REFERENCE_LADDER` of system Δ, hottest first."""
        indices = tuple(self.ladder_indices) + tuple(self.extra_cold_indices.get(delta, ()))
        if list(indices) != sorted(set(indices)):
            raise ValueError(
                f"profile {self.name!r}: ladder indices of delta={delta} {indices} are not "
                "strictly increasing (hottest first); extra_cold_indices must extend the "
                "ladder at its cold end"
            )
        return indices

    def temperatures(self, delta: float) -> list[float]:
        """The profile's temperatures of system Δ, hottest first."""
        return ladder(delta, tuple(REFERENCE_LADDER[i] for i in self.indices(delta)))

    def statepoints(self) -> list[dict[str, Any]]:
        """Every state point of the profile, validated."""
        points = [
            {"delta": delta, "rho": rho, "T": T, "replica": r, "N": self.n_particles}
            for delta, rho in self.systems
            for T in self.temperatures(delta)
            for r in range(self.replicas)
        ]
        for sp in points:
            validate_statepoint(sp)
        return points

    def run_parameters(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults, then the profile's values, then ``overrides``; validated."""
        params = dict(DEFAULT_PARAMETERS)
        params.update(self.parameters)
        params.update(overrides or {})
        return validate_parameters(params)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="smoke",
            description="tiny end-to-end run of the test suite (2 systems, minutes on 2 cores)",
            systems=((0.0, 1.20), (0.4, 1.12)),
            replicas=1,
            n_particles=432,
            ladder_indices=(0, 3, 5),
            parameters={
                "dt": 0.002,
                "production_time": 30.0,
                "dynamics_max_time": 300.0,
                "melt_time": 10.0,
                "max_equilibration_time": 300.0,
                "checkpoint_seconds": 30.0,
            },
        ),
        Profile(
            name="demo",
            description="the paper's five systems, scaled to finish in ~30 min on 2 cores",
            systems=model.PAPER_SYSTEMS,
            replicas=1,
            n_particles=432,
            ladder_indices=(0, 4, 6, 7, 8),
            parameters={
                "dt": 0.002,
                "production_time": 100.0,
                "melt_time": 20.0,
                "max_equilibration_time": 5000.0,
                "checkpoint_seconds": 60.0,
            },
        ),
        Profile(
            name="workstation",
            description=(
                "the paper's five systems down to T = 0.52 (Δ = 0, 0.1 scaled) and to the "
                "paper's coldest for Δ ≥ 0.2, ≤ 2.5 h on 2 cores (make reproduce)"
            ),
            systems=model.PAPER_SYSTEMS,
            replicas=1,
            n_particles=432,
            # reference T = 2.0, 1.2, 1.0, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55, 0.52: four
            # liquid states for the high-temperature Arrhenius line of D_A, six below
            ladder_indices=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            # Δ ≥ 0.2 down to the paper's own coldest (reference T = 0.45): their
            # scaled ladders end one or two states below their τα onset otherwise
            extra_cold_indices={0.2: (11, 12, 13), 0.3: (11, 12, 13), 0.4: (11, 12, 13)},
            parameters={
                "dt": 0.002,
                "production_time": 100.0,
                "is_window_tau_alpha": 4.0,
                "melt_time": 20.0,
                "max_equilibration_time": 1.0e4,
                "dynamics_max_time": 5000.0,
                "checkpoint_seconds": 60.0,
            },
        ),
        Profile(
            name="paper",
            description="the paper's scale: N = 32768, 5 systems × 3 replicas, full ladders",
            systems=model.PAPER_SYSTEMS,
            replicas=3,
            n_particles=32768,
            ladder_indices=tuple(range(len(REFERENCE_LADDER))),
            parameters={
                "engine": "hoomd",
                "device": "gpu",
                "production_time": 1000.0,
                "melt_time": 100.0,
                "walltime_hours": 48.0,
            },
        ),
    )
}


def get_profile(name: str) -> Profile:
    """The profile called ``name``; ValueError listing the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose one of {sorted(PROFILES)}") from None


def validate_statepoint(sp: Mapping[str, Any]) -> None:
    """Raise ValueError if a state point is not a valid (Δ, ρ, T, replica, N)."""
    expected = {"delta", "rho", "T", "replica", "N"}
    if set(sp) != expected:
        raise ValueError(f"state point keys must be {sorted(expected)}; got {sorted(sp)}")
    model.validate_delta(sp["delta"])
    for key in ("rho", "T"):
        value = sp[key]
        if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"state point {key} must be a positive number; got {value!r}")
    replica, n = sp["replica"], sp["N"]
    if not isinstance(replica, int) or isinstance(replica, bool) or replica < 0:
        raise ValueError(f"state point replica must be an integer ≥ 0; got {replica!r}")
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(f"state point N must be an integer; got {n!r}")
    n_min = minimum_particles(sp["rho"])
    if n < n_min:
        raise ValueError(
            f"state point N={n} is too small: at rho={sp['rho']} the box must exceed twice "
            f"the cutoff plus neighbour skin, which needs N ≥ {n_min}"
        )


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
        if isinstance(default, str):
            if not isinstance(value, str):
                raise ValueError(f"parameter {key} must be a string; got {value!r}")
        elif isinstance(default, int) and not isinstance(default, bool):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"parameter {key} must be a positive integer; got {value!r}")
        else:
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not math.isfinite(value)
                or value <= 0
            ):
                raise ValueError(f"parameter {key} must be a positive number; got {value!r}")
            value = float(value)
        out[key] = value
    if out["device"] not in ("auto", "cpu", "gpu"):
        raise ValueError(f"parameter device must be auto, cpu or gpu; got {out['device']!r}")
    if out["engine"] not in ("auto", "hoomd", "lammps"):
        raise ValueError(f"parameter engine must be auto, hoomd or lammps; got {out['engine']!r}")
    for key, allowed in CHOICES.items():
        if out[key] not in allowed:
            raise ValueError(f"parameter {key} must be one of {allowed}; got {out[key]!r}")
    if out["frame_interval"] < out["dt"]:
        raise ValueError("parameter frame_interval must be at least one time step dt")
    if out["wait_tau_alpha_cold"] > out["wait_tau_alpha_hot"]:
        raise ValueError("wait_tau_alpha_cold must not exceed wait_tau_alpha_hot")
    return out
