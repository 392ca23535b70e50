"""The production run of one state point (paper §II.A): NVT from the equilibrated
configuration, frames written to a GSD trajectory with their thermodynamics; resumable.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import gsd.hoomd
import numpy as np

from ..engines import Engine
from ..files import explained_write_errors
from ..gsd_io import (
    read_configuration,
    to_frame,
)
from .common import (
    Progress,
    WalltimeReached,
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


def inherent_structure_window(params: dict, tau_alpha: float) -> float:
    """Length of the inherent-structure window (τ): ``production_time``, or
    ``is_window_tau_alpha`` × τα where that is longer, so that the coldest states hold
    as many independent rearrangements per particle as the warmer ones (§II.B)."""
    if not math.isfinite(tau_alpha):
        return params["production_time"]
    n = math.ceil(params["is_window_tau_alpha"] * tau_alpha / params["frame_interval"])
    return max(params["production_time"], n * params["frame_interval"])


def window_tau_alpha(dynamics: dict) -> float:
    """The τα that sets the inherent-structure window, from a state's ``dynamics``
    record: the measured one, or — where F_s never reached 1/e within the dynamics
    window, so τα is longer than it — the longer of the window and the equilibration
    tracker's estimate."""
    tau = float("nan") if dynamics["tau_alpha"] is None else dynamics["tau_alpha"]
    if not math.isfinite(tau):
        tau = max(dynamics.get("tau_alpha_equilibration") or 0.0, dynamics["time"])
    return tau
