"""The onset of supercooled dynamics from D_A(T) (paper §III.A; Figs. 1d, 2).

In the liquid the diffusivity is Arrhenius, ln D = a − E/T; below the onset
temperature it falls faster (the "crossover" of §III.A).  Starting from the
``n_hot`` hottest temperatures, the Arrhenius line is grown one temperature at a time,
coldest last, as long as the next colder state lies on it; the first state slower
than the line by more than ``max(departure, n_sigma × its uncertainty)`` in ln D, and
every colder one, is supercooled.  The onset lies between the coldest Arrhenius state
and the first departing one; it is reported as their midpoint in 1/T with that
bracket.  The same function applies to 1/τα (τα ∝ 1/D in the liquid).

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
    supercooled : (n,) bool, in the order of the input temperatures.
    onset : midpoint in 1/T of ``bracket`` (NaN when nothing departs).
    bracket : (coldest Arrhenius T, warmest departing T).
    activation_energy : E of the liquid's line (ε_AA), ln D = a − E/T.
    n_liquid : temperatures on the line.
    deviation : (n,) ln D_line − ln D (positive: slower than Arrhenius).
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
    liquid = list(order[:n_hot])
    first_departing = None
    for k in order[n_hot:]:
        x = 1.0 / t[liquid]
        coef, cov = np.polyfit(x, y[liquid], 1, cov="unscaled")
        resid = y[liquid] - np.polyval(coef, x)
        scale = resid.var(ddof=2) if len(liquid) > 2 else 0.0
        pred = np.polyval(coef, 1.0 / t[k])
        pred_var = scale * np.array([1.0 / t[k], 1.0]) @ cov @ np.array([1.0 / t[k], 1.0])
        sigma = float(np.sqrt(max(pred_var, 0.0) + err[k] ** 2))
        deviation[k] = pred - y[k]
        if not np.isfinite(y[k]) or deviation[k] > max(departure, n_sigma * sigma):
            first_departing = k
            break
        liquid.append(k)
    coef = np.polyfit(1.0 / t[liquid], y[liquid], 1)
    deviation = np.polyval(coef, 1.0 / t) - y
    supercooled = np.zeros(n, bool)
    if first_departing is None:
        return Departure(supercooled, np.nan, (float(t[liquid[-1]]), np.nan), float(-coef[0]),
                         len(liquid), deviation)  # fmt: skip
    t_dep = t[first_departing]
    supercooled = t <= t_dep
    t_ok = t[liquid[-1]]
    onset = 2.0 / (1.0 / t_ok + 1.0 / t_dep)
    return Departure(supercooled, float(onset), (float(t_ok), float(t_dep)), float(-coef[0]),
                     len(liquid), deviation)  # fmt: skip
