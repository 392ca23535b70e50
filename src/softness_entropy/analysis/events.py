"""Soft and hard training examples from phop series (paper §II.B).

Only peaks and troughs of each particle's phop(t) are used:

* **soft** (rearranging): peaks with phop > p_S (0.2 σ²), at least ``soft_separation``
  (10 τ) apart;
* **hard** (not rearranging): troughs with phop < p_H (0.05 σ²), at least
  ``hard_separation`` (80 τ) apart.

When two events are closer than the separation, the more prominent peak (the deeper
trough) is kept — exactly what ``scipy.signal.find_peaks``'s ``distance`` does.
Separations are given in frames (the defaults: the paper's, at 1 τ per frame).  Frame
indices returned are those of the phop array (add the phop half window h for
trajectory frames, see :mod:`.phop`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from ..paper import HARD_SEPARATION, P_HARD, P_SOFT, SOFT_SEPARATION


@dataclass(frozen=True)
class Events:
    """Selected events: parallel arrays of phop-frame index and particle index."""

    frames: np.ndarray
    particles: np.ndarray

    def __len__(self) -> int:
        return len(self.frames)


def _select(series: np.ndarray, height: float, distance: int) -> Events:
    frames, particles = [], []
    for i in range(series.shape[1]):
        peaks, _ = find_peaks(series[:, i], height=height, distance=distance)
        frames.append(peaks)
        particles.append(np.full(len(peaks), i))
    if not frames:
        return Events(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    return Events(
        np.concatenate(frames).astype(np.int64), np.concatenate(particles).astype(np.int64)
    )


def soft_events(
    phop: np.ndarray, p_soft: float = P_SOFT, separation: int = round(SOFT_SEPARATION)
) -> Events:
    """Peaks of phop above ``p_soft``, at least ``separation`` frames apart (per particle).

    ``phop``: (F, N) array, one column per particle.
    """
    phop = np.asarray(phop, dtype=np.float64)
    return _select(phop, p_soft, max(1, separation))


def hard_events(
    phop: np.ndarray, p_hard: float = P_HARD, separation: int = round(HARD_SEPARATION)
) -> Events:
    """Troughs of phop below ``p_hard``, at least ``separation`` frames apart."""
    phop = np.asarray(phop, dtype=np.float64)
    return _select(-phop, -p_hard, max(1, separation))
