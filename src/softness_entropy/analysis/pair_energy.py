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
    params = model.pair_parameters(delta, mixture)
    i, j, r = pair_distances(positions, box_length, mixture.max_cutoff())
    ti, tj = np.asarray(typeid)[i], np.asarray(typeid)[j]
    energy = 0.0
    virial = 0.0
    for (a, b), p in params.items():
        ia, ib = model.TYPES.index(a), model.TYPES.index(b)
        mask = ((ti == ia) & (tj == ib)) | ((ti == ib) & (tj == ia))
        rr = r[mask]
        energy += float(model.pair_energy(rr, p).sum())
        virial += float((rr * model.pair_force(rr, p)).sum())
    n = len(positions)
    return energy / n, virial / (3.0 * box_length**3)


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
    i, j, r = pair_distances(pos, box_length, mixture.max_cutoff())
    ti, tj = np.asarray(typeid)[i], np.asarray(typeid)[j]
    magnitude = np.zeros_like(r)
    for (a, b), p in model.pair_parameters(delta, mixture).items():
        ia, ib = model.TYPES.index(a), model.TYPES.index(b)
        mask = ((ti == ia) & (tj == ib)) | ((ti == ib) & (tj == ia))
        magnitude[mask] = model.pair_force(r[mask], p)
    d = pos[j] - pos[i]
    d -= box_length * np.round(d / box_length)
    f_ij = (magnitude / r)[:, None] * d  # force on j from i (repulsive: along d)
    forces = np.zeros_like(pos)
    np.add.at(forces, j, f_ij)
    np.add.at(forces, i, -f_ij)
    return forces
