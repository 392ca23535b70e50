"""The onset of supercooled dynamics from D_A(T) (paper §III.A; Figs. 1d, 2).

In the liquid the diffusivity is Arrhenius, ln D = a − E/T; below the onset
temperature it falls faster (the "crossover" of §III.A).  The Arrhenius line is fitted
to the ``n_hot`` hottest temperatures (weighted by the errors of ln D, scaled by the
residuals where they exceed them) and extrapolated; the first colder state slower than
the line by more than ``max(departure, n_sigma × σ)`` in ln D (σ: its own error and
the line's extrapolation error combined), and every colder one, is supercooled.  The
onset lies between the coldest state still on the line and the first departing one;
it is reported as their midpoint in 1/T with that bracket.  The same function
applies to 1/τα (τα ∝ 1/D in the liquid).

(The line is *not* refitted as colder states join it: a line refitted to every state
that is still close absorbs a gradual curvature and then never departs — the first
version did this and put the onset of Δ = 0 at T ≈ 0.57.)

These supercooled temperatures are the ones whose P_R strata are fitted (the paper:
"Arrhenius fits in the supercooled regime"), chosen from the dynamics and not from
P_R itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Departure:
    """Where ln D departs from its high-temperature Arrhenius line.

    Attributes
    ----------
    supercooled : numpy.ndarray
        (n,) bool, in the order of the input temperatures.
    onset : float
        midpoint in 1/T of ``bracket`` (NaN when nothing departs).
    bracket : tuple
        (coldest Arrhenius T, warmest departing T).
    activation_energy : float
        E of the liquid's line (ε_AA), ln D = a − E/T.
    n_liquid : int
        temperatures the line is fitted to (``n_hot``).
    deviation : numpy.ndarray
        (n,) ln D_line − ln D (positive: slower than Arrhenius).
    """

    supercooled: np.ndarray
    onset: float
    bracket: tuple[float, float]
    activation_energy: float
    n_liquid: int
    deviation: np.ndarray


def arrhenius_departure(
    temperatures: np.ndarray,
    rate: np.ndarray,
    rate_error: np.ndarray | None = None,
    n_hot: int = 3,
    departure: float = 0.2,
    n_sigma: float = 3.0,
) -> Departure:
    """Supercooled temperatures from a rate (D_A, or 1/τα) against temperature.

    ``departure``: least deviation in ln(rate) counted as non-Arrhenius (0.2: 18 %
    slower than the line).  States with a non-finite rate are never on the line.
    """
    t = np.asarray(temperatures, dtype=float)
    y = np.log(np.asarray(rate, dtype=float))
    err = (
        np.zeros_like(y)
        if rate_error is None
        else np.nan_to_num(np.asarray(rate_error, dtype=float) / np.asarray(rate), nan=0.0)
    )
    order = np.argsort(-t)
    n = len(t)
    deviation = np.full(n, np.nan)
    if n_hot < 2:
        raise ValueError(f"n_hot must be ≥ 2; got {n_hot}")
    if n <= n_hot or not np.all(np.isfinite(y[order[:n_hot]])):
        return Departure(np.zeros(n, bool), np.nan, (np.nan, np.nan), np.nan, min(n, n_hot),
                         deviation)  # fmt: skip
    hot = order[:n_hot]
    x = 1.0 / t[hot]
    w = 1.0 / np.maximum(err[hot], 1e-12) ** 2 if np.any(err[hot] > 0) else np.ones(n_hot)
    design = np.column_stack([np.ones(n_hot), x])
    cov = np.linalg.inv(design.T @ (w[:, None] * design))
    coef = cov @ (design.T @ (w * y[hot]))
    resid = y[hot] - design @ coef
    if n_hot > 2:  # residuals larger than the errors widen the line's uncertainty
        cov = cov * max(1.0, float(np.sum(w * resid**2) / (n_hot - 2)))
    line = coef[0] + coef[1] / t
    deviation = line - y
    first_departing = None
    last_ok = hot[-1]
    for k in order[n_hot:]:
        g = np.array([1.0, 1.0 / t[k]])
        sigma = float(np.sqrt(max(g @ cov @ g, 0.0) + err[k] ** 2))
        if not np.isfinite(y[k]) or deviation[k] > max(departure, n_sigma * sigma):
            first_departing = k
            break
        last_ok = k
    supercooled = np.zeros(n, bool)
    if first_departing is None:
        return Departure(supercooled, np.nan, (float(t[last_ok]), np.nan), float(-coef[1]),
                         n_hot, deviation)  # fmt: skip
    t_dep = t[first_departing]
    supercooled = t <= t_dep
    t_ok = t[last_ok]
    onset = 2.0 / (1.0 / t_ok + 1.0 / t_dep)
    return Departure(supercooled, float(onset), (float(t_ok), float(t_dep)), float(-coef[1]),
                     n_hot, deviation)  # fmt: skip
