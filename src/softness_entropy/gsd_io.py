"""GSD trajectories and checkpoints, written the same way whichever engine ran.

Trajectory frames follow the HOOMD schema (``gsd.hoomd``): ``particles.position``
(float32, wrapped), ``particles.image`` (int32, so trajectories can be unwrapped),
``particles.typeid`` with ``particles.types = ['A', 'B']``, ``configuration.box`` and
``configuration.step``.  Velocities are stored only where asked (checkpoints).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import gsd.hoomd
import numpy as np

from . import model
from .atomic import atomic_path
from .configuration import Configuration


def to_frame(
    conf: Configuration,
    *,
    with_velocities: bool = False,
    masses: tuple[float, float] = (model.MASS, model.MASS),
) -> gsd.hoomd.Frame:
    """Convert a configuration into a ``gsd.hoomd.Frame`` (``masses``: m_A, m_B)."""
    frame = gsd.hoomd.Frame()
    frame.configuration.step = conf.step
    L = conf.box_length
    frame.configuration.box = [L, L, L, 0.0, 0.0, 0.0]
    frame.particles.N = conf.n_particles
    frame.particles.types = list(model.TYPES)
    frame.particles.typeid = conf.typeid.astype(np.uint32)
    frame.particles.position = conf.positions.astype(np.float32)
    frame.particles.image = conf.image
    frame.particles.mass = np.asarray(masses, dtype=np.float32)[conf.typeid]
    if with_velocities and conf.velocities is not None:
        frame.particles.velocity = conf.velocities.astype(np.float32)
    return frame


def from_frame(frame: gsd.hoomd.Frame, source: str = "frame") -> Configuration:
    """Convert a ``gsd.hoomd.Frame`` (cubic box, types A/B) into a configuration.

    Raises ValueError naming ``source`` when the frame is not a cubic A/B mixture.
    """
    box = np.asarray(frame.configuration.box, dtype=np.float64)
    if not (np.allclose(box[:3], box[0]) and np.allclose(box[3:], 0.0)):
        raise ValueError(f"{source}: expected a cubic box, got box={box.tolist()}")
    types = list(frame.particles.types)
    if types[: len(model.TYPES)] != list(model.TYPES)[: len(types)]:
        raise ValueError(f"{source}: expected particle types {list(model.TYPES)}, got {types}")
    n = int(frame.particles.N)
    image = frame.particles.image if frame.particles.image is not None else np.zeros((n, 3))
    velocity = frame.particles.velocity
    return Configuration(
        box_length=float(box[0]),
        positions=np.asarray(frame.particles.position, dtype=np.float64),
        typeid=np.asarray(frame.particles.typeid, dtype=np.int32),
        image=np.asarray(image, dtype=np.int32),
        velocities=None if velocity is None or not np.any(velocity) else np.asarray(velocity),
        step=int(frame.configuration.step),
    ).wrapped()


def write_configuration(
    path: str | os.PathLike,
    conf: Configuration,
    masses: tuple[float, float] = (model.MASS, model.MASS),
) -> None:
    """Write a single-frame GSD file atomically (write to a temporary name, then rename)."""
    path = Path(path)
    with atomic_path(path) as tmp, gsd.hoomd.open(tmp, mode="w") as f:
        f.append(to_frame(conf, with_velocities=True, masses=masses))


def read_configuration(path: str | os.PathLike, index: int = -1) -> Configuration:
    """Read one frame of a GSD file as a configuration (default: the last frame)."""
    path = Path(path)
    try:
        with gsd.hoomd.open(path, mode="r") as f:
            if len(f) == 0:
                raise ValueError(f"{path}: the GSD file holds no frames")
            return from_frame(f[index], source=f"{path}[{index}]")
    except (OSError, RuntimeError) as err:
        raise ValueError(f"{path}: not a readable GSD file ({err})") from None


class Trajectory(NamedTuple):
    """One species of a GSD trajectory (:func:`read_trajectory`): ``steps`` (F,) int64,
    ``positions`` (F, N_s, 3) float32 unwrapped (σ_AA), ``first`` its first frame."""

    steps: np.ndarray
    positions: np.ndarray
    first: Configuration


def read_trajectory(path: str | os.PathLike, species: int | None = 0) -> Trajectory:
    """Unwrapped positions of one species (default A) over a whole GSD trajectory.

    Returns ``(steps, positions, first)``: (F,) int64 steps, (F, N_s, 3) float32
    unwrapped positions (σ_AA), and the first frame as a configuration.  ``species``
    None keeps every particle.
    """
    path = Path(path)
    try:
        with gsd.hoomd.open(path, mode="r") as traj:
            n = len(traj)
            if n == 0:
                raise ValueError(f"{path}: the trajectory holds no frames")
            first = from_frame(traj[0], f"{path}[0]")
            keep = np.ones(first.n_particles, bool) if species is None else first.typeid == species
            steps = np.empty(n, dtype=np.int64)
            positions = np.empty((n, int(keep.sum()), 3), dtype=np.float32)
            for i, frame in enumerate(traj):
                conf = from_frame(frame, f"{path}[{i}]")
                if conf.n_particles != first.n_particles:
                    raise ValueError(f"{path}[{i}]: particle count changed")
                steps[i] = conf.step
                positions[i] = conf.unwrapped_positions()[keep]
    except (OSError, RuntimeError) as err:
        raise ValueError(f"{path}: not a readable GSD trajectory ({err})") from None
    return Trajectory(steps, positions, first)


@contextlib.contextmanager
def frames_of(path: str | os.PathLike) -> Iterator[Callable[[int], Configuration]]:
    """Open a GSD trajectory and yield ``configuration_at(k)``, its frame k as a
    configuration (errors name the file and frame)."""
    with gsd.hoomd.open(path, mode="r") as traj:
        yield lambda k: from_frame(traj[int(k)], f"{path}[{k}]")
