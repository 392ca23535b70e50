"""Soft and hard training examples from phop series (paper §II.B).

Only local extrema of each particle's phop(t) (σ_AA², eq. 2) are used.  Two rules are
implemented; :data:`EVENT_RULES` names them and :func:`training_events` picks one.

``"paper"`` — the rule as the paper's text states it (:func:`soft_events`,
:func:`hard_events`):

* **soft** (rearranging): peaks (local maxima) with phop ≥ p_S (0.2 σ²), at least
  ``soft_separation`` (10 τ) apart;
* **hard** (not rearranging): troughs (local minima) with phop ≤ p_H (0.05 σ²), at
  least ``hard_separation`` (80 τ) apart.

The height test comes first, then the separation: of two qualifying events closer than the
separation the higher peak (the deeper trough) is kept — exactly
``scipy.signal.find_peaks(height=..., distance=...)``, whose ``height`` bound is inclusive.

``"authors"`` — the rule of the authors' code (schmeud, ``schmeud/ml.py``,
``group_hard_soft_by_cutoffs``; :func:`soft_events_authors`,
:func:`hard_events_authors`):

* **soft**: local maxima of phop, thinned to at least ``soft_separation`` apart, then
  those with phop ≥ p_S;
* **hard**: local *maxima* of phop (not troughs), thinned to at least
  ``hard_separation`` apart, then those with phop < p_H (strict).

Here the separation acts before the height test: every local maximum, above threshold or
not, takes part in the thinning, so a small maximum near a larger one is dropped even
when the larger one is itself below threshold.  For soft examples this changes nothing
(a peak can only be removed by a higher one, and every peak above p_S outranks every peak
below it), so the two soft rules differ only by the separation used (up to the order of
exact ties).  For hard examples it is a different selection: a hard example is a quiet
maximum, below p_H, that survived the thinning — the particle is quiet around it, there
being no higher surviving maximum within ``hard_separation`` frames.  (A higher maximum
that was itself removed by a still higher one does not count, so a hop can lie closer
than ``hard_separation`` to a hard example.)  A series without an interior local maximum
(monotone, constant, or a single dip) gives no example under the authors' rule.  The
authors' scripts call it with ``distance=100, hard_distance=800`` frames at 1 τ per
frame, against the paper's 10 τ and 80 τ.

Separations are given in frames (the defaults: the paper's, at 1 τ per frame; for the
authors' functions the authors' 100 and 800).  ``find_peaks`` keeps two events exactly
``separation`` frames apart; values below 1 are treated as 1 (no thinning).  Frame
indices returned are those of the phop array (add the phop half window h for trajectory
frames, see :mod:`.phop`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from ..paper import HARD_SEPARATION, P_HARD, P_SOFT, SOFT_SEPARATION

#: names of the training-example rules :func:`training_events` accepts
EVENT_RULES: tuple[str, ...] = ("paper", "authors")

#: the authors' separations of soft and of hard examples (frames; 1 τ per frame)
AUTHORS_SOFT_SEPARATION = 100
AUTHORS_HARD_SEPARATION = 800


@dataclass(frozen=True)
class Events:
    """Selected events: parallel arrays of phop-frame index and particle index.

    Both int64, ordered by particle, then by frame.
    """

    frames: np.ndarray
    particles: np.ndarray

    def __len__(self) -> int:
        return len(self.frames)


def _select(
    series: np.ndarray,
    distance: int,
    height: float | None = None,
    keep: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Events:
    """``find_peaks`` on each column of ``series`` (F, N), then an optional post-filter.

    ``height`` and ``distance`` go to ``find_peaks`` (``distance`` raised to at least 1);
    ``keep`` maps the values at the surviving peaks to a boolean mask of those to keep.
    """
    frames, particles = [], []
    for i in range(series.shape[1]):
        column = series[:, i]
        peaks, _ = find_peaks(column, height=height, distance=max(1, distance))
        if keep is not None:
            peaks = peaks[keep(column[peaks])]
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
    """Paper rule: peaks of phop ≥ ``p_soft`` (σ²), at least ``separation`` frames apart.

    ``phop``: (F, N) array (σ_AA²), one column per particle.
    """
    phop = np.asarray(phop, dtype=np.float64)
    return _select(phop, separation, height=p_soft)


def hard_events(
    phop: np.ndarray, p_hard: float = P_HARD, separation: int = round(HARD_SEPARATION)
) -> Events:
    """Paper rule: troughs of phop ≤ ``p_hard`` (σ²), at least ``separation`` frames apart.

    ``phop``: (F, N) array (σ_AA²), one column per particle.
    """
    phop = np.asarray(phop, dtype=np.float64)
    return _select(-phop, separation, height=-p_hard)


def soft_events_authors(
    phop: np.ndarray, p_soft: float = P_SOFT, separation: int = AUTHORS_SOFT_SEPARATION
) -> Events:
    """Authors' rule: local maxima of phop thinned to ``separation`` frames, then ≥ ``p_soft``.

    ``phop``: (F, N) array (σ_AA²), one column per particle; ``p_soft`` in σ_AA²;
    ``separation`` in frames.  schmeud ``ml.group_hard_soft_by_cutoffs`` (``distance``).
    """
    phop = np.asarray(phop, dtype=np.float64)
    return _select(phop, separation, keep=lambda values: values >= p_soft)


def hard_events_authors(
    phop: np.ndarray, p_hard: float = P_HARD, separation: int = AUTHORS_HARD_SEPARATION
) -> Events:
    """Authors' rule: local maxima of phop thinned to ``separation`` frames, then < ``p_hard``.

    Maxima, not troughs: a hard example is a frame where phop peaks below ``p_hard`` with
    no higher surviving maximum within ``separation`` frames.  ``phop``: (F, N) array
    (σ_AA²); ``p_hard`` in σ_AA²; ``separation`` in frames.  schmeud
    ``ml.group_hard_soft_by_cutoffs`` (``hard_distance``).
    """
    phop = np.asarray(phop, dtype=np.float64)
    return _select(phop, separation, keep=lambda values: values < p_hard)


def training_events(
    phop: np.ndarray,
    rule: str,
    p_soft: float,
    p_hard: float,
    soft_separation: int,
    hard_separation: int,
) -> tuple[Events, Events]:
    """(soft, hard) training examples of ``phop`` by ``rule``, one of :data:`EVENT_RULES`.

    ``phop``: (F, N) array (σ_AA²); ``p_soft``, ``p_hard`` in σ_AA²; separations in
    frames.  Raises ``ValueError`` for an unknown rule.
    """
    if rule == "paper":
        return (
            soft_events(phop, p_soft, soft_separation),
            hard_events(phop, p_hard, hard_separation),
        )
    if rule == "authors":
        return (
            soft_events_authors(phop, p_soft, soft_separation),
            hard_events_authors(phop, p_hard, hard_separation),
        )
    raise ValueError(f"unknown event rule {rule!r}; expected one of {EVENT_RULES}")


@dataclass(frozen=True)
class RearrangementEvents:
    """phop of every A particle on an inherent-structure trajectory and its training
    events (paper §II.B), with every index in the trajectory's terms.

    Attributes
    ----------
    phop : numpy.ndarray
        (rows, N_A) σ_AA²; row k covers frames k … k + 2h and labels frame
        ``frames[k]`` (k + h for the centre label, eq. 2; k for the start label).
    frames : numpy.ndarray
        (rows,) trajectory frame of each row.
    a_index : numpy.ndarray
        (N_A,) particle index of each column.
    half_window : int
        h (frames).
    offset : int
        the label offset (h or 0).
    soft, hard : Events
        the training events (trajectory frames, particle indices).
    """

    phop: np.ndarray
    frames: np.ndarray
    a_index: np.ndarray
    half_window: int
    offset: int
    soft: Events
    hard: Events


def label_offset(label: str, half_window: int) -> int:
    """Frame a phop row labels, relative to its first frame: ``h`` for "centre" (eq. 2),
    0 for "start" (parameter ``phop_label``)."""
    return half_window if label == "centre" else 0


def rearrangement_events(
    positions: np.ndarray,
    a_index: np.ndarray,
    half_window: int,
    label: str,
    rule: str,
    p_soft: float,
    p_hard: float,
    separations: tuple[int, int],
) -> RearrangementEvents:
    """phop (eq. 2) of the A particles of an inherent-structure trajectory
    (``positions``: (F, N_A, 3) unwrapped, σ_AA; ``a_index``: their particle indices)
    and its soft and hard training events by ``rule`` (:func:`training_events`;
    ``separations``: soft, hard in frames)."""
    from .phop import phop

    values = phop(positions, half_window)
    offset = label_offset(label, half_window)
    soft, hard = training_events(values, rule, p_soft, p_hard, *separations)
    return RearrangementEvents(
        values,
        np.arange(len(values)) + offset,
        a_index,
        half_window,
        offset,
        Events(soft.frames + offset, a_index[soft.particles]),
        Events(hard.frames + offset, a_index[hard.particles]),
    )
