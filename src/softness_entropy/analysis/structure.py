"""Structure functions (paper eq. 3) and pair excess entropy, local (eqs. 5–6) and
global (eq. 4).

Structure functions, with the minus sign the printed eq. 3 lacks:

.. math::

    G_K(\\mu) = \\sum_{j \\in K} \\exp\\!\\left[-\\frac{(r_{ij}-\\mu)^2}{2\\,\\Delta\\mu^2}\\right],
    \\qquad K \\in \\{A, B\\},

on the grid μ = 0.4, 0.54, …, ≤ 3.0 (step and width Δμ = 0.14, as the paper states;
the authors' code used a 0.1 step: both are settings of :class:`StructureGrid`).
Neighbours are taken to r = μ_max + 3.5Δμ, where every Gaussian has decayed below 2e-3
of its peak (the box must be wider than twice that: N ≥ 410 at ρ = 1.2).

Local pair excess entropy: the smeared, species-resolved g_K of particle i is
G_K divided by what a uniform density ρ*_K would give,

.. math::

    g_K(\\mu) = \\frac{G_K(\\mu)}{4\\pi\\rho^*_K\\mu^2\\sqrt{2\\pi}\\,\\Delta\\mu}

(eq. 5 with the Gaussian's normalisation √(2π)Δμ made explicit), where ρ*_K is the
number of K neighbours within r = 3.0 over the sphere's volume.  Then (eq. 6)

.. math::

    s_2^{(i)} = -2\\pi \\sum_K \\rho^*_K \\sum_\\mu [g_K\\ln g_K - g_K + 1]\\,
                \\mu^2 L(\\mu - \\eta)\\,\\delta\\mu,

with 0 ln 0 = 0, midpoint integration over the grid (δμ the step; the core below the
first grid point is left out, as in the paper) and the inverse-logistic damping
L(x) = 1/(1 + e^{x/w_L}) centred at η = 2.0 with width w_L.

Global pair excess entropy (eq. 4) from radial distribution functions g_AK(r)
centred on A particles: s2 = −2π Σ_K ρ_K ∫ [g ln g − g + 1] r² dr.

Units: lengths σ_AA, densities σ_AA⁻³, s2 in k_B per particle.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .. import paper

#: Gaussians are cut at this many widths (exp(−3.5²/2) = 2e-3)
GAUSSIAN_REACH = 3.5
#: radius (σ_AA) of the sphere that defines the local densities ρ*_K (paper §II.C)
LOCAL_DENSITY_RADIUS = 3.0


@dataclass(frozen=True)
class StructureGrid:
    """The μ grid and Gaussian width of the structure functions (paper §II.B).

    Attributes
    ----------
    mu_min, mu_max : first grid point and upper bound (σ_AA).
    step : grid spacing (σ_AA); paper: 0.14 (authors' code: 0.1).
    width : Gaussian width Δμ (σ_AA); paper: 0.14.
    """

    mu_min: float = paper.MU_MIN
    mu_max: float = paper.MU_MAX
    step: float = paper.MU_STEP
    width: float = paper.MU_WIDTH

    def __post_init__(self) -> None:
        if not (0 < self.mu_min < self.mu_max and self.step > 0 and self.width > 0):
            raise ValueError(f"invalid structure-function grid {self}")

    @classmethod
    def from_parameters(cls, params: dict) -> StructureGrid:
        """The grid of a data space's run parameters (``mu_min``, ``mu_max``,
        ``mu_step``, ``mu_width``)."""
        return cls(params["mu_min"], params["mu_max"], params["mu_step"], params["mu_width"])

    @property
    def mu(self) -> np.ndarray:
        """Grid points μ_i (σ_AA)."""
        n = int(np.floor((self.mu_max - self.mu_min) / self.step + 1e-9)) + 1
        return self.mu_min + self.step * np.arange(n)

    @property
    def r_max(self) -> float:
        """Neighbour cut-off: μ_max + 3.5Δμ, or the local-density sphere if larger."""
        return max(self.mu_max + GAUSSIAN_REACH * self.width, LOCAL_DENSITY_RADIUS)


#: centres per block: blocks run on a thread pool (the k-d tree query and the numpy
#: kernels release the GIL) and keep the accumulation arrays cache-sized
BLOCK = 4096


def _check_box(box_length: float, r_max: float) -> None:
    if r_max >= box_length / 2:
        raise ValueError(
            f"box length {box_length:.4g} is too small for neighbours to r = {r_max:.4g}: "
            f"it must exceed {2 * r_max:.4g} (use more particles)"
        )


def _into_box(box_length: float, points: np.ndarray) -> np.ndarray:
    """Positions shifted into [0, L): scipy's periodic k-d tree rejects a coordinate
    equal to L, which ``np.mod(x + L/2, L)`` returns for x just below L/2 in float64."""
    wrapped = np.mod(np.asarray(points, dtype=np.float64) + box_length / 2, box_length)
    wrapped[wrapped >= box_length] = 0.0
    return wrapped


def _points_tree(box_length: float, positions: np.ndarray):
    from scipy.spatial import cKDTree

    return cKDTree(_into_box(box_length, positions), boxsize=box_length)


def _neighbours(tree, box_length: float, query: np.ndarray, r_max: float):
    """(query index, point index, distance) of every pair closer than r_max (periodic).

    scipy's periodic k-d tree, not freud: for the dense r ≈ 3.5 σ spheres of the
    structure functions (≈ 200 neighbours per particle) freud 3.4's AABB query is the
    slower one; ``benchmarks/bench_analysis.py`` measures both on the same frame
    (docs/benchmarks.md).
    """
    from scipy.spatial import cKDTree

    pairs = cKDTree(_into_box(box_length, query), boxsize=box_length).sparse_distance_matrix(
        tree, r_max, output_type="ndarray"
    )
    return pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), pairs["v"].copy()


def _block(tree, box_length, positions, typeid, centres, grid, n_types):
    mu = grid.mu
    n_mu = len(mu)
    q, p, r = _neighbours(tree, box_length, np.asarray(positions)[centres], grid.r_max)
    keep = (centres[q] != p) & (r > 0)
    q, p, r = q[keep], p[keep], r[keep]
    slot = q * n_types + typeid[p]
    n_slots = len(centres) * n_types
    counts = np.bincount(slot[r < LOCAL_DENSITY_RADIUS], minlength=n_slots).reshape(
        len(centres), n_types
    )
    # every pair feeds the grid points within GAUSSIAN_REACH widths of its distance:
    # the nearest grid point and k neighbours on each side (no boolean compaction:
    # out-of-range terms get weight 0)
    reach = GAUSSIAN_REACH * grid.width
    nearest = np.rint((r - mu[0]) / grid.step).astype(np.int64)
    k = int(np.floor(reach / grid.step + 0.5))
    inv = 1.0 / (2.0 * grid.width**2)
    out = np.zeros(n_slots * n_mu)
    base = slot * n_mu
    for offset in range(-k, k + 1):
        index = nearest + offset
        valid = (index >= 0) & (index < n_mu)
        np.clip(index, 0, n_mu - 1, out=index)
        d = r - mu[index]
        weight = np.exp(-d * d * inv)
        weight[~valid | (np.abs(d) > reach)] = 0.0
        out += np.bincount(base + index, weights=weight, minlength=out.size)
    return out.reshape(len(centres), n_types, n_mu), counts


def structure_functions(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    centres: np.ndarray,
    grid: StructureGrid = StructureGrid(),
    n_types: int = 2,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """G_K(μ) (eq. 3) of the particles ``centres`` and their neighbour counts.

    Parameters
    ----------
    box_length : cubic box edge (σ_AA).
    positions : (N, 3) positions; typeid : (N,) species.
    centres : indices of the particles to describe (e.g. all A particles).
    grid : μ grid and width.
    threads : worker threads (default: the usable cores).

    Returns
    -------
    G : (len(centres), n_types, M) float64, G[c, K, i] = G_K(μ_i) of centre c.
    counts : (len(centres), n_types) number of K neighbours within r = 3.0 (for ρ*_K).
    """
    from concurrent.futures import ThreadPoolExecutor

    _check_box(box_length, grid.r_max)
    centres = np.asarray(centres, dtype=np.int64)
    typeid = np.asarray(typeid)
    if len(typeid) and (typeid.min() < 0 or typeid.max() >= n_types):
        raise ValueError(
            f"typeid values must lie in 0..{n_types - 1} (n_types={n_types}); got "
            f"{typeid.min()}..{typeid.max()}"
        )
    tree = _points_tree(box_length, positions)
    blocks = [centres[i : i + BLOCK] for i in range(0, len(centres), BLOCK)] or [centres]
    workers = threads or usable_cores()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(blocks)))) as pool:
        parts = list(
            pool.map(lambda c: _block(tree, box_length, positions, typeid, c, grid, n_types),
                     blocks)
        )  # fmt: skip
    return np.concatenate([g for g, _ in parts]), np.concatenate([c for _, c in parts])


def usable_cores() -> int:
    """Cores this process may run on: the affinity mask on Linux, else os.cpu_count()
    (``os.sched_getaffinity`` does not exist on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def local_densities(counts: np.ndarray) -> np.ndarray:
    """ρ*_K: neighbours of each species within r = 3.0 over the sphere volume (σ⁻³)."""
    return np.asarray(counts, dtype=np.float64) / (4.0 / 3.0 * np.pi * LOCAL_DENSITY_RADIUS**3)


def inverse_logistic(x: np.ndarray, width: float) -> np.ndarray:
    """L(x) = 1 / (1 + exp(x / width)): 1 well below 0, 1/2 at 0, 0 well above
    (scipy.special.expit of −x/width)."""
    from scipy.special import expit

    return expit(-np.asarray(x, dtype=np.float64) / width)


def _g_ln_g(g: np.ndarray) -> np.ndarray:
    """g ln g with 0 ln 0 = 0 (scipy.special.xlogy)."""
    from scipy.special import xlogy

    return xlogy(g, g)


def local_s2_integrand(
    G: np.ndarray,
    rho_local: np.ndarray,
    grid: StructureGrid = StructureGrid(),
    eta: float = paper.S2_ETA,
    damping_width: float = paper.S2_DAMPING_WIDTH,
) -> np.ndarray:
    """Per-particle, per-species, per-μ terms of eq. 6 (sum them for s2).

    ``G``: (C, K, M) structure functions; ``rho_local``: (C, K) ρ*_K.
    Returns (C, K, M) terms −2π ρ*_K [g ln g − g + 1] μ² L(μ − η) δμ.
    """
    mu = grid.mu
    rho = np.asarray(rho_local, dtype=np.float64)[:, :, None]
    norm = 4.0 * np.pi * mu**2 * np.sqrt(2.0 * np.pi) * grid.width
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(rho > 0, np.asarray(G) / (rho * norm), 0.0)
    f = _g_ln_g(g) - g + 1.0
    weight = mu**2 * inverse_logistic(mu - eta, damping_width) * grid.step
    return -2.0 * np.pi * rho * f * weight


def local_s2(
    G: np.ndarray,
    rho_local: np.ndarray,
    grid: StructureGrid = StructureGrid(),
    eta: float = paper.S2_ETA,
    damping_width: float = paper.S2_DAMPING_WIDTH,
) -> np.ndarray:
    """Local pair excess entropy s2 of each centre (eq. 6), (C,) in k_B."""
    return local_s2_integrand(G, rho_local, grid, eta, damping_width).sum(axis=(1, 2))


@dataclass(frozen=True)
class RDFGrid:
    """Binning of the global g(r): r_max and bin width (σ_AA).

    s2 depends on both (finite-size noise adds ≈ −n_bins/(4 N_centres F) per species);
    defaults: r_max = 3.0, bin width 0.02.
    """

    r_max: float = 3.0
    bin_width: float = 0.02

    @property
    def bins(self) -> int:
        return round(self.r_max / self.bin_width)


class SpeciesRDFs(NamedTuple):
    """Species-resolved RDFs of a set of configurations (:func:`species_rdfs`): ``r``
    the bin centres (σ_AA), ``g`` of shape (n_types, bins) (g_AA, g_BB), ``densities``
    the mean number densities ρ_K (σ_AA⁻³)."""

    r: np.ndarray
    g: np.ndarray
    densities: np.ndarray


def species_rdfs(
    frames: list[tuple[float, np.ndarray, np.ndarray]],
    centre_type: int = 0,
    n_types: int = 2,
    grid: RDFGrid = RDFGrid(),
) -> SpeciesRDFs:
    """Frame-averaged g_{cK}(r) around particles of type ``centre_type`` (freud RDF).

    ``frames``: list of (box_length, positions, typeid).
    Returns (r bin centres, g of shape (n_types, bins), mean number densities ρ_K).
    """
    import freud  # here, not at module top: loading a softness model needs no freud

    rdf = freud.density.RDF(bins=grid.bins, r_max=grid.r_max)
    g_sum = np.zeros((n_types, grid.bins))
    weights = np.zeros(n_types)
    densities = np.zeros(n_types)
    for box_length, positions, typeid in frames:
        if grid.r_max >= box_length / 2:
            raise ValueError(f"box length {box_length:.4g} too small for r_max = {grid.r_max}")
        box = freud.box.Box.cube(box_length)
        pos = np.asarray(positions, dtype=np.float32)
        typeid = np.asarray(typeid)
        centres = pos[typeid == centre_type]
        volume = box_length**3
        for k in range(n_types):
            points = pos[typeid == k]
            densities[k] += len(points) / volume
            if len(points) == 0 or len(centres) == 0:
                continue
            # one frame at a time (freud normalises an accumulated histogram by the
            # last frame's counts); for the centres' own species no query points, so
            # freud excludes i = i
            query = None if k == centre_type else centres
            rdf.compute((box, points), query_points=query, reset=True)
            # weight = expected pair count, so the average is Σ counts / Σ expected
            w = len(centres) * len(points) / volume
            g_sum[k] += w * np.asarray(rdf.rdf, dtype=np.float64)
            weights[k] += w
    r = np.asarray(rdf.bin_centers, dtype=np.float64)
    g = np.divide(g_sum, weights[:, None], out=np.zeros_like(g_sum), where=weights[:, None] > 0)
    return SpeciesRDFs(r, g, densities / len(frames))


def pair_excess_entropy(r: np.ndarray, g: np.ndarray, densities: np.ndarray) -> float:
    """Global s2 = −2π Σ_K ρ_K ∫ [g ln g − g + 1] r² dr (eq. 4), midpoint rule on the
    bins; ``g``: (K, bins) at bin centres ``r`` (uniform), ``densities``: (K,)."""
    dr = float(r[1] - r[0])
    f = _g_ln_g(np.asarray(g)) - g + 1.0
    return float(-2.0 * np.pi * np.sum(np.asarray(densities)[:, None] * f * r**2) * dr)


def grouped_rdfs(
    frames: list[tuple[float, np.ndarray, np.ndarray]],
    groups: list[np.ndarray],
    n_groups: int,
    grid: RDFGrid = RDFGrid(),
    n_types: int = 2,
    core: float = 0.3,
) -> tuple[np.ndarray, np.ndarray]:
    """g_AK(r) around groups of particles (e.g. softness strata; paper Fig. 5).

    ``frames``: (box_length, positions, typeid); ``groups``: per frame, an (N,) array of
    group labels (−1: in no group).  Returns (r, g) with g of shape (n_groups, n_types,
    bins), frame-accumulated (weights = expected pair counts).  The centres are a
    subset of the points, so each centre meets itself at r = 0: bins below ``core``
    (where no physical pair of this model exists) are set to 0.
    """
    import freud  # here, not at module top: loading a softness model needs no freud

    rdf = freud.density.RDF(bins=grid.bins, r_max=grid.r_max)
    g_sum = np.zeros((n_groups, n_types, grid.bins))
    weights = np.zeros((n_groups, n_types))
    for (box_length, positions, typeid), labels in zip(frames, groups, strict=True):
        box = freud.box.Box.cube(box_length)
        pos = np.asarray(positions, dtype=np.float32)
        typeid = np.asarray(typeid)
        volume = box_length**3
        for k in range(n_types):
            points = pos[typeid == k]
            if len(points) == 0:
                continue
            for group in range(n_groups):
                centres = pos[np.asarray(labels) == group]
                if len(centres) == 0:
                    continue
                rdf.compute((box, points), query_points=centres, reset=True)
                w = len(centres) * len(points) / volume
                g_sum[group, k] += w * np.asarray(rdf.rdf, dtype=np.float64)
                weights[group, k] += w
    r = np.asarray(rdf.bin_centers, dtype=np.float64)
    g = np.divide(g_sum, weights[:, :, None], out=np.zeros_like(g_sum),
                  where=weights[:, :, None] > 0)  # fmt: skip
    g[:, :, r < core] = 0.0
    return r, g


def event_features(
    configuration_at: Callable[[int], Any],
    frames: np.ndarray,
    particles: np.ndarray,
    grid: StructureGrid,
) -> np.ndarray:
    """(n, 2·len(μ)) float32 structure functions (eq. 3) of n events (``frames``: the
    trajectory frame of each, ``particles``: its particle index) on ``grid``;
    ``configuration_at(frame)`` gives a frame's configuration (``box_length``,
    ``positions``, ``typeid``), asked once per distinct frame."""
    features = np.zeros((len(frames), 2 * len(grid.mu)), dtype=np.float32)
    for frame in np.unique(frames):
        rows = np.flatnonzero(frames == frame)
        conf = configuration_at(int(frame))
        G, _ = structure_functions(
            conf.box_length, conf.positions, conf.typeid, particles[rows], grid
        )
        features[rows] = G.reshape(len(rows), -1)
    return features
