"""The equilibration cascade of one state point (paper §II.A): a relaxed lattice to start
the hottest rung (colder rungs start from the hotter rung's equilibrated configuration),
then NVT for ``wait_tau_alpha`` τα measured on the fly; resumable.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..analysis.relaxation import RelaxationTracker
from ..configuration import Configuration, cubic_lattice, make_seed
from ..files import explained_write_errors
from ..gsd_io import (
    read_configuration,
    write_configuration,
)
from ..model import Mixture
from .common import (
    Progress,
    WalltimeReached,
    a_positions,
    configuration_digest,
    deadline,
    load_checkpoint,
    make_engine,
    past_deadline,
    provenance,
    save_checkpoint,
)

log = logging.getLogger(__name__)


#: initial spacing of the frames that measure τα during equilibration (τ)
TRACKER_SPACING = 0.01


#: frames the τα tracker keeps (memory: this × N_A × 24 bytes)
TRACKER_FRAMES = 128


#: re-estimate τα every this many stored frames
TRACKER_CHECK_EVERY = 8


#: The initial lattice's sites sit in the repulsive cores at large Δ (forces ~1e4
#: ε/σ): it is first run for LATTICE_START_TIME τ at dt / LATTICE_START_DT_DIVISOR with
#: a tight thermostat, which no engine's integrator or FIRE survives at full dt.
LATTICE_START_DT_DIVISOR = 20


LATTICE_START_TIME = 0.5


LATTICE_START_TAU = 0.05


class EquilibrationFailed(RuntimeError):
    """τα could not be reached within ``max_equilibration_time``."""


def lattice_start(sp: dict, params: dict) -> Configuration:
    """Cubic lattice with random species for a (Δ, ρ, replica, N) chain (paper §II.A),
    in the mixture's composition."""
    chain = {k: sp[k] for k in ("delta", "rho", "replica", "N")}
    rng = np.random.default_rng(make_seed("lattice", chain))
    fraction = Mixture.from_dict(params["mixture"]).fraction_a
    return cubic_lattice(sp["N"], sp["rho"], rng, fraction)


def relax_lattice(sp: dict, params: dict, conf: Configuration) -> Configuration:
    """Run the lattice gently into a liquid at T (small time step, tight thermostat)."""
    small = dict(params, dt=params["dt"] / LATTICE_START_DT_DIVISOR)
    with make_engine(sp, conf, small, "lattice") as md:
        md.thermalize(sp["T"])
        md.run_nvt(round(LATTICE_START_TIME / small["dt"]), sp["T"], LATTICE_START_TAU)
        return replace(md.configuration(), step=0)


def _resume_or_start(sp, params, start, *, melt: bool, checkpoint: Path, label: str) -> tuple:
    """(configuration, τα tracker, wall seconds so far, τα estimate, resumes) of a run
    resumed from its checkpoint, or started from ``start`` (the lattice relaxed first
    when ``melt``)."""
    if checkpoint.exists():
        conf, extra = load_checkpoint(checkpoint, label)
        return (conf, RelaxationTracker.from_state(extra), float(extra["wall_seconds"]),
                float(extra["tau_alpha"]), int(extra.get("resumes", 0)) + 1)  # fmt: skip
    conf = relax_lattice(sp, params, start) if melt else replace(start, step=0)
    tracker = RelaxationTracker(params["q_vector"], TRACKER_SPACING, TRACKER_FRAMES)
    return conf, tracker, 0.0, float("nan"), 0


def _report(progress: Progress, elapsed: float, tau_est: float, wait_tau_alpha: float,
            params: dict) -> None:  # fmt: skip
    """The progress line: the end estimated from τα once it is measured."""
    if np.isfinite(tau_est):
        wait = max(params["min_equilibration_time"], wait_tau_alpha * tau_est)
        progress.update(elapsed, total=wait, basis=f"end estimated from τα ≈ {tau_est:.3g} τ")
    else:
        progress.update(elapsed, basis="τα not measured yet: of the limit")


def _final_state(md, start: Configuration, output: Path, dt: float, melt: bool,
                 resumes: int) -> dict:  # fmt: skip
    """The record of the equilibrated state (its time, digests and thermodynamics)."""
    final = md.configuration()
    thermo = md.thermo()
    return {
        "time": final.step * dt,
        "steps": final.step,
        "melted": melt,
        # times this run was resumed from its checkpoint (after a kill or walltime)
        "resumes": resumes,
        "start_digest": configuration_digest(start),
        "final_digest": configuration_digest(read_configuration(output)),
        "potential_energy": thermo.potential_energy,
        "pressure": thermo.pressure,
        "kinetic_temperature": thermo.kinetic_temperature,
    }


def _thermalize(md, tracker, T: float, params: dict, melt: bool) -> None:
    """Fresh velocities at T; a lattice is first melted for ``melt_time`` (not counted:
    the clock restarts); the τα tracker's first frame."""
    md.thermalize(T)
    if melt:
        md.run_nvt(max(1, round(params["melt_time"] / params["dt"])), T, params["thermostat_tau"])
        md.set_configuration(replace(md.configuration(), step=0))
    tracker.add(0.0, a_positions(md.configuration()))


def equilibrate_state(
    sp: dict,
    params: dict,
    start: Configuration,
    *,
    melt: bool,
    wait_tau_alpha: float,
    checkpoint: Path,
    output: Path,
    label: str,
) -> dict:
    """Equilibrate one state point, waiting ``wait_tau_alpha`` τα measured on the fly.

    ``start`` is the lattice (``melt=True``: first ``melt_time`` at T, not counted) or
    the hotter state of the cascade.  τα is measured from F_s(Q, t) of the A particles
    (isotropic average, :math:`|Q|` = ``q_vector``) over the run so far; the run ends when it
    has lasted max(min_equilibration_time, wait_tau_alpha·τα).  Writes ``output`` (GSD,
    with velocities) and returns the record for the job document.
    """
    T, dt, tau = sp["T"], params["dt"], params["thermostat_tau"]
    limit = deadline()
    t_wall = time.monotonic()
    resumed = checkpoint.exists()
    conf, tracker, wall_before, tau_est, resumes = _resume_or_start(
        sp, params, start, melt=melt, checkpoint=checkpoint, label=label
    )
    operation = "equilibrate" if melt else "quench"
    with (
        make_engine(sp, conf, params, "md") as md,
        explained_write_errors(checkpoint.parent, operation),
    ):
        if not resumed:
            _thermalize(md, tracker, T, params, melt)
        progress = Progress(label, params["max_equilibration_time"])
        last_ckpt = time.monotonic()

        def checkpoint_now() -> None:
            wall = wall_before + time.monotonic() - t_wall
            save_checkpoint(
                checkpoint, md.configuration(), wall_seconds=wall, tau_alpha=tau_est,
                resumes=resumes, **tracker.state(),
            )  # fmt: skip

        added = 0
        while True:
            elapsed = md.step * dt
            if np.isfinite(tau_est) and elapsed >= max(
                params["min_equilibration_time"], wait_tau_alpha * tau_est
            ):
                break
            if elapsed > params["max_equilibration_time"]:
                checkpoint_now()
                raise EquilibrationFailed(
                    f"{label}: τα not reached (or the wait not completed) within "
                    f"max_equilibration_time = {params['max_equilibration_time']} τ "
                    f"(τα estimate {tau_est:.4g} τ): the state is too cold for this profile"
                )
            if past_deadline(limit):
                checkpoint_now()
                raise WalltimeReached(f"{label}: stopped at {elapsed:.6g} τ before the walltime")
            spacing = tracker.spacing
            md.run_nvt(max(1, round(spacing / dt)), T, tau)
            tracker.add(md.step * dt, a_positions(md.configuration()))
            added += 1
            if tracker.spacing != spacing or added % TRACKER_CHECK_EVERY == 0:
                tau_est = tracker.tau_alpha()
            if time.monotonic() - last_ckpt > params["checkpoint_seconds"]:
                checkpoint_now()
                last_ckpt = time.monotonic()
            _report(progress, md.step * dt, tau_est, wait_tau_alpha, params)
        write_configuration(output, md.configuration(), md.mixture.masses)
        record = {
            "tau_alpha": tau_est,
            "wait_tau_alpha": wait_tau_alpha,
            **_final_state(md, start, output, dt, melt, resumes),
            **provenance(md, "md", sp, wall_before + time.monotonic() - t_wall),
        }
    checkpoint.unlink(missing_ok=True)
    log.info("%s: equilibrated, τα = %.4g τ after %.6g τ", label, tau_est, record["time"])
    return record


def wait_for_index(index: int, count: int, params: dict) -> float:
    """τα to wait at ladder position ``index`` of ``count`` (0 = hottest): linear from
    ``wait_tau_alpha_hot`` to ``wait_tau_alpha_cold`` (paper: 20 τα → 8 τα)."""
    hot, cold = params["wait_tau_alpha_hot"], params["wait_tau_alpha_cold"]
    if count <= 1:
        return hot
    return hot + (cold - hot) * index / (count - 1)
