"""The rearrangement indicator phop (paper eq. 2, §II.B).

.. math::

    p_{\\rm hop}(i, t) = \\sqrt{\\left\\langle (\\mathbf x_i - \\langle \\mathbf x_i\\rangle_B)^2
        \\right\\rangle_A \\left\\langle (\\mathbf x_i - \\langle \\mathbf x_i\\rangle_A)^2
        \\right\\rangle_B},
    \\qquad A = [t - t_R/2,\\, t],\\; B = [t,\\, t + t_R/2].

Frame alignment (stated once, used everywhere): with ``h = t_R / (2 Δt_frame)`` frames,
``phop[k]`` belongs to trajectory frame ``t = k + h`` and uses the frames
``t − h … t`` (window A, h + 1 frames) and ``t … t + h`` (window B, h + 1 frames); both
windows contain frame t, as the closed intervals of eq. 2 do.  Frames closer than h to
either end of the trajectory have no phop.  The paper uses t_R = 10 τ with frames every
1 τ, i.e. h = 5.

Units: phop is a squared length (σ_AA²).  Positions must be unwrapped (inherent
structures carry the image flags of their thermal frames).

The computation is O(N·F): window sums come from cumulative sums over frames.
"""

from __future__ import annotations

import numpy as np


def half_window(t_r: float, frame_interval: float) -> int:
    """h = t_R / (2 Δt_frame) in frames; ValueError unless it is a positive integer."""
    h = t_r / (2.0 * frame_interval)
    if h < 1 or abs(h - round(h)) > 1e-9:
        raise ValueError(
            f"t_R/2 = {t_r / 2} must be a positive whole number of frame intervals "
            f"({frame_interval})"
        )
    return round(h)


#: particles processed per block: keeps the temporaries in cache-sized pieces
BLOCK = 2048


def _window_means(x: np.ndarray, h: int, n_valid: int) -> tuple[np.ndarray, np.ndarray]:
    """Means over window A (frames k..k+h) and B (frames k+h..k+2h) for k < n_valid."""
    cum = np.empty((x.shape[0] + 1, *x.shape[1:]))
    cum[0] = 0.0
    np.cumsum(x, axis=0, out=cum[1:])
    n = h + 1
    mean_a = cum[h + 1 : h + 1 + n_valid] - cum[:n_valid]
    mean_b = cum[2 * h + 1 : 2 * h + 1 + n_valid] - cum[h : h + n_valid]
    mean_a /= n
    mean_b /= n
    return mean_a, mean_b


def _phop_block(x: np.ndarray, h: int) -> np.ndarray:
    n_valid = x.shape[0] - 2 * h
    x = x - x[:1]  # displacements from the first frame: small sums, little round-off
    mean_a, mean_b = _window_means(x, h, n_valid)
    sq_a, sq_b = _window_means(np.einsum("fnc,fnc->fn", x, x), h, n_valid)
    cross = np.einsum("fnc,fnc->fn", mean_a, mean_b)
    # <(x - m_B)^2>_A = <x^2>_A - 2 m_A·m_B + m_B^2, and symmetrically for B
    term_a = sq_a - 2.0 * cross + np.einsum("fnc,fnc->fn", mean_b, mean_b)
    term_b = sq_b - 2.0 * cross + np.einsum("fnc,fnc->fn", mean_a, mean_a)
    np.clip(term_a, 0.0, None, out=term_a)
    np.clip(term_b, 0.0, None, out=term_b)
    term_a *= term_b
    return np.sqrt(term_a, out=term_a)


def phop(positions: np.ndarray, h: int) -> np.ndarray:
    """phop of every particle at every frame where both windows fit (paper eq. 2).

    Parameters
    ----------
    positions : numpy.ndarray
        (F, N, 3) unwrapped positions (σ_AA), frames equally spaced; float32
        or float64 (computed in float64).
    h : int
        half window in frames (:func:`half_window`).

    Returns
    -------
    numpy.ndarray
        (F − 2h, N) float64 array; row k belongs to frame k + h (module docstring).
    """
    x = np.asarray(positions)
    if x.ndim != 3 or x.shape[2] != 3:
        raise ValueError(f"positions must have shape (F, N, 3); got {x.shape}")
    if h < 1:
        raise ValueError(f"h must be ≥ 1; got {h}")
    n_frames, n_particles = x.shape[:2]
    if n_frames - 2 * h < 1:
        raise ValueError(f"{n_frames} frames are too few for windows of h = {h} frames")
    out = np.empty((n_frames - 2 * h, n_particles))
    for lo in range(0, n_particles, BLOCK):
        block = np.asarray(x[:, lo : lo + BLOCK], dtype=np.float64)
        out[:, lo : lo + BLOCK] = _phop_block(block, h)
    return out


def phop_reference(positions: np.ndarray, h: int) -> np.ndarray:
    """Straightforward loop implementation of eq. 2 (for tests and benchmarks)."""
    x = np.asarray(positions, dtype=np.float64)
    out = np.empty((x.shape[0] - 2 * h, x.shape[1]))
    for k in range(out.shape[0]):
        t = k + h
        win_a, win_b = x[t - h : t + 1], x[t : t + h + 1]
        m_a, m_b = win_a.mean(axis=0), win_b.mean(axis=0)
        term_a = ((win_a - m_b) ** 2).sum(axis=2).mean(axis=0)
        term_b = ((win_b - m_a) ** 2).sum(axis=2).mean(axis=0)
        out[k] = np.sqrt(term_a * term_b)
    return out
