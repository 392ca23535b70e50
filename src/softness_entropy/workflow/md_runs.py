"""Resumable MD runs behind the simulation operations (paper §II.A).

Every long run checkpoints to an ``.npz`` file (float64 positions, velocities, image
flags, step, plus run state) written atomically, and resumes from it after a kill at
any moment.  Trajectory frames are appended to GSD files and flushed *before* the
checkpoint that follows them is written, so on resume the trajectory holds either
exactly the checkpointed frames or one frame more, which is dropped: no frame is lost
or duplicated.

A run stops cleanly (checkpoint written, :class:`WalltimeReached` raised) when the
wall-clock deadline in ``$SOFTNESS_ENTROPY_DEADLINE`` (Unix seconds; set by the cluster
job templates) is near.

Thermostat state is not checkpointed (LAMMPS cannot restore it through its library
interface), so a resumed run restarts the Nosé–Hoover variable at zero: the resumed
trajectory is statistically, not bitwise, identical to an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import gsd.hoomd
import numpy as np

from ..analysis.relaxation import RelaxationTracker
from ..atomic import atomic_path
from ..configuration import Configuration, cubic_lattice, make_seed
from ..engines import Engine, FireParameters, create_engine
from ..files import atomic_savez, explained_write_errors
from ..gsd_io import (
    from_frame,
    read_configuration,
    to_frame,
    write_configuration,
)
from ..model import Mixture

log = logging.getLogger(__name__)

DEADLINE_ENV = "SOFTNESS_ENTROPY_DEADLINE"
#: stop this many seconds before the deadline
DEADLINE_MARGIN = 120.0
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


class WalltimeReached(RuntimeError):
    """The run checkpointed and stopped before the job's wall-clock limit."""


class EquilibrationFailed(RuntimeError):
    """τα could not be reached within ``max_equilibration_time``."""


# -- small utilities ----------------------------------------------------------------
def deadline() -> float | None:
    """The wall-clock deadline (Unix seconds) from the environment, if any."""
    value = os.environ.get(DEADLINE_ENV)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"${DEADLINE_ENV} must be Unix seconds; got {value!r}") from None


def past_deadline(limit: float | None) -> bool:
    return limit is not None and time.time() > limit - DEADLINE_MARGIN


def save_checkpoint(path: str | os.PathLike, conf: Configuration, **extra: Any) -> None:
    """Checkpoint a configuration (float64) and any extra arrays atomically."""
    atomic_savez(
        path,
        box_length=conf.box_length,
        positions=conf.positions,
        typeid=conf.typeid,
        image=conf.image,
        velocities=conf.velocities if conf.velocities is not None else np.zeros((0, 3)),
        step=conf.step,
        **extra,
    )


def load_checkpoint(path: str | os.PathLike, operation: str) -> tuple[Configuration, dict]:
    """Read a checkpoint; a clear error naming the file and the fix if it is corrupt."""
    try:
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
        velocities = arrays.pop("velocities")
        conf = Configuration(
            box_length=float(arrays.pop("box_length")),
            positions=arrays.pop("positions"),
            typeid=arrays.pop("typeid"),
            image=arrays.pop("image"),
            velocities=velocities if velocities.size else None,
            step=int(arrays.pop("step")),
        )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise RuntimeError(
            f"checkpoint {path} is unreadable ({err}); delete it to restart "
            f"the {operation!r} operation of this job from its beginning"
        ) from None
    return conf, arrays


def configuration_digest(conf: Configuration) -> str:
    """SHA-256 of the float32 positions and species: identifies a stored configuration."""
    h = hashlib.sha256(conf.positions.astype(np.float32).tobytes())
    h.update(conf.typeid.astype(np.int32).tobytes())
    return h.hexdigest()


def gsd_frame_count(path: str | os.PathLike) -> int:
    """Number of complete frames in a GSD file (0 if absent); clear error if corrupt."""
    if not Path(path).exists():
        return 0
    try:
        with gsd.hoomd.open(path, mode="r") as f:
            return len(f)
    except (OSError, RuntimeError) as err:
        raise RuntimeError(f"{path} is not a readable GSD file ({err})") from None


def truncate_gsd(path: str | os.PathLike, n_frames: int) -> None:
    """Keep only the first ``n_frames`` frames of a GSD file (atomic rewrite)."""
    with (
        atomic_path(path) as tmp,
        gsd.hoomd.open(path, mode="r") as src,
        gsd.hoomd.open(tmp, mode="w") as dst,
    ):
        for i in range(n_frames):
            dst.append(src[i])


class Progress:
    """Log progress (done, percentage, ETA) at most every ``every`` seconds.

    ``total`` may move as the run learns how long it must be (an equilibration's wait
    from its τα estimate, a dynamics window's end from its MSD): :meth:`update` takes
    the current estimate, and the line says it is one."""

    def __init__(self, label: str, total: float, unit: str = "τ", every: float = 10.0) -> None:
        self.label, self.total, self.unit, self.every = label, total, unit, every
        self.start = self.last = time.monotonic()
        self.first: float | None = None

    def update(
        self, done: float, force: bool = False, total: float | None = None, basis: str = ""
    ) -> None:
        """Log ``done`` of ``total`` (default: the one given at construction); ``basis``
        says what the total rests on when it is an estimate or a limit."""
        now = time.monotonic()
        if self.first is None:
            self.first = done
        if not force and now - self.last < self.every:
            return
        self.last = now
        total = self.total if total is None else total
        rate = (done - self.first) / max(now - self.start, 1e-9)
        eta = max(total - done, 0.0) / rate if rate > 0 else float("inf")
        pct = min(100.0 * done / total, 100.0) if total else 100.0
        log.info(
            "%s: %.6g/%.6g %s%s (%.0f%%), ETA %s",
            self.label,
            done,
            total,
            self.unit,
            f" ({basis})" if basis else "",
            pct,
            f"{eta:.0f} s" if math.isfinite(eta) else "not yet known (no progress timed yet)",
        )


def make_engine(sp: dict, conf: Configuration, params: dict, purpose: str) -> Engine:
    """The engine the run parameters ask for (and their mixture), seeded from the
    state point."""
    return create_engine(
        params["engine"],
        conf,
        sp["delta"],
        dt=params["dt"],
        seed=make_seed(purpose, sp),
        device=params["device"],
        threads=params["threads"],
        mixture=Mixture.from_dict(params["mixture"]),
    )


def provenance(engine: Engine, purpose: str, sp: dict, wall_seconds: float) -> dict:
    """What ran: engine and version, seed, wall time."""
    return {
        "engine": engine.name,
        "engine_version": engine.version,
        "seed": make_seed(purpose, sp),
        "wall_seconds": float(wall_seconds),
    }


def a_positions(conf: Configuration) -> np.ndarray:
    """Unwrapped positions of the A particles (σ_AA)."""
    return conf.unwrapped_positions()[conf.typeid == 0]


# -- equilibration (temperature cascade) ---------------------------------------------
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
    (isotropic average, |Q| = ``q_vector``) over the run so far; the run ends when it
    has lasted max(min_equilibration_time, wait_tau_alpha·τα).  Writes ``output`` (GSD,
    with velocities) and returns the record for the job document.
    """
    T, dt, tau = sp["T"], params["dt"], params["thermostat_tau"]
    limit = deadline()
    t_wall = time.monotonic()
    resumed = checkpoint.exists()
    if resumed:
        conf, extra = load_checkpoint(checkpoint, label)
        tracker = RelaxationTracker.from_state(extra)
        wall_before = float(extra["wall_seconds"])
        tau_est = float(extra["tau_alpha"])
        resumes = int(extra.get("resumes", 0)) + 1
    else:
        conf = relax_lattice(sp, params, start) if melt else replace(start, step=0)
        tracker = RelaxationTracker(params["q_vector"], TRACKER_SPACING, TRACKER_FRAMES)
        wall_before, tau_est, resumes = 0.0, float("nan"), 0
    operation = "equilibrate" if melt else "quench"
    with (
        make_engine(sp, conf, params, "md") as md,
        explained_write_errors(checkpoint.parent, operation),
    ):
        if not resumed:
            md.thermalize(T)
            if melt:
                md.run_nvt(max(1, round(params["melt_time"] / dt)), T, tau)
                md.set_configuration(replace(md.configuration(), step=0))
            tracker.add(0.0, a_positions(md.configuration()))
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
            if np.isfinite(tau_est):
                wait = max(params["min_equilibration_time"], wait_tau_alpha * tau_est)
                basis = f"end estimated from τα ≈ {tau_est:.3g} τ"
                progress.update(md.step * dt, total=wait, basis=basis)
            else:
                progress.update(md.step * dt, basis="τα not measured yet: of the limit")
        final = md.configuration()
        thermo = md.thermo()
        write_configuration(output, final, md.mixture.masses)
        record = {
            "tau_alpha": tau_est,
            "wait_tau_alpha": wait_tau_alpha,
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


# -- production -------------------------------------------------------------------
def _thermo_log(frame: gsd.hoomd.Frame, md: Engine) -> None:
    th = md.thermo()
    frame.log["thermo/potential_energy"] = np.array([th.potential_energy])
    frame.log["thermo/pressure"] = np.array([th.pressure])
    frame.log["thermo/kinetic_temperature"] = np.array([th.kinetic_temperature])


def run_production(
    sp: dict, params: dict, start: Path, trajectory: Path, checkpoint: Path, label: str
) -> dict:
    """Production trajectory: a frame every ``frame_interval`` τ for ``production_time``.

    Frame k is at step k·frame_steps; frames carry image flags and, in their log,
    U/N, P and T_kin.  Resumable (module docstring).  Returns the job-document record.
    """
    dt = params["dt"]
    frame_steps = round(params["frame_interval"] / dt)
    n_frames = round(params["production_time"] / params["frame_interval"]) + 1
    limit = deadline()
    t_wall = time.monotonic()
    if checkpoint.exists():
        conf, extra = load_checkpoint(checkpoint, "production")
        wall_before = float(extra["wall_seconds"])
        expected = conf.step // frame_steps + 1
        have = gsd_frame_count(trajectory)
        if have == expected + 1:  # killed between a frame's flush and its checkpoint
            truncate_gsd(trajectory, expected)
        elif have != expected:
            raise RuntimeError(
                f"{trajectory} has {have} frames but its checkpoint {checkpoint} expects "
                f"{expected}: delete both to restart the production run"
            )
    else:
        conf = replace(read_configuration(start), step=0)
        wall_before = 0.0
        trajectory.unlink(missing_ok=True)
    with (
        make_engine(sp, conf, params, "production") as md,
        explained_write_errors(trajectory, "production"),
    ):
        progress = Progress(label, (n_frames - 1) * params["frame_interval"])
        with gsd.hoomd.open(trajectory, mode="a") as traj:
            if len(traj) == 0:
                frame = to_frame(md.configuration(), masses=md.mixture.masses)
                _thermo_log(frame, md)
                traj.append(frame)
                traj.flush()
                save_checkpoint(checkpoint, md.configuration(), wall_seconds=wall_before)
            while len(traj) < n_frames:
                if past_deadline(limit):
                    raise WalltimeReached(f"{label}: stopped at frame {len(traj)} of {n_frames}")
                md.run_nvt(frame_steps, sp["T"], params["thermostat_tau"])
                conf = md.configuration()
                frame = to_frame(conf, masses=md.mixture.masses)
                _thermo_log(frame, md)
                traj.append(frame)
                traj.flush()
                wall = wall_before + time.monotonic() - t_wall
                save_checkpoint(checkpoint, conf, wall_seconds=wall)
                progress.update((len(traj) - 1) * params["frame_interval"])
        record = provenance(md, "production", sp, wall_before + time.monotonic() - t_wall)
    record.update(summarize_trajectory(trajectory))
    record.update({"frame_steps": frame_steps, "dt": dt})
    checkpoint.unlink(missing_ok=True)
    return record


def summarize_trajectory(path: Path) -> dict:
    """Frame count and thermodynamic averages of a trajectory.

    No τα here: the τα of a state is the dynamics window's (``job.doc["dynamics"]``,
    with its bootstrap error); the equilibration's is the running estimate that sets
    how long to wait and the dynamics window's block."""
    with gsd.hoomd.open(path, mode="r") as traj:
        n = len(traj)
        thermo = {
            k: np.array([f.log[f"thermo/{k}"][0] for f in traj])
            for k in ("potential_energy", "pressure", "kinetic_temperature")
        }
    out: dict[str, Any] = {"frames": n}
    for k, v in thermo.items():
        out[k] = float(v.mean())
        out[f"{k}_std"] = float(v.std())
    return out


# -- inherent structures ----------------------------------------------------------
def run_inherent_structures(
    sp: dict, params: dict, trajectory: Path, output: Path, label: str
) -> dict:
    """FIRE-minimise every production frame (paper §II.A) into ``output``.

    Frame k of ``output`` is the inherent structure of trajectory frame k, with image
    flags carried over and, in its log, ``is/potential_energy`` (ε_AA per particle),
    ``is/max_force`` and ``is/fire_steps``.  Frames are flushed one by one, so a killed
    run resumes at the first missing frame.
    """
    fire = FireParameters(
        force_tolerance=params["fire_force_tolerance"], max_steps=params["fire_max_steps"]
    )
    limit = deadline()
    t_wall = time.monotonic()
    n_frames = gsd_frame_count(trajectory)
    with gsd.hoomd.open(trajectory, mode="r") as traj:
        first = from_frame(traj[0], f"{trajectory}[0]")
        with (
            make_engine(sp, first, params, "fire") as md,
            explained_write_errors(output, "fire_minimize"),
            gsd.hoomd.open(output, mode="a") as out,
        ):
            progress = Progress(label, n_frames, unit="frames")
            steps_total = 0
            start = len(out)
            for k in range(start, n_frames):
                if past_deadline(limit):
                    raise WalltimeReached(f"{label}: stopped at frame {k} of {n_frames}")
                conf = from_frame(traj[k], f"{trajectory}[{k}]")
                md.set_configuration(replace(conf, velocities=None))
                result = md.minimize_fire(fire)
                if not result.converged:
                    raise RuntimeError(
                        f"{label}: FIRE did not reach |F| < {fire.force_tolerance} within "
                        f"{fire.max_steps} steps on frame {k} (max |F| = {result.max_force:.3g})"
                    )
                minimum = replace(md.configuration(), step=conf.step)
                frame = to_frame(minimum, masses=md.mixture.masses)
                frame.log["is/potential_energy"] = np.array([result.potential_energy])
                frame.log["is/max_force"] = np.array([result.max_force])
                frame.log["is/fire_steps"] = np.array([result.steps])
                out.append(frame)
                out.flush()
                steps_total += result.steps
                progress.update(k + 1)
            record = provenance(md, "fire", sp, time.monotonic() - t_wall)
    with gsd.hoomd.open(output, mode="r") as out:
        energies = np.array([f.log["is/potential_energy"][0] for f in out])
        steps = np.array([f.log["is/fire_steps"][0] for f in out])
    record.update(
        {
            "frames": len(energies),
            "potential_energy": float(energies.mean()),
            "potential_energy_std": float(energies.std()),
            "fire_steps_mean": float(steps.mean()),
            "force_tolerance": fire.force_tolerance,
            "seconds_per_frame": record["wall_seconds"] / max(n_frames - start, 1),
        }
    )
    return record


# -- the dynamics window ------------------------------------------------------------
#: a dynamics window has at least this many blocks (time origins of the long lags)
DYNAMICS_MIN_BLOCKS = 10


def dynamics_block_steps(params: dict, tau_alpha: float) -> int:
    """Block length of the log-periodic schedule (steps): ``dynamics_block_tau_alpha``
    × τα (the equilibration estimate), at least one production frame interval."""
    dt = params["dt"]
    floor = round(params["frame_interval"] / dt)
    if not np.isfinite(tau_alpha):
        return floor
    return max(floor, round(params["dynamics_block_tau_alpha"] * tau_alpha / dt))


def window_end_estimate(
    elapsed: float, msd: float, target: float, min_time: float, max_time: float, block: float
) -> float:
    """When a dynamics window will stop (τ): at the first block end past ``min_time``
    where the A particles' MSD (σ²) reaches ``target``, at most ``max_time``.  The MSD
    is extrapolated linearly in time from the origin (diffusive growth): an estimate,
    long while the MSD sits on its plateau, close once the motion is diffusive."""
    end = min_time
    if msd < target:
        end = max(end, elapsed * target / msd if msd > 0 else max_time)
    if not math.isfinite(end):
        return max(max_time, block)
    end = block * math.ceil(end / block - 1e-9)
    return min(end, max(max_time, block))


def run_dynamics_window(
    sp: dict,
    params: dict,
    start: Path,
    tau_alpha: float,
    output: Path,
    checkpoint: Path,
    label: str,
) -> dict:
    """NVT run from the equilibrated state with log-periodic frames (A and B, image
    flags) for as long as the state needs (paper §II.A, §III.A).

    The run goes on block by block until, at a block end, both hold: the A particles'
    MSD from the first frame is ≥ ``dynamics_msd_target`` σ² (well into the diffusive
    regime) and the run has lasted ≥ ``dynamics_tau_alpha`` × τα and ≥
    :data:`DYNAMICS_MIN_BLOCKS` blocks; or it stops at the first block end past
    max(``dynamics_max_time``, 10 blocks) (recorded as ``target_reached`` False).
    ``tau_alpha`` is the equilibration's estimate, which sets the block.  Checkpointed
    after a frame every ``checkpoint_seconds`` and at every block end, and stopped
    cleanly before the walltime after any frame (a block may take hours at the paper's
    scale); a resumed run drops frames after its checkpoint and continues the schedule.
    """
    from ..analysis.dynamics import frames_up_to, log_periodic_offsets

    dt, T, tau = params["dt"], sp["T"], params["thermostat_tau"]
    limit = deadline()
    t_wall = time.monotonic()
    if checkpoint.exists():
        conf, extra = load_checkpoint(checkpoint, "dynamics")
        wall_before = float(extra["wall_seconds"])
        block = int(extra["block_steps"])
        offsets = log_periodic_offsets(block, params["dynamics_frames_per_decade"])
        expected = frames_up_to(conf.step, block, offsets)
        have = gsd_frame_count(output)
        if have < expected:
            raise RuntimeError(
                f"{output} has {have} frames but its checkpoint {checkpoint} expects "
                f"{expected}: delete both to restart the dynamics window"
            )
        if have > expected:  # killed after its checkpoint: redo from there
            truncate_gsd(output, expected)
    else:
        conf = replace(read_configuration(start), step=0)
        wall_before = 0.0
        block = dynamics_block_steps(params, tau_alpha)
        offsets = log_periodic_offsets(block, params["dynamics_frames_per_decade"])
        output.unlink(missing_ok=True)
    min_time = max(
        DYNAMICS_MIN_BLOCKS * block * dt,
        params["dynamics_tau_alpha"] * tau_alpha if np.isfinite(tau_alpha) else 0.0,
    )
    max_time = max(params["dynamics_max_time"], DYNAMICS_MIN_BLOCKS * block * dt)
    target = params["dynamics_msd_target"]
    origin = a_positions(read_configuration(output, 0)) if gsd_frame_count(output) else None

    def next_frame(step: int) -> int:
        start, rest = divmod(step, block)
        later = offsets[offsets > rest]
        return int(start * block + (later[0] if len(later) else block))

    with (
        make_engine(sp, conf, params, "dynamics") as md,
        explained_write_errors(output, "dynamics"),
        gsd.hoomd.open(output, mode="a") as traj,
    ):

        def checkpoint_now() -> None:
            traj.flush()
            wall = wall_before + time.monotonic() - t_wall
            save_checkpoint(checkpoint, md.configuration(), wall_seconds=wall,
                            block_steps=block)  # fmt: skip

        if len(traj) == 0:
            traj.append(to_frame(md.configuration(), masses=md.mixture.masses))
            checkpoint_now()
            origin = a_positions(md.configuration())
        progress = Progress(label, max_time)
        last_ckpt = time.monotonic()
        reached = False
        end, msd = min_time, math.nan  # end: estimated from the MSD at the last block end
        while True:
            if md.step % block == 0:  # a block end: may the window stop here?
                elapsed = md.step * dt
                d = a_positions(md.configuration()) - origin
                msd = float(np.einsum("ij,ij->i", d, d).mean())
                if elapsed >= min_time * (1 - 1e-12) and msd >= target:
                    reached = True
                    break
                if elapsed >= max_time * (1 - 1e-12):
                    break
                if elapsed > 0:
                    end = window_end_estimate(elapsed, msd, target, min_time, max_time, block * dt)
            if past_deadline(limit):
                checkpoint_now()
                raise WalltimeReached(
                    f"{label}: stopped at {md.step * dt:.6g} τ before the walltime"
                )
            md.run_nvt(next_frame(md.step) - md.step, T, tau)
            traj.append(to_frame(md.configuration(), masses=md.mixture.masses))
            if md.step % block == 0 or time.monotonic() - last_ckpt > params["checkpoint_seconds"]:
                checkpoint_now()
                last_ckpt = time.monotonic()
                basis = f"end estimated from MSD_A = {msd:.3g} of {target:.3g} σ² and τα"
                if target <= 0:  # no MSD target at this state (dynamics_msd_where)
                    basis = f"ends at {params['dynamics_tau_alpha']:g} τα, no MSD_A target here"
                elif not math.isfinite(msd):
                    basis = "end estimated from τα"
                progress.update(md.step * dt, total=end, basis=basis)
        record = provenance(md, "dynamics", sp, wall_before + time.monotonic() - t_wall)
        record.update(
            {
                "time": md.step * dt,
                "frames": len(traj),
                "block_steps": block,
                "block_time": block * dt,
                "msd_from_start": msd,
                "target_reached": reached,
                "dt": dt,
            }
        )
    checkpoint.unlink(missing_ok=True)
    return record
