"""Particle configurations: the one data type every engine reads and writes.

A :class:`Configuration` holds a cubic periodic box of A/B particles in LJ units of
the A species.  Engines take one in and hand one back; the GSD layer writes it, so
the files on disk do not depend on which engine ran.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import model


@dataclass(frozen=True)
class Configuration:
    """A snapshot of the mixture in a cubic periodic box.

    Attributes
    ----------
    box_length : float
        edge L of the cubic box (σ_AA); the box spans [−L/2, L/2)³.
    positions : numpy.ndarray
        (N, 3) float64, wrapped into the box (σ_AA).
    typeid : numpy.ndarray
        (N,) int32, 0 = A, 1 = B.
    image : numpy.ndarray
        (N, 3) int32 periodic image flags; unwrapped = positions + image·L.
    velocities : numpy.ndarray or None
        (N, 3) float64 (σ_AA/τ), or None for a static structure.
    step : int
        MD time step counter the configuration belongs to.
    """

    box_length: float
    positions: np.ndarray
    typeid: np.ndarray
    image: np.ndarray
    velocities: np.ndarray | None = None
    step: int = 0

    def __post_init__(self) -> None:
        pos = np.ascontiguousarray(self.positions, dtype=np.float64)
        n = len(pos)
        if pos.ndim != 2 or pos.shape[1] != 3:
            raise ValueError(f"positions must have shape (N, 3); got {pos.shape}")
        typeid = np.ascontiguousarray(self.typeid, dtype=np.int32)
        if typeid.shape != (n,):
            raise ValueError(f"typeid must have shape ({n},); got {typeid.shape}")
        if n and (typeid.min() < 0 or typeid.max() >= len(model.TYPES)):
            raise ValueError(f"typeid values must be in 0..{len(model.TYPES) - 1}")
        image = np.ascontiguousarray(self.image, dtype=np.int32)
        if image.shape != (n, 3):
            raise ValueError(f"image must have shape ({n}, 3); got {image.shape}")
        if not self.box_length > 0:
            raise ValueError(f"box_length must be positive; got {self.box_length!r}")
        object.__setattr__(self, "positions", pos)
        object.__setattr__(self, "typeid", typeid)
        object.__setattr__(self, "image", image)
        object.__setattr__(self, "box_length", float(self.box_length))
        object.__setattr__(self, "step", int(self.step))
        if self.velocities is not None:
            vel = np.ascontiguousarray(self.velocities, dtype=np.float64)
            if vel.shape != (n, 3):
                raise ValueError(f"velocities must have shape ({n}, 3); got {vel.shape}")
            object.__setattr__(self, "velocities", vel)

    @property
    def n_particles(self) -> int:
        return len(self.positions)

    @property
    def density(self) -> float:
        """Number density N/L³ (σ_AA⁻³)."""
        return self.n_particles / self.box_length**3

    def unwrapped_positions(self) -> np.ndarray:
        """Positions with periodic images removed (σ_AA)."""
        return self.positions + self.image * self.box_length

    def wrapped(self) -> Configuration:
        """The same configuration with positions folded into [−L/2, L/2) and images updated."""
        L = self.box_length
        shift = np.floor(self.positions / L + 0.5).astype(np.int32)
        return replace(self, positions=self.positions - shift * L, image=self.image + shift)


def box_length_for(n_particles: int, density: float) -> float:
    """Edge of the cubic box holding N particles at number density ρ (σ_AA)."""
    return (n_particles / density) ** (1.0 / 3.0)


def minimum_particles(
    density: float, skin: float = 0.4, mixture: model.Mixture = model.KOB_ANDERSEN
) -> int:
    """Smallest N whose cubic box is wider than twice (largest cutoff + neighbour skin).

    Below this, a particle would interact with two images of the same neighbour.
    """
    return int(np.ceil(density * (2.0 * (mixture.max_cutoff() + skin)) ** 3))


#: Basis vectors (units of the cubic cell) of the three cubic Bravais lattices.
CUBIC_BASES: dict[str, np.ndarray] = {
    "sc": np.array([[0.0, 0.0, 0.0]]),
    "bcc": np.array([[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]]),
    "fcc": np.array([[0.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.0, 0.5], [0.0, 0.5, 0.5]]),
}
_NEAREST = {"sc": 1.0, "bcc": np.sqrt(3.0) / 2.0, "fcc": 1.0 / np.sqrt(2.0)}


def lattice_choice(n_particles: int) -> tuple[str, int]:
    """The cubic lattice (sc, bcc or fcc) and cell count m per edge whose smallest
    filling of N sites has the largest nearest-neighbour distance.

    A partly filled lattice with too many sites squeezes particles into the repulsive
    core (at Δ = 0.4 and ρ = 1.12 a 7³ sc lattice for N = 250 puts neighbours at 0.87 σ,
    where the force is ~4000 ε/σ); the densest-fitting cubic lattice avoids that.
    """
    best: tuple[float, str, int] | None = None
    for name, basis in CUBIC_BASES.items():
        m = int(np.ceil((n_particles / len(basis)) ** (1.0 / 3.0) - 1e-9))
        spacing = _NEAREST[name] / m  # in units of the box edge
        if best is None or spacing > best[0] + 1e-12:
            best = (spacing, name, m)
    if best is None:  # unreachable: CUBIC_BASES is not empty
        raise RuntimeError("no cubic lattice to choose from")
    return best[1], best[2]


def cubic_lattice(
    n_particles: int,
    density: float,
    rng: np.random.Generator,
    fraction_a: float = model.FRACTION_A,
) -> Configuration:
    """Particles on a cubic lattice with random species, 80:20 A:B (paper §II.A; another
    mixture's ``fraction_a``).

    The lattice (simple, body- or face-centred cubic; :func:`lattice_choice`) is the one
    that holds N particles with the widest spacing; when it has more sites than N, the
    occupied sites are chosen at random.  Exactly round(fraction_a N) particles are A,
    placed at random.
    """
    if n_particles < 2:
        raise ValueError(f"n_particles must be at least 2; got {n_particles}")
    L = box_length_for(n_particles, density)
    name, m = lattice_choice(n_particles)
    cells = np.indices((m, m, m)).reshape(3, -1).T
    unit = (cells[:, None, :] + CUBIC_BASES[name][None, :, :]).reshape(-1, 3)
    grid = (unit + 0.25) * (L / m) - L / 2
    sites = rng.choice(len(grid), size=n_particles, replace=False)
    n_a = round(fraction_a * n_particles)
    typeid = np.ones(n_particles, dtype=np.int32)
    typeid[:n_a] = 0
    rng.shuffle(typeid)
    return Configuration(
        box_length=L,
        positions=grid[np.sort(sites)],
        typeid=typeid,
        image=np.zeros((n_particles, 3), dtype=np.int32),
    ).wrapped()


def maxwell_boltzmann(
    typeid: np.ndarray,
    kT: float,
    rng: np.random.Generator,
    masses: tuple[float, float] = (model.MASS, model.MASS),
) -> np.ndarray:
    """Velocities drawn at temperature kT, zero total momentum, rescaled to exactly kT.

    ``masses``: (m_A, m_B).  Uses 3N − 3 degrees of freedom (momentum is conserved), as
    both engines count them.
    """
    n = len(typeid)
    m = np.asarray(masses, dtype=np.float64)[np.asarray(typeid)][:, None]
    v = rng.normal(size=(n, 3)) * np.sqrt(kT / m)
    v -= (m * v).sum(axis=0) / m.sum()
    current = np.sum(m * v * v) / (3 * n - 3)
    return v * np.sqrt(kT / current)


def make_seed(*parts: object) -> int:
    """A reproducible seed in [1, 65535] from any JSON-serialisable parts.

    HOOMD truncates seeds to 16 bits, so both engines get seeds in that range.
    """
    text = json.dumps(parts, sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") % 65535 + 1


def validate_statepoint(sp: Mapping[str, Any], mixture: model.Mixture = model.KOB_ANDERSEN) -> None:
    """Raise ValueError if a state point is not a valid (Δ, ρ, T, replica, N) of
    ``mixture`` (N against its largest cutoff)."""
    expected = {"delta", "rho", "T", "replica", "N"}
    if set(sp) != expected:
        raise ValueError(f"state point keys must be {sorted(expected)}; got {sorted(sp)}")
    model.validate_delta(sp["delta"])
    for key in ("rho", "T"):
        value = sp[key]
        if not model.is_positive_number(value):
            raise ValueError(f"state point {key} must be a positive number; got {value!r}")
    replica, n = sp["replica"], sp["N"]
    if not isinstance(replica, int) or isinstance(replica, bool) or replica < 0:
        raise ValueError(f"state point replica must be an integer ≥ 0; got {replica!r}")
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(f"state point N must be an integer; got {n!r}")
    n_min = minimum_particles(sp["rho"], mixture=mixture)
    if n < n_min:
        raise ValueError(
            f"state point N={n} is too small: at rho={sp['rho']} the box must exceed twice "
            f"the cutoff plus neighbour skin, which needs N ≥ {n_min}"
        )
