"""The resumable isoconfigurational-ensemble run behind the propensity stage (paper
§III.A, last paragraph; Widmer-Cooper, Harrowell & Fynewever 2004).

For each starting configuration (a frame of the production trajectory) M trajectories
start from the same positions and image flags with fresh Maxwell–Boltzmann velocities
at T (zero total momentum, exactly kT; drawn with numpy from a 64-bit key of the state
point, the frame and the member, so both engines start each member identically) and
run NVT with the production thermostat (Nosé–Hoover, ``thermostat_tau``, a fresh
thermostat variable per member).  At each measuring step the displacement of every
particle from the start, plain and cage-relative (Voronoi neighbours of the starting
configuration), is squared and summed over members: propensity = sum / M.

Checkpoint granularity is one member: the sums and the members done are saved
atomically after each member, with the identity of the run (state point, settings,
production digest); a checkpoint of another identity is discarded, not resumed.  A
member is deterministic given its start, so a resumed run gives bit for bit the
result of an uninterrupted one with the same engine.  The walltime deadline
(``$SOFTNESS_ENTROPY_DEADLINE``) is checked between members.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

import gsd.hoomd
import numpy as np

from ..analysis.propensity import cage_relative, voronoi_cells
from ..configuration import Configuration, maxwell_boltzmann
from ..gsd_io import from_frame
from ..model import Mixture
from .common import (
    WalltimeReached,
    deadline,
    load_checkpoint,
    make_engine,
    past_deadline,
    provenance,
    save_checkpoint,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ensemble:
    """What an isoconfigurational run measured.

    Attributes
    ----------
    steps : numpy.ndarray
        (T,) measuring steps after the start (multiply by dt for τ).
    frames : numpy.ndarray
        (C,) production-trajectory frames of the starting configurations.
    propensity : numpy.ndarray
        (C, T, n_A) ⟨\\|Δr_i(t)\\|²⟩ over the members (σ_AA²), A particles.
    propensity_cage : numpy.ndarray
        (C, T, n_A) the same for cage-relative displacements.
    a_index : numpy.ndarray
        (n_A,) particle indices of the columns.
    record : dict
        what ran (engine, members, particle-steps, wall seconds, resumes).
    """

    steps: np.ndarray
    frames: np.ndarray
    propensity: np.ndarray
    propensity_cage: np.ndarray
    a_index: np.ndarray
    record: dict


def member_velocities(
    sp: dict, frame: int, member: int, conf: Configuration, masses: tuple[float, float]
) -> np.ndarray:
    """Maxwell–Boltzmann velocities at the state's T for one member of the ensemble of
    trajectory frame ``frame``: a 64-bit seed from (state point, frame, member), so no
    two members of a study share their velocities (16-bit engine seeds would collide)."""
    text = json.dumps([dict(sp), int(frame), int(member)], sort_keys=True)
    key = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    return maxwell_boltzmann(conf.typeid, sp["T"], np.random.default_rng(key), masses)


def _resume(checkpoint: Path, identity: str, label: str) -> tuple | None:
    """(sums, cage-relative sums, members done per configuration, engine, wall seconds,
    resumes) of the checkpoint of this ``identity``, or None (a checkpoint of another
    identity is discarded)."""
    if not checkpoint.exists():
        return None
    _, extra = load_checkpoint(checkpoint, "isoconfigurational_ensemble")
    if str(extra.get("identity")) != identity:
        log.warning("%s: discarding a checkpoint of other settings or inputs", label)
        checkpoint.unlink()
        return None
    engine_info = {"engine": str(extra["engine"]), "engine_version": str(extra["engine_version"])}
    return (extra["sums"], extra["sums_cage"], extra["done"].astype(np.int64), engine_info,
            float(extra["wall_seconds"]), int(extra["resumes"]) + 1)  # fmt: skip


def run_isoconfigurational(
    sp: dict,
    params: dict,
    trajectory: Path,
    frames: np.ndarray,
    steps: np.ndarray,
    members: int,
    checkpoint: Path,
    identity: str,
    label: str,
) -> Ensemble:
    """Run (or resume) the ensembles of ``members`` trajectories from each of
    ``frames`` of ``trajectory`` and measure the propensity at ``steps``
    (module docstring).  ``identity`` names what the checkpoint must belong to."""
    mixture = Mixture.from_dict(params["mixture"])
    T, tau = sp["T"], params["thermostat_tau"]
    frames = np.asarray(frames, dtype=np.int64)
    steps = np.asarray(steps, dtype=np.int64)
    limit = deadline()
    t_wall = time.monotonic()
    with gsd.hoomd.open(trajectory, mode="r") as traj:
        starts = [
            replace(from_frame(traj[int(k)], f"{trajectory}[{k}]"), step=0, velocities=None)
            for k in frames
        ]
    a_index = np.flatnonzero(starts[0].typeid == 0)
    shape = (len(frames), len(steps), len(a_index))
    sums, sums_cage = np.zeros(shape), np.zeros(shape)
    done = np.zeros(len(frames), dtype=np.int64)
    wall_before, resumes = 0.0, 0
    engine_info: dict = {"engine": params["engine"], "engine_version": None}
    resumed = _resume(checkpoint, identity, label)
    if resumed is not None:
        sums, sums_cage, done, engine_info, wall_before, resumes = resumed
    for c, (frame, start) in enumerate(zip(frames, starts, strict=True)):
        if done[c] >= members:
            continue
        _, neighbours = voronoi_cells(start.box_length, start.positions)
        origin = start.unwrapped_positions()
        for m in range(int(done[c]), members):
            if past_deadline(limit):
                raise WalltimeReached(f"{label}: stopped at member {m} of configuration {c}")
            velocities = member_velocities(sp, int(frame), m, start, mixture.masses)
            with make_engine(sp, replace(start, velocities=velocities), params, "iso") as md:
                for k, target in enumerate(steps):
                    md.run_nvt(int(target) - md.step, T, tau)
                    d = md.configuration().unwrapped_positions() - origin
                    sums[c, k] += np.einsum("ij,ij->i", d, d)[a_index]
                    cr = cage_relative(d, neighbours)
                    sums_cage[c, k] += np.einsum("ij,ij->i", cr, cr)[a_index]
                engine_info = {k: provenance(md, "iso", sp, 0.0)[k]
                               for k in ("engine", "engine_version")}  # fmt: skip
            done[c] = m + 1
            wall = wall_before + time.monotonic() - t_wall
            save_checkpoint(checkpoint, start, identity=identity, sums=sums,
                            sums_cage=sums_cage, done=done, wall_seconds=wall,
                            resumes=resumes,
                            **{k: str(v) for k, v in engine_info.items()})  # fmt: skip
            log.info("%s: configuration %d/%d, member %d/%d (%.0f s)",
                     label, c + 1, len(frames), m + 1, members, wall)  # fmt: skip
    n = starts[0].n_particles
    record = {
        **engine_info,
        "configurations": len(frames),
        "trajectories": members,
        "steps": int(steps[-1]),
        "particle_steps": float(len(frames) * members * int(steps[-1]) * n),
        "wall_seconds": float(wall_before + time.monotonic() - t_wall),
        "resumes": resumes,
    }
    return Ensemble(steps=steps, frames=frames, propensity=sums / members,
                    propensity_cage=sums_cage / members, a_index=a_index,
                    record=record)  # fmt: skip


def run_identity(statepoint: dict, settings: dict, production_sha256: str, tau_alpha: float,
                 engine: str) -> str:  # fmt: skip
    """SHA-256 naming what an ensemble depends on (a checkpoint of another identity is
    discarded, not resumed): the state point, the propensity settings, the production
    trajectory's digest, τα and the engine."""
    payload = [statepoint, settings, production_sha256, tau_alpha, engine]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
