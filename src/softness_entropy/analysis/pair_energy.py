"""Potential energy and virial of a configuration, computed independently of any engine.

Pure function of arrays (freud neighbour query + numpy), used to check both engines
and to evaluate stored frames.  Units: LJ units of species A.  Every function takes a
configuration as ``(box_length, positions, typeid)``, the order of the structure,
softness and propensity analyses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import freud
import numpy as np

from .. import model


@dataclass(frozen=True)
class PairDistances:
    """Every unordered pair (i < j) closer than a cut-off under periodic boundaries.

    Attributes
    ----------
    i, j
        (pairs,) int64 particle indices, i < j.
    r
        (pairs,) float64 distances (σ_AA).
    """

    i: np.ndarray
    j: np.ndarray
    r: np.ndarray


@dataclass(frozen=True)
class PairTerms(PairDistances):
    """The interacting pairs (r below their cut-off) with their eq.-1 terms.

    Attributes
    ----------
    energy
        (pairs,) pair energy of the shifted eq.-1 potential (ε_AA).
    force
        (pairs,) force magnitude −dU/dr (ε_AA/σ_AA; positive: repulsive).
    """

    energy: np.ndarray
    force: np.ndarray


class EnergyAndPressure(NamedTuple):
    """Potential energy per particle U/N (ε_AA) and virial pressure
    W/(3V) = Σ_pairs r f(r) / (3V) (ε_AA σ_AA⁻³) of a configuration."""

    energy: float
    virial_pressure: float


def pair_distances(box_length: float, positions: np.ndarray, r_max: float) -> PairDistances:
    """Every unordered pair (i < j) closer than ``r_max`` under periodic boundaries
    (distances in float64 from the minimum image).  Requires ``r_max`` < L/2."""
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
    return PairDistances(i, j, np.sqrt((d * d).sum(axis=1)))


def pair_terms(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> PairTerms:
    """Every interacting pair (i < j, r below its cut-off) with its energy and force of
    the shifted eq.-1 potential."""
    pairs = pair_distances(box_length, positions, mixture.max_cutoff())
    r = pairs.r
    ti, tj = np.asarray(typeid)[pairs.i], np.asarray(typeid)[pairs.j]
    u, f = np.zeros_like(r), np.zeros_like(r)
    for (a, b), p in model.pair_parameters(delta, mixture).items():
        ia, ib = model.TYPES.index(a), model.TYPES.index(b)
        mask = ((ti == ia) & (tj == ib)) | ((ti == ib) & (tj == ia))
        u[mask] = model.pair_energy(r[mask], p)
        f[mask] = model.pair_force(r[mask], p)
    return PairTerms(pairs.i, pairs.j, r, u, f)


def energy_and_virial_pressure(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> EnergyAndPressure:
    """Potential energy per particle and virial pressure of a configuration.

    Parameters
    ----------
    box_length : float
        Box edge L (σ_AA).
    positions : numpy.ndarray
        (N, 3) positions in the cubic box (σ_AA).
    typeid : numpy.ndarray
        (N,) species, 0 = A, 1 = B.
    delta : float
        Well-width parameter Δ of eq. 1.
    mixture : Mixture
        ε_ij, σ_ij of the pairs (default: Kob–Andersen).
    """
    terms = pair_terms(box_length, positions, typeid, delta, mixture)
    return EnergyAndPressure(
        float(terms.energy.sum()) / len(positions),
        float((terms.r * terms.force).sum()) / (3.0 * box_length**3),
    )


def particle_energies(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> np.ndarray:
    """Potential energy of each particle (N,) (ε_AA): half of each of its pair energies
    of the shifted eq.-1 potential, so that the sum over particles is the total U (the
    local-energy baseline of the propensity scores, on an inherent structure)."""
    terms = pair_terms(box_length, positions, typeid, delta, mixture)
    energies = np.zeros(len(positions))
    np.add.at(energies, terms.i, 0.5 * terms.energy)
    np.add.at(energies, terms.j, 0.5 * terms.energy)
    return energies


def pair_forces(
    box_length: float,
    positions: np.ndarray,
    typeid: np.ndarray,
    delta: float,
    mixture: model.Mixture = model.KOB_ANDERSEN,
) -> np.ndarray:
    """Per-particle forces (N, 3) of the shifted eq.-1 potential (ε_AA/σ_AA), summed
    over pairs in numpy: what the scorer checks a configuration's minimality with,
    without an MD engine."""
    pos = np.asarray(positions, dtype=np.float64)
    terms = pair_terms(box_length, pos, typeid, delta, mixture)
    d = pos[terms.j] - pos[terms.i]
    d -= box_length * np.round(d / box_length)
    f_ij = (terms.force / terms.r)[:, None] * d  # force on j from i (repulsive: along d)
    forces = np.zeros_like(pos)
    np.add.at(forces, terms.j, f_ij)
    np.add.at(forces, terms.i, -f_ij)
    return forces
