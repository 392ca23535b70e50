"""Inherent structures (paper §II.B): every production frame FIRE-minimized, written in
order to a GSD file; resumable frame by frame.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import gsd.hoomd
import numpy as np

from ..engines import FireParameters
from ..files import explained_write_errors
from ..gsd_io import (
    from_frame,
    to_frame,
)
from .common import (
    Progress,
    WalltimeReached,
    deadline,
    gsd_frame_count,
    make_engine,
    past_deadline,
    provenance,
)

log = logging.getLogger(__name__)


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
