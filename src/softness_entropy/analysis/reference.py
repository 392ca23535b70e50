"""Reference temperatures: one temperature scale for every system (paper §II.A).

The paper runs each system (Δ, ρ) on the Δ = 0 ladder scaled by a factor chosen so
that the systems' dynamics match ("T_max = 2.51, 3.25, 4.39, 6.29").  A temperature T
of system (Δ, ρ) is the *reference temperature* T_ref = T / scale on the Δ = 0 ladder.
The authors fit every system's ln P_R over the same reference window, T_ref = 0.45 …
0.64 (ianrgraham/monk, ``workflows/sc-states/mlj-production/030423-barrier-thermal.ipynb``
cells 6–9: Δ = 0 at 0.45 … 0.64, Δ = 0.4 at 1.42 … 2.01 = 3.14556 × 0.45 … 0.64), and
quote accuracies at matched reference temperatures (``102522-mlj-supplementary.ipynb``
cell 6).

The scale is the study's ``t_max / top`` where the study scales a ladder
(``workflow/studies.py``); otherwise the authors' iso-dynamics map of the expanded
Kob–Andersen mixtures (:func:`iso_dynamics_scale`).  Ladders are rounded to 0.01, so a
rung maps back onto its reference temperature to within 0.005 / scale
(:data:`ROUNDING`).
"""

from __future__ import annotations

import numpy as np

#: temperatures of a study are rounded to this (k_B T / ε_AA): a rung's T_ref is known
#: to within ROUNDING / 2 / scale
ROUNDING = 0.01
#: the density of the Δ = 0 reference system (σ_AA⁻³)
REFERENCE_DENSITY = 1.2


def iso_dynamics_scale(delta: float, rho: float) -> float:
    """The authors' temperature scale of the expanded-LJ Kob–Andersen system (Δ, ρ)
    relative to Δ = 0 at ρ = 1.2: (ρ/1.2)^{2/3} / (1 − Δ 2^{1/6})²
    (ianrgraham/monk, ``mlj-production/083122-mlj-production.ipynb`` cell 3,
    ``iso_mlj_pred``): 1, 1.2547, 1.6256, 2.1967, 3.1456 for the paper's five systems."""
    return float((rho / REFERENCE_DENSITY) ** (2.0 / 3.0) / (1.0 - delta * 2 ** (1.0 / 6.0)) ** 2)


def reference_temperatures(temperatures, scale: float) -> np.ndarray:
    """T / scale (k_B T / ε_AA of the reference ladder)."""
    return np.asarray(temperatures, dtype=float) / float(scale)


def in_reference_window(temperatures, scale: float, window: tuple[float, float]) -> np.ndarray:
    """Mask of the temperatures whose reference temperature lies in ``window``
    (inclusive, to within the ladder's rounding)."""
    t_ref = reference_temperatures(temperatures, scale)
    tolerance = 0.5 * ROUNDING / float(scale) + 1e-9
    low, high = window
    return (t_ref >= low - tolerance) & (t_ref <= high + tolerance)
