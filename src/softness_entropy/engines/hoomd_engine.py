"""HOOMD-blue implementation of the engine interface (HOOMD-blue 7.x; GPU, MPI).

Physics mapping (checked against eq. 1 in ``tests/test_engines.py`` where HOOMD imports):

* ``hoomd.md.pair.ExpandedLJ`` with ``sigma = σ'_ij``, ``delta = Δ``, ``mode="shift"``;
  its ``r_cut`` acts on r itself, so ``r_cut = 2.5 σ_ij``.
* ``hoomd.md.methods.ConstantVolume`` with a ``thermostats.MTTK`` Nosé–Hoover
  thermostat (the same equations of motion as LAMMPS ``fix nvt ... tchain 1``).
* ``hoomd.md.minimize.FIRE`` for inherent structures.  HOOMD's FIRE tests the mean
  force :math:`\\sum_i |F_i| / (N \\sqrt{N_{dof}})`; we keep minimising until the largest
  per-particle force :math:`|F_i|` is below the tolerance, the criterion LAMMPS uses here too.
* Devices: ``hoomd.device.auto_select()`` (a GPU where present) unless ``device`` says
  "cpu" or "gpu".  Under ``mpiexec`` HOOMD decomposes the domain over the ranks.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import model
from ..configuration import Configuration
from .base import Engine, FireParameters, MinimizeResult, Thermo

_NEIGHBOR_BUFFER = 0.4
_FIRE_CHUNK = 200


def load_hoomd():
    """Import ``hoomd`` and ``hoomd.md`` with an installation hint on failure."""
    try:
        import hoomd
        import hoomd.md
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ImportError(
            "HOOMD-blue is not importable: install it from conda-forge "
            "(conda env create -f environment.yml) or use engine='lammps'"
        ) from err
    return hoomd


def gpu_available(hoomd) -> bool:
    """Whether this HOOMD-blue build has GPU support and sees a usable GPU (the test
    ``hoomd.device.auto_select`` makes; ``GPU.is_available()`` only reports the build)."""
    return bool(hoomd.version.gpu_enabled and len(hoomd.device.GPU.get_available_devices()) > 0)


def make_device(hoomd, device: str = "auto"):
    """A HOOMD device: "auto" (GPU if present, else CPU), "cpu" or "gpu".

    "gpu" where no GPU can be used is an error naming the reason and the fix, never a
    silent CPU run.
    """
    if device == "auto":
        return hoomd.device.auto_select()
    if device == "cpu":
        return hoomd.device.CPU()
    if device == "gpu":
        if not gpu_available(hoomd):
            if not hoomd.version.gpu_enabled:
                reason = "this HOOMD-blue build has no GPU support (a CPU build)"
            else:
                found = hoomd.device.GPU.get_unavailable_device_reasons()
                reason = "no usable GPU was found" + (f" ({'; '.join(found)})" if found else "")
            raise RuntimeError(
                f"device='gpu' was asked for, but {reason}: run on a GPU node with "
                "conda-forge's CUDA build of hoomd (environment.yml), or choose "
                "device='auto' or 'cpu' (python init.py --set device=auto)"
            )
        return hoomd.device.GPU()
    raise ValueError(f"device must be 'auto', 'cpu' or 'gpu'; got {device!r}")


class HoomdEngine(Engine):
    """Expanded-LJ Kob–Andersen mixture in HOOMD-blue; see the module docstring."""

    name = "hoomd"

    def __init__(
        self,
        configuration: Configuration,
        delta: float,
        *,
        dt: float,
        seed: int,
        device: str = "auto",
        mixture: model.Mixture = model.KOB_ANDERSEN,
    ) -> None:
        hoomd = load_hoomd()
        self._hoomd = hoomd
        self._set_common(configuration, delta, dt, seed, mixture)
        self.device = make_device(hoomd, device)
        self.sim = hoomd.Simulation(device=self.device, seed=self.seed)
        self.sim.timestep = configuration.step
        self.sim.create_state_from_snapshot(self._snapshot(configuration))
        self._step_offset = 0
        self._thermo = hoomd.md.compute.ThermodynamicQuantities(filter=hoomd.filter.All())
        self.sim.operations.computes.append(self._thermo)
        md = hoomd.md
        # kT and tau are set by run_nvt; the placeholders are never integrated with
        self._thermostat = md.methods.thermostats.MTTK(kT=1.0, tau=1.0)
        self._nvt_key: tuple[float, float] | None = None
        method = md.methods.ConstantVolume(filter=hoomd.filter.All(), thermostat=self._thermostat)
        self._md_integrator = md.Integrator(
            dt=self.dt, methods=[method], forces=[self._make_pair()]
        )
        self.sim.operations.integrator = self._md_integrator

    # -- helpers -----------------------------------------------------------------
    def _make_pair(self):
        md = self._hoomd.md
        nlist = md.nlist.Cell(buffer=_NEIGHBOR_BUFFER)
        pair = md.pair.ExpandedLJ(nlist=nlist, mode="shift")
        for (a, b), p in self.pairs.items():
            pair.params[(a, b)] = dict(epsilon=p.epsilon, sigma=p.sigma_prime, delta=p.delta)
            pair.r_cut[(a, b)] = p.r_cut
        return pair

    def _snapshot(self, conf: Configuration):
        snap = self._hoomd.Snapshot(self.device.communicator)
        if snap.communicator.rank == 0:
            L = conf.box_length
            snap.configuration.box = [L, L, L, 0.0, 0.0, 0.0]
            snap.particles.N = conf.n_particles
            snap.particles.types = list(model.TYPES)
            snap.particles.typeid[:] = conf.typeid
            snap.particles.position[:] = conf.positions
            snap.particles.image[:] = conf.image
            snap.particles.mass[:] = np.asarray(self.mixture.masses)[conf.typeid]
            if conf.velocities is not None:
                snap.particles.velocity[:] = conf.velocities
        return snap

    def _broadcast(self, value):
        if self.device.communicator.num_ranks == 1:
            return value
        from mpi4py import MPI  # HOOMD MPI builds ship with mpi4py

        return MPI.COMM_WORLD.bcast(value, root=0)

    # -- interface ---------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self._hoomd.version.version)

    @property
    def is_root(self) -> bool:
        return self.device.communicator.rank == 0

    @property
    def step(self) -> int:
        return int(self.sim.timestep) + self._step_offset

    def configuration(self) -> Configuration:
        snap = self.sim.state.get_snapshot()
        conf = None
        if snap.communicator.rank == 0:
            conf = Configuration(
                box_length=self.box_length,
                positions=np.array(snap.particles.position, dtype=np.float64),
                typeid=np.array(snap.particles.typeid, dtype=np.int32),
                image=np.array(snap.particles.image, dtype=np.int32),
                velocities=np.array(snap.particles.velocity, dtype=np.float64),
                step=self.step,
            ).wrapped()
        return self._broadcast(conf)

    def set_configuration(self, conf: Configuration) -> None:
        if conf.n_particles != self.n or not np.array_equal(conf.typeid, self.typeid):
            raise ValueError("set_configuration: particle count or species differ")
        if not np.isclose(conf.box_length, self.box_length, rtol=1e-12):
            raise ValueError("set_configuration: box differs")
        self.sim.state.set_snapshot(self._snapshot(conf.wrapped()))
        self._step_offset = conf.step - int(self.sim.timestep)

    def run_nvt(self, steps: int, kT: float, tau: float) -> None:
        key = (float(kT), float(tau))
        if self._nvt_key != key:
            # a new set point restarts the thermostat (xi = eta = 0), as in LAMMPS
            self._thermostat.kT = key[0]
            self._thermostat.tau = key[1]
            self._thermostat.translational_dof = (0.0, 0.0)
            self._nvt_key = key
        self.sim.run(int(steps))

    def minimize_fire(self, params: FireParameters) -> MinimizeResult:
        hoomd, md = self._hoomd, self._hoomd.md
        self._set_at_rest()
        pair = self._make_pair()
        fire = md.minimize.FIRE(
            dt=params.dt,
            force_tol=params.force_tolerance,
            angmom_tol=1.0,
            energy_tol=params.energy_tolerance if params.energy_tolerance > 0 else 1e30,
            alpha_start=params.alpha_start,
            forces=[pair],
            methods=[md.methods.ConstantVolume(filter=hoomd.filter.All())],
        )
        self.sim.operations.integrator = fire
        start = int(self.sim.timestep)
        sorters = self._sort_from(start)
        steps, fmax = 0, np.inf
        while steps < params.max_steps:
            self.sim.run(min(_FIRE_CHUNK, params.max_steps - steps))
            steps = int(self.sim.timestep) - start
            if fire.converged:
                fmax = self._max_force(pair)
                if fmax < params.force_tolerance:
                    break
                # HOOMD's criterion is an RMS force: tighten it and continue (a
                # converged FIRE stops moving until it is reset)
                fire.force_tol = fire.force_tol / 10.0
                fire.reset()
        fmax = self._max_force(pair)
        u = self.thermo().potential_energy
        self._step_offset -= steps
        self.sim.operations.integrator = self._md_integrator
        for sorter, trigger in sorters:
            sorter.trigger = trigger
        self._nvt_key = None
        self._set_at_rest()
        return MinimizeResult(
            potential_energy=u,
            max_force=fmax,
            steps=steps,
            force_evaluations=steps + 1,
            converged=fmax < params.force_tolerance,
        )

    def _sort_from(self, start: int) -> list[tuple[object, object]]:
        """Phase HOOMD's particle sorters on ``start``; return their old triggers.

        HOOMD sums forces in its in-memory particle order, which the sorter
        (``hoomd.tune.ParticleSorter``, every 200 steps of the absolute timestep)
        changes. Sorting on the same steps *of this minimisation* makes the
        result a function of the configuration alone (bitwise on the CPU), as in
        the LAMMPS engine: a frame minimised after a restart gives the same bits.
        """
        trigger_module = self._hoomd.trigger
        sorters = [
            t for t in self.sim.operations.tuners if isinstance(t, self._hoomd.tune.ParticleSorter)
        ]
        saved = [(t, t.trigger) for t in sorters]
        for sorter, trigger in saved:
            period = int(getattr(trigger, "period", 200))
            sorter.trigger = trigger_module.Periodic(period, phase=start % period)
        return saved

    def _set_at_rest(self) -> None:
        conf = self.configuration()
        self.set_configuration(replace(conf, velocities=np.zeros_like(conf.positions)))

    def _max_force(self, pair) -> float:
        forces = pair.forces  # gathered in tag order on rank 0
        value = None
        if self.is_root:
            value = float(np.sqrt((np.asarray(forces) ** 2).sum(axis=1)).max())
        return self._broadcast(value)

    def forces(self) -> np.ndarray:
        self.sim.run(0)
        pair = self._md_integrator.forces[0]
        value = np.array(pair.forces, dtype=np.float64) if self.is_root else None
        return self._broadcast(value)

    def thermo(self) -> Thermo:
        # HOOMD computes the virial only on steps that need it: ask for it for this
        # evaluation only, so MD steps do not pay for it
        self.sim.always_compute_pressure = True
        try:
            self.sim.run(0)
            q = self._thermo
            kinetic = float(q.translational_kinetic_energy)
            pressure = float(q.pressure)
            potential = float(q.potential_energy)
            t_kin = float(q.kinetic_temperature)
        finally:
            self.sim.always_compute_pressure = False
        volume = self.box_length**3
        return Thermo(
            potential_energy=potential / self.n,
            kinetic_temperature=t_kin,
            pressure=pressure,
            virial_pressure=pressure - 2.0 * kinetic / (3.0 * volume),
        )
