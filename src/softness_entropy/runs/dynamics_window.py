"""The dynamics window of one state point (paper §II.A, §III.A): an NVT run from the
equilibrated state in blocks of log-periodic frames, for as long as the state needs (see
:func:`run_dynamics_window`), from which D_A and τα are measured; resumable block by block.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace
from pathlib import Path

import gsd.hoomd
import numpy as np

from ..files import explained_write_errors
from ..gsd_io import (
    read_configuration,
    to_frame,
)
from .common import (
    Progress,
    WalltimeReached,
    a_positions,
    deadline,
    gsd_frame_count,
    load_checkpoint,
    make_engine,
    past_deadline,
    provenance,
    save_checkpoint,
    truncate_gsd,
)

log = logging.getLogger(__name__)


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


def _resume_or_start(checkpoint: Path, output: Path, start: Path, params: dict,
                     tau_alpha: float) -> tuple:  # fmt: skip
    """(configuration, wall seconds so far, block steps, log-periodic offsets) of a window
    resumed from its checkpoint (frames written after it dropped) or started afresh from
    the equilibrated configuration ``start`` (its block set by ``tau_alpha``)."""
    from ..analysis.dynamics import frames_up_to, log_periodic_offsets

    if checkpoint.exists():
        conf, extra = load_checkpoint(checkpoint, "dynamics")
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
        return conf, float(extra["wall_seconds"]), block, offsets
    block = dynamics_block_steps(params, tau_alpha)
    offsets = log_periodic_offsets(block, params["dynamics_frames_per_decade"])
    output.unlink(missing_ok=True)
    return replace(read_configuration(start), step=0), 0.0, block, offsets


def _window_limits(params: dict, block: int, tau_alpha: float) -> tuple[float, float]:
    """(shortest, longest) length of a window (τ): ≥ :data:`DYNAMICS_MIN_BLOCKS` blocks
    and ``dynamics_tau_alpha`` τα; at most max(``dynamics_max_time``, those blocks)."""
    min_time = max(
        DYNAMICS_MIN_BLOCKS * block * params["dt"],
        params["dynamics_tau_alpha"] * tau_alpha if np.isfinite(tau_alpha) else 0.0,
    )
    return min_time, max(params["dynamics_max_time"], DYNAMICS_MIN_BLOCKS * block * params["dt"])


def _next_frame(step: int, block: int, offsets: np.ndarray) -> int:
    """The step of the log-periodic frame after ``step``."""
    start, rest = divmod(step, block)
    later = offsets[offsets > rest]
    return int(start * block + (later[0] if len(later) else block))


def _progress_basis(msd: float, params: dict) -> str:
    """What the progress line's end estimate rests on."""
    target = params["dynamics_msd_target"]
    if target <= 0:  # no MSD target at this state (dynamics_msd_where)
        return f"ends at {params['dynamics_tau_alpha']:g} τα, no MSD_A target here"
    if not math.isfinite(msd):
        return "end estimated from τα"
    return f"end estimated from MSD_A = {msd:.3g} of {target:.3g} σ² and τα"


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
    dt, T, tau = params["dt"], sp["T"], params["thermostat_tau"]
    limit = deadline()
    t_wall = time.monotonic()
    conf, wall_before, block, offsets = _resume_or_start(checkpoint, output, start, params,
                                                         tau_alpha)  # fmt: skip
    min_time, max_time = _window_limits(params, block, tau_alpha)
    target = params["dynamics_msd_target"]
    origin = a_positions(read_configuration(output, 0)) if gsd_frame_count(output) else None

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
            md.run_nvt(_next_frame(md.step, block, offsets) - md.step, T, tau)
            traj.append(to_frame(md.configuration(), masses=md.mixture.masses))
            if md.step % block == 0 or time.monotonic() - last_ckpt > params["checkpoint_seconds"]:
                checkpoint_now()
                last_ckpt = time.monotonic()
                progress.update(md.step * dt, total=end, basis=_progress_basis(msd, params))
        record = provenance(md, "dynamics", sp, wall_before + time.monotonic() - t_wall)
        record.update({"time": md.step * dt, "frames": len(traj), "block_steps": block,
                       "block_time": block * dt, "msd_from_start": msd,
                       "target_reached": reached, "dt": dt})  # fmt: skip
    checkpoint.unlink(missing_ok=True)
    return record
