"""Dynamic propensity in the isoconfigurational ensemble, and how well a structural
predictor correlates with it (paper §III.A, last paragraph).

The isoconfigurational ensemble (Widmer-Cooper, Harrowell & Fynewever 2004): M
trajectories start from the same positions with fresh Maxwell–Boltzmann velocities.
The propensity of particle i at time t is its ensemble-mean squared displacement

    P_i(t) = ⟨\\|r_i(t) − r_i(0)\\|²⟩_M   (σ_AA²),

and the cage-relative variant replaces each displacement by its difference from the
mean displacement of the particle's neighbours in the starting configuration,

    Δr_i^CR = Δr_i − (1/\\|N_i\\|) Σ_{j ∈ N_i} Δr_j,

which removes the collective drift of a particle's surroundings (long-wavelength
phonons, Mermin–Wagner-like fluctuations) that says nothing about local structure
(Illing et al. 2017, Shiba et al. 2016; the GlassBench comparison of the roadmap on
machine learning for glassy dynamics, Jung et al. 2023, reports both).

A predictor (softness S, local s2, the inherent structure's particle energy, the
Voronoi volume) is scored by its Pearson and Spearman correlation with P_i(t)
over the A particles of each starting configuration, averaged over configurations,
with a bootstrap interval over configurations.  Functions here take arrays (unwrapped
displacements, positions, predictor values) and return arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .barriers import one_sigma_interval

#: periodic images within this many mean particle spacings (ρ^{-1/3}) of the box
#: surround it for the Voronoi tessellation; the volumes summing to L³ checks it
VORONOI_MARGIN_SPACINGS = 3.0


def voronoi_cells(box_length: float, positions: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Voronoi cell volumes (σ_AA³) of every particle of a cubic periodic box and the
    (i, j) index pairs of Voronoi neighbours (cells sharing a face; each unordered
    pair both ways).

    The neighbours define the cage of the cage-relative displacement: parameter-free,
    so the same definition serves every Δ (a distance cut-off at the first minimum of
    g(r) would move with the well width); the volumes are the free-volume baseline.

    scipy's Qhull on the box and its periodic images within
    :data:`VORONOI_MARGIN_SPACINGS` spacings of it, not freud's Voronoi: freud's
    voro++ crashes (segmentation fault) in any process that has loaded LAMMPS, whose
    ``liblammps.so`` exports its own voro++ (241 symbols) and is loaded RTLD_GLOBAL,
    as ``project.py run`` does before this stage.  On a 432-particle liquid both give
    the same volumes (to 1e-15) and the same neighbours but for 3 of 3075 pairs (which
    Qhull finds and voro++ does not: presumably vanishing faces); 0.13 s here."""
    from scipy.spatial import ConvexHull, Voronoi

    L = float(box_length)
    pos = np.asarray(positions, dtype=np.float64)
    pos = pos - L * np.round(pos / L)
    n = len(pos)
    margin = VORONOI_MARGIN_SPACINGS * (L**3 / n) ** (1 / 3)
    points, index = [pos], [np.arange(n)]
    for shift in np.ndindex(3, 3, 3):
        if shift == (1, 1, 1):
            continue
        image = pos + L * (np.array(shift) - 1)
        keep = np.all(np.abs(image) < L / 2 + margin, axis=1)
        points.append(image[keep])
        index.append(np.flatnonzero(keep))
    tessellation = Voronoi(np.concatenate(points))
    image_of = np.concatenate(index)
    volumes = np.empty(n)
    for k in range(n):
        region = tessellation.regions[tessellation.point_region[k]]
        if -1 in region:
            raise ValueError(f"particle {k}: its Voronoi cell is unbounded (too few particles)")
        volumes[k] = ConvexHull(tessellation.vertices[region]).volume
    if not np.isclose(volumes.sum(), L**3, rtol=1e-9):
        raise ValueError(
            f"Voronoi volumes sum to {volumes.sum():.9g}, not the box volume {L**3:.9g}: "
            "raise VORONOI_MARGIN_SPACINGS"
        )
    ridges = tessellation.ridge_points
    ridges = ridges[(ridges < n).any(axis=1)]
    a, b = image_of[ridges[:, 0]], image_of[ridges[:, 1]]
    pairs = np.unique(np.concatenate([np.stack([a, b], 1), np.stack([b, a], 1)]), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return volumes, (pairs[:, 0], pairs[:, 1])


def propensity_steps(
    tau_alpha: float, dt: float, first: float, last: float, per_decade: int
) -> np.ndarray:
    """Time steps at which propensity is measured: logarithmic from ``first`` to
    ``last`` τα with ``per_decade`` points per decade (both ends included), rounded to
    whole steps of ``dt`` τ, distinct, ≥ 1."""
    if not (np.isfinite(tau_alpha) and tau_alpha > 0):
        raise ValueError(f"the propensity times need a positive, finite τα; got {tau_alpha}")
    if not 0 < first < last:
        raise ValueError(f"propensity times need 0 < first < last (τα); got {first}, {last}")
    n = max(2, int(np.ceil(per_decade * np.log10(last / first))) + 1)
    times = tau_alpha * np.logspace(np.log10(first), np.log10(last), n)
    return np.unique(np.maximum(1, np.round(times / dt).astype(np.int64)))


def start_frames(
    n_frames: int, frame_interval: float, tau_alpha: float, spacing: float, count: int
) -> np.ndarray:
    """Frames of a trajectory (one every ``frame_interval`` τ) that start the
    isoconfigurational ensembles: frame 0 and every ``spacing`` τα after it (at least
    one frame apart), ``count`` in all; ValueError naming the fix if the trajectory is
    too short for them."""
    step = max(1, int(np.ceil(spacing * tau_alpha / frame_interval - 1e-9)))
    frames = step * np.arange(count)
    if frames[-1] >= n_frames:
        raise ValueError(
            f"{count} starting configurations {spacing} τα apart (τα = {tau_alpha:.4g} τ) "
            f"need {frames[-1] + 1} frames; the trajectory has {n_frames}: lower "
            "propensity_configurations or propensity_spacing_tau_alpha"
        )
    return frames


def cage_relative(
    displacements: np.ndarray, neighbours: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Δr_i − mean of Δr_j over i's neighbours j (a particle without neighbours keeps
    its own displacement).  ``displacements``: (..., n, 3), σ_AA."""
    d = np.asarray(displacements, dtype=np.float64)
    i, j = neighbours
    n = d.shape[-2]
    counts = np.bincount(i, minlength=n).astype(np.float64)
    moved = np.moveaxis(d, -2, 0)  # (n, ..., 3)
    total = np.zeros_like(moved)
    np.add.at(total, i, moved[j])
    per = counts.reshape((n,) + (1,) * (moved.ndim - 1))
    mean = np.divide(total, per, out=np.zeros_like(total), where=per > 0)
    return np.moveaxis(moved - mean, 0, -2)


def propensity(displacements: np.ndarray) -> np.ndarray:
    """P_i(t) = ⟨\\|Δr_i(t)\\|²⟩ over the ensemble: (M, T, n, 3) unwrapped displacements of M
    trajectories at T times → (T, n), σ_AA²."""
    d = np.asarray(displacements, dtype=np.float64)
    if d.ndim != 4 or d.shape[-1] != 3:
        raise ValueError(f"displacements must have shape (M, T, n, 3); got {d.shape}")
    return (d**2).sum(axis=-1).mean(axis=0)


@dataclass(frozen=True)
class CorrelationCurve:
    """Correlation of a predictor with the propensity at each time.

    Attributes
    ----------
    times : numpy.ndarray
        (T,) τ.
    pearson, spearman : numpy.ndarray
        (T,) means over starting configurations.
    pearson_interval, spearman_interval : numpy.ndarray
        (T, 2) bootstrap 1σ intervals over
        configurations (NaN with fewer than two).
    configurations : int
        how many starting configurations.
    """

    times: np.ndarray
    pearson: np.ndarray
    spearman: np.ndarray
    pearson_interval: np.ndarray
    spearman_interval: np.ndarray
    configurations: int


def correlation_with_propensity(
    predictor: np.ndarray,
    propensities: np.ndarray,
    times: np.ndarray,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> CorrelationCurve:
    """Pearson and Spearman correlation of ``predictor`` (C, n) with ``propensities``
    (C, T, n) over the n particles of each of C configurations, averaged over the
    configurations; bootstrap over configurations for the intervals."""
    from scipy import stats

    x = np.asarray(predictor, dtype=np.float64)
    p = np.asarray(propensities, dtype=np.float64)
    if x.ndim != 2 or p.ndim != 3 or p.shape[0] != x.shape[0] or p.shape[2] != x.shape[1]:
        raise ValueError(
            f"predictor (C, n) and propensities (C, T, n) must agree; got {x.shape}, {p.shape}"
        )
    n_conf, n_times = x.shape[0], p.shape[1]
    per = {"pearson": np.empty((n_conf, n_times)), "spearman": np.empty((n_conf, n_times))}
    for c in range(n_conf):
        for t in range(n_times):
            per["pearson"][c, t] = stats.pearsonr(x[c], p[c, t]).statistic
            per["spearman"][c, t] = stats.spearmanr(x[c], p[c, t]).statistic
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_conf, size=(n_bootstrap, n_conf))
    out = {}
    for name, values in per.items():
        boot = values[picks].mean(axis=1)  # (B, T)
        out[name] = values.mean(axis=0)
        out[f"{name}_interval"] = np.array(
            [one_sigma_interval(boot[:, t]) if n_conf > 1 else (np.nan, np.nan)
             for t in range(n_times)]
        )  # fmt: skip
    return CorrelationCurve(times=np.asarray(times, dtype=np.float64), configurations=n_conf, **out)


def curve_summary(
    times_tau_alpha: np.ndarray, values: np.ndarray, intervals: np.ndarray
) -> dict[str, float]:
    """A correlation curve in two numbers a table can hold: its value at the time
    nearest t = τα (in log t) and its largest magnitude, each with its time (τα) and
    1σ interval."""
    t = np.asarray(times_tau_alpha, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    iv = np.asarray(intervals, dtype=np.float64).reshape(len(t), 2)
    near = int(np.argmin(np.abs(np.log(t))))
    peak = int(np.nanargmax(np.abs(v))) if np.isfinite(v).any() else near
    out = {}
    for name, k in (("at_tau_alpha", near), ("peak", peak)):
        out[f"t_{name}"] = float(t[k])
        out[f"pearson_{name}"] = float(v[k])
        out[f"pearson_{name}_lo"], out[f"pearson_{name}_hi"] = (float(x) for x in iv[k])
    return out


#: the predictors scored, in the order of every table and figure
PREDICTORS = ("softness", "s2_local", "is_energy", "voronoi_volume")
#: plain and cage-relative displacements, and the ensemble's arrays of each
VARIANTS = ("plain", "cage")
VARIANT_ARRAYS = ("propensity", "propensity_cage")


def structural_baselines(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    delta: float,
    mixture,
    a_index: np.ndarray,
) -> dict[str, np.ndarray]:
    """The two baselines of a starting inherent structure, for its particles ``a_index``:
    each particle's potential energy of eq. 1 (ε_AA) and its Voronoi volume (σ_AA³)."""
    from .pair_energy import particle_energies

    energies = particle_energies(box_length, positions, typeid, delta, mixture)
    return {"is_energy": energies[a_index],
            "voronoi_volume": voronoi_cells(box_length, positions)[0][a_index]}  # fmt: skip


def score_predictors(predictors: dict[str, np.ndarray], ensemble: dict, n_bootstrap: int
                     ) -> dict:  # fmt: skip
    """Each predictor's (C, n_A) values against the propensity of the ensemble (its
    ``times`` and plain and cage-relative ``propensity`` arrays): Pearson and Spearman
    correlation at each time with bootstrap intervals over the starting configurations,
    ``{predictor: {variant: {pearson, pearson_interval, spearman, spearman_interval}}}``
    (lists, JSON-ready)."""
    curves: dict = {}
    for name, values in predictors.items():
        curves[name] = {}
        for variant, key in zip(VARIANTS, VARIANT_ARRAYS, strict=True):
            curve = correlation_with_propensity(values, ensemble[key], ensemble["times"],
                                                n_bootstrap=n_bootstrap)  # fmt: skip
            curves[name][variant] = {
                "pearson": curve.pearson.tolist(),
                "pearson_interval": curve.pearson_interval.tolist(),
                "spearman": curve.spearman.tolist(),
                "spearman_interval": curve.spearman_interval.tolist(),
            }
    return curves


#: the columns of the propensity table (``results/propensity.csv``)
TABLE_HEADER = ("delta,rho,T,replica,predictor,displacement,t_over_tau_alpha,"
                "pearson,pearson_lo,pearson_hi,spearman,spearman_lo,spearman_hi")  # fmt: skip


def state_rows(state: dict, record: dict) -> tuple[list[str], list[dict]]:
    """The propensity table's lines of one state (``state``: Δ, ρ, T, replica; ``record``:
    its scores: ``times_tau_alpha``, ``curves``, ``configurations``), one per predictor,
    displacement and time, and its summary rows (each curve at t = τα and at its peak,
    :func:`curve_summary`)."""
    lines, summary = [], []
    times = record["times_tau_alpha"]
    key = (state["delta"], state["rho"], state["T"], state["replica"])
    for name in PREDICTORS:
        for variant in VARIANTS:
            c = record["curves"][name][variant]
            for k, t in enumerate(times):
                lines.append(",".join(str(v) for v in (
                    *key, name, variant, t, c["pearson"][k], *c["pearson_interval"][k],
                    c["spearman"][k], *c["spearman_interval"][k],
                )))  # fmt: skip
            summary.append({
                "delta": key[0], "rho": key[1], "T": key[2], "replica": key[3],
                "predictor": name, "displacement": variant,
                "configurations": record["configurations"],
                **curve_summary(times, c["pearson"], c["pearson_interval"]),
            })  # fmt: skip
    return lines, summary
