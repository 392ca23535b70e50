"""The one interface both MD engines implement.

An engine owns one simulation of the expanded-LJ Kob–Andersen mixture (paper eq. 1)
at fixed volume.  The workflow only talks to this interface, so HOOMD-blue and LAMMPS
runs produce the same files and the same numbers (to floating-point round-off).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, replace

import numpy as np

from .. import model
from ..configuration import Configuration, maxwell_boltzmann


@dataclass(frozen=True)
class Thermo:
    """Instantaneous thermodynamics of the current state (LJ units of species A).

    Attributes
    ----------
    potential_energy : float
        total potential energy U per particle (ε_AA), shifted pair
        potential of eq. 1.
    kinetic_temperature : float
        2K / (3N − 3) (ε_AA / k_B); 0 for a static structure.
    pressure : float
        (2K + W) / (3V) = (N − 1) k T_kin / V + W / (3V), the virial pressure
        with the kinetic energy K itself (as HOOMD and LAMMPS both report it)
        (ε_AA σ_AA⁻³).
    virial_pressure : float
        the configurational part W / (3V) alone (ε_AA σ_AA⁻³).
    """

    potential_energy: float
    kinetic_temperature: float
    pressure: float
    virial_pressure: float


@dataclass(frozen=True)
class MinimizeResult:
    """Outcome of a FIRE energy minimisation.

    Attributes
    ----------
    potential_energy : float
        U per particle of the inherent structure (ε_AA).
    max_force : float
        largest :math:`|F_i|` after minimisation (ε_AA/σ_AA).
    steps : int
        FIRE iterations used.
    force_evaluations : int
        force computations used (≈ steps).
    converged : bool
        whether the force tolerance was reached within the step budget.
    """

    potential_energy: float
    max_force: float
    steps: int
    force_evaluations: int
    converged: bool


@dataclass(frozen=True)
class FireParameters:
    """FIRE settings shared by both engines (paper §II.A inherent structures).

    Attributes
    ----------
    force_tolerance : float
        stop when every :math:`|F_i|` < this (ε_AA/σ_AA).
    energy_tolerance : float
        and the relative change of U between iterations < this.
    max_steps : int
        iteration budget per minimisation.
    dt : float
        initial FIRE time step (τ); the engines' own FIRE schemes adapt it.
    alpha_start : float
        FIRE's initial (and largest) velocity-mixing parameter α.  0.05
        instead of the engines' defaults (0.25 LAMMPS, 0.1 HOOMD) needs 40–60 % fewer
        iterations on these liquids (LAMMPS, measured on Δ = 0 and 0.4 frames) for
        inherent-structure energies of the same distribution.
    """

    force_tolerance: float = 1e-6
    energy_tolerance: float = 0.0
    max_steps: int = 200_000
    dt: float = 0.005
    alpha_start: float = 0.05


class Engine(abc.ABC):
    """One fixed-volume simulation of the expanded-LJ Kob–Andersen mixture (the
    parameters are common to both implementations).

    Parameters
    ----------
    configuration : Configuration
        starting state; its velocities are used if present.
    delta : float
        well-width parameter Δ of eq. 1 (σ_AA).
    dt : float
        MD time step (τ).
    seed : int
        random seed (16 bit) for anything the engine draws.
    mixture : Mixture
        ε_ij, σ_ij, composition and masses (default: Kob–Andersen).
    """

    #: short engine name recorded in provenance ("hoomd" or "lammps")
    name: str = ""
    #: random seed (set by the implementation's constructor)
    seed: int = 0

    def _set_common(
        self, configuration: Configuration, delta: float, dt: float, seed: int,
        mixture: model.Mixture,
    ) -> None:  # fmt: skip
        """What both constructors record: Δ, dt, seed, N, box, species, the mixture
        and its pair coefficients (eq. 1)."""
        self.delta = model.validate_delta(delta)
        self.dt = float(dt)
        self.seed = int(seed)
        self.n = configuration.n_particles
        self.box_length = configuration.box_length
        self.typeid = configuration.typeid.copy()
        self.mixture = mixture
        self.pairs = model.pair_parameters(self.delta, mixture)

    @property
    @abc.abstractmethod
    def version(self) -> str:
        """Engine version string, for provenance."""

    @property
    @abc.abstractmethod
    def is_root(self) -> bool:
        """True on the MPI rank that writes files (always True without MPI)."""

    @abc.abstractmethod
    def configuration(self) -> Configuration:
        """The current state (positions wrapped, image flags, velocities, step)."""

    @abc.abstractmethod
    def set_configuration(self, conf: Configuration) -> None:
        """Replace positions, images, velocities and step with those of ``conf``.

        The particle count, species and box must match the engine's.
        """

    def thermalize(self, kT: float) -> None:
        """Draw Maxwell–Boltzmann velocities at kT with zero total momentum.

        Drawn with numpy from (seed, step), so both engines get the same velocities.
        """
        conf = self.configuration()
        rng = np.random.default_rng([self.seed, conf.step])
        velocities = maxwell_boltzmann(conf.typeid, kT, rng, self.mixture.masses)
        self.set_configuration(replace(conf, velocities=velocities))

    @abc.abstractmethod
    def run_nvt(self, steps: int, kT: float, tau: float) -> None:
        """Advance ``steps`` MD steps with a Nosé–Hoover thermostat at kT.

        ``tau`` is the thermostat coupling time (τ).  Successive calls continue the
        same thermostat chain; changing kT takes effect immediately.
        """

    @abc.abstractmethod
    def minimize_fire(self, params: FireParameters) -> MinimizeResult:
        """Minimise the potential energy with FIRE in place (velocities are zeroed)."""

    @abc.abstractmethod
    def forces(self) -> np.ndarray:
        """(N, 3) force on every particle of the current configuration (ε_AA/σ_AA),
        in particle order (eq. 1; the shift does not change forces)."""

    @abc.abstractmethod
    def thermo(self) -> Thermo:
        """Thermodynamics of the current state."""

    @property
    @abc.abstractmethod
    def step(self) -> int:
        """The current MD step counter."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release engine resources."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
