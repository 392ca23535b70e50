"""Potential energy and virial of a configuration, computed independently of any engine.

Pure function of arrays (freud neighbour query + numpy), used to check both engines
and to evaluate stored frames.  Units: LJ units of species A.
"""

from __future__ import annotations

import freud
import numpy as np

from .. import model


def pair_distances(
    positions: np.ndarray, box_length: float, r_max: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every unordered pair (i < j) closer than ``r_max`` under periodic boundaries.

    Returns ``(i, j, r)``: int arrays of particle indices and float64 distances (σ_AA).
    Requires ``r_max`` < L/2.
    """
    box = freud.box.Box.cube(box_length)
    points = np.asarray(positions, dtype=np.float32)
    query = freud.locality.AABBQuery(box, points)
    nlist = query.query(points, {"r_max": r_max, "exclude_ii": True}).toNeighborList()
    i, j = nlist.query_point_indices, nlist.point_indices
    keep = i < j
    i, j = i[keep].astype(np.int64), j[keep].astype(np.int64)
    # distances in float64 from the minimum image, not freud's float32 ones
    d = np.asarray(positions, dtype=np.float64)[j] - np.asarray(positions, dtype=np.float64)[i]
    d -= box_length * np.round(d / box_length)
    return i, j, np.sqrt((d * d).sum(axis=1))


def pair_terms(
    positions: np.ndarray,
    typeid: np.ndarray,
    box_length: float,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every interacting pair (i < j, r below its cut-off) with its energy and force of
    the shifted eq.-1 potential: ``(i, j, r, u, f)`` (σ_AA, ε_AA, ε_AA/σ_AA; f > 0
    repulsive)."""
    i, j, r = pair_distances(positions, box_length, mixture.max_cutoff())
    ti, tj = np.asarray(typeid)[i], np.asarray(typeid)[j]
    u, f = np.zeros_like(r), np.zeros_like(r)
    for (a, b), p in model.pair_parameters(delta, mixture).items():
        ia, ib = model.TYPES.index(a), model.TYPES.index(b)
        mask = ((ti == ia) & (tj == ib)) | ((ti == ib) & (tj == ia))
        u[mask] = model.pair_energy(r[mask], p)
        f[mask] = model.pair_force(r[mask], p)
    return i, j, r, u, f


def energy_and_virial_pressure(
    positions: np.ndarray,
    typeid: np.ndarray,
    box_length: float,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> tuple[float, float]:
    """Potential energy per particle and virial pressure of a configuration.

    Parameters
    ----------
    positions : (N, 3) positions in the cubic box (σ_AA).
    typeid : (N,) species, 0 = A, 1 = B.
    box_length : box edge L (σ_AA).
    delta : well-width parameter Δ of eq. 1.
    mixture : ε_ij, σ_ij of the pairs (default: Kob–Andersen).

    Returns
    -------
    (u, p_vir) : U/N (ε_AA) of the shifted eq.-1 potential and the configurational
        pressure W/(3V) = Σ_pairs r f(r) / (3V) (ε_AA σ_AA⁻³).
    """
    _, _, r, u, f = pair_terms(positions, typeid, box_length, delta, mixture)
    return float(u.sum()) / len(positions), float((r * f).sum()) / (3.0 * box_length**3)


def particle_energies(
    positions: np.ndarray,
    typeid: np.ndarray,
    box_length: float,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> np.ndarray:
    """Potential energy of each particle (N,) (ε_AA): half of each of its pair energies
    of the shifted eq.-1 potential, so that the sum over particles is the total U (the
    local-energy baseline of the propensity scores, on an inherent structure)."""
    i, j, _, u, _ = pair_terms(positions, typeid, box_length, delta, mixture)
    energies = np.zeros(len(positions))
    np.add.at(energies, i, 0.5 * u)
    np.add.at(energies, j, 0.5 * u)
    return energies


def pair_forces(
    positions: np.ndarray,
    typeid: np.ndarray,
    box_length: float,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> np.ndarray:
    """Per-particle forces (N, 3) of the shifted eq.-1 potential (ε_AA/σ_AA), summed
    over pairs in numpy: what the scorer checks a configuration's minimality with,
    without an MD engine."""
    pos = np.asarray(positions, dtype=np.float64)
    i, j, r, _, magnitude = pair_terms(pos, typeid, box_length, delta, mixture)
    d = pos[j] - pos[i]
    d -= box_length * np.round(d / box_length)
    f_ij = (magnitude / r)[:, None] * d  # force on j from i (repulsive: along d)
    forces = np.zeros_like(pos)
    np.add.at(forces, j, f_ij)
    np.add.at(forces, i, -f_ij)
    return forces
