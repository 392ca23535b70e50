"""Shared fixtures: the engines to test (HOOMD-blue skipped where not importable)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from softness_entropy.configuration import Configuration, cubic_lattice

HAVE_HOOMD = importlib.util.find_spec("hoomd") is not None
HAVE_LAMMPS = importlib.util.find_spec("lammps") is not None

requires_hoomd = pytest.mark.skipif(not HAVE_HOOMD, reason="hoomd is not importable")
requires_lammps = pytest.mark.skipif(not HAVE_LAMMPS, reason="lammps is not importable")

ENGINE_PARAMS = [
    pytest.param("lammps", marks=requires_lammps, id="lammps"),
    pytest.param("hoomd", marks=[requires_hoomd, pytest.mark.hoomd], id="hoomd"),
]


def make_engine(name: str, conf: Configuration, delta: float, dt: float = 0.005, seed: int = 7):
    """An engine on the CPU with one thread, for reproducible tests."""
    from softness_entropy.engines import create_engine

    return create_engine(name, conf, delta, dt=dt, seed=seed, device="cpu", threads=1)


def pair_configuration(r: float, types: tuple[int, int], box_length: float = 12.0):
    """Two particles a distance r apart along x, centred in a cubic box."""
    pos = np.array([[-r / 2, 0.1, -0.2], [r / 2, 0.1, -0.2]])
    return Configuration(
        box_length=box_length, positions=pos, typeid=np.array(types), image=np.zeros((2, 3))
    )


@pytest.fixture(params=ENGINE_PARAMS)
def engine_name(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def liquid_configuration() -> Configuration:
    """A disordered 400-particle configuration at ρ = 1.2 (lattice melted with LAMMPS
    or HOOMD, whichever is installed)."""
    from softness_entropy.engines import available_engines

    conf = cubic_lattice(400, 1.2, np.random.default_rng(3))
    name = available_engines()[-1]
    with make_engine(name, conf, 0.0) as md:
        md.thermalize(2.0)
        md.run_nvt(1000, 2.0, 0.1)
        return md.configuration()
