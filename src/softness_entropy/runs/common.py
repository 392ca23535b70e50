"""Shared machinery of the resumable MD runs (paper §II.A): the wall-clock deadline,
checkpoints, GSD frame bookkeeping, progress logs, the engine of a state point and the
provenance of a run.

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
from pathlib import Path
from typing import Any

import gsd.hoomd
import numpy as np

from ..atomic import atomic_path
from ..configuration import Configuration, make_seed
from ..engines import Engine, create_engine
from ..files import atomic_savez
from ..model import Mixture

log = logging.getLogger(__name__)


DEADLINE_ENV = "SOFTNESS_ENTROPY_DEADLINE"


#: stop this many seconds before the deadline
DEADLINE_MARGIN = 120.0


class WalltimeReached(RuntimeError):
    """The run checkpointed and stopped before the job's wall-clock limit."""


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
