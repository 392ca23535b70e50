"""The smoke profile (its Δ = 0.4 system) end to end with engine=hoomd: the same
outputs as with LAMMPS (files, records, figures, the validation report) and results
that agree within the smoke profile's statistical noise."""

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import signac
from conftest import HAVE_HOOMD, ROOT, assert_inherent_structures_are_minima, project_cmd

pytestmark = [
    pytest.mark.slow,
    pytest.mark.hoomd,
    pytest.mark.skipif(not HAVE_HOOMD, reason="hoomd is not importable"),
]

JOB_FILES = ("equilibrated.gsd", "dynamics.gsd", "dynamics.npz", "trajectory.gsd",
             "inherent.gsd", "phop.h5", "training.h5", "softness.h5", "dynamics.png",
             "rearrangements.png")  # fmt: skip
RECORDS = ("equilibration", "dynamics_window", "dynamics", "production",
           "inherent_structures", "phop", "training_set", "softness_model", "softness")  # fmt: skip


@pytest.fixture(scope="module")
def smoke_hoomd(tmp_path_factory):
    """The smoke study's Δ = 0.4 system alone with engine=hoomd (HOOMD-blue's FIRE costs
    twice LAMMPS's on CPUs, so one system keeps the suite in budget; Δ = 0.4 exercises
    the shifted potential)."""
    root = tmp_path_factory.mktemp("smoke_hoomd")
    text = (ROOT / "src" / "softness_entropy" / "studies" / "smoke.toml").read_text()
    head, *systems = text.split("[[systems]]\n")
    (params,) = [s for s in systems if s.startswith("delta = 0.4\n")]
    study = root / "smoke-hoomd.toml"
    assert "[parameters]" in params  # the last system, followed by the parameters
    study.write_text(head + "[[systems]]\n" + params)
    subprocess.run([sys.executable, str(ROOT / "init.py"), "--study", str(study), "--set",
                    "engine=hoomd"], cwd=root, check=True)  # fmt: skip
    start = time.perf_counter()
    project_cmd("run", "--parallel", "2", cwd=root)
    print(f"smoke workflow (Δ = 0.4) with HOOMD-blue: {time.perf_counter() - start:.1f} s")
    project = signac.get_project(root)
    assert {job.cached_statepoint["delta"] for job in project} == {0.4}
    return project


def by_statepoint(project) -> dict:
    return {json.dumps(dict(j.cached_statepoint), sort_keys=True): j for j in project}


def test_same_outputs_as_with_lammps(smoke_hoomd, smoke):
    hoomd_jobs, lammps_jobs = by_statepoint(smoke_hoomd), by_statepoint(smoke)
    assert len(hoomd_jobs) == 3 and hoomd_jobs.keys() <= lammps_jobs.keys()
    for key, job in hoomd_jobs.items():
        ref = lammps_jobs[key]
        for name in JOB_FILES:
            assert job.isfile(name), (key, name)
        for record in RECORDS:
            assert set(job.doc[record]) == set(ref.doc[record]), (key, record)
        for record in ("equilibration", "dynamics_window", "production", "inherent_structures"):
            assert job.doc[record]["engine"] == "hoomd" and ref.doc[record]["engine"] == "lammps"
    for sub in ("figures", "results", "analysis", "models"):
        ours = sorted(p.name for p in (Path(smoke_hoomd.path) / sub).iterdir())
        theirs = sorted(
            p.name for p in (Path(smoke.path) / sub).iterdir() if "delta0.0_" not in p.name
        )  # per-system files of the other system aside
        assert ours == theirs, sub
    assert len(smoke_hoomd.doc["validation"]) == len(smoke.doc["validation"])


def test_hoomd_inherent_structures_are_minima(smoke_hoomd):
    """HOOMD-blue's FIRE (the paper profile's minimiser) through the workflow."""
    assert_inherent_structures_are_minima(smoke_hoomd)


def test_results_agree_within_the_smoke_noise(smoke_hoomd, smoke):
    """Per state: ⟨U⟩ and ⟨T_kin⟩ of the inherent-structure window within 5 standard
    errors (frame-to-frame std / √(frames / τα-correlated stretch), floored at 1 frame);
    D_A and τα within 4 combined bootstrap errors; the mean inherent-structure energy
    within 5 standard errors (frames correlated over ≤ 5 τ: n_eff = frames / 5)."""
    lammps_jobs = by_statepoint(smoke)
    for key, job in by_statepoint(smoke_hoomd).items():
        ref = lammps_jobs[key]
        for name in ("potential_energy", "kinetic_temperature"):
            a, b = job.doc["production"], ref.doc["production"]
            tau = max(job.doc["dynamics"]["tau_alpha"], 1.0)
            n_eff = max(a["frames"] / (2 * tau), 1.0)
            err = np.hypot(a[f"{name}_std"], b[f"{name}_std"]) / np.sqrt(n_eff)
            assert abs(a[name] - b[name]) < 5 * err, (key, name, a[name], b[name], err)
        for name in ("D_A", "tau_alpha"):
            a, b = job.doc["dynamics"], ref.doc["dynamics"]
            err = np.hypot(a[f"{name}_error"], b[f"{name}_error"])
            assert abs(a[name] - b[name]) < 4 * err, (key, name, a[name], b[name], err)
        a, b = job.doc["inherent_structures"], ref.doc["inherent_structures"]
        err = np.hypot(a["potential_energy_std"], b["potential_energy_std"]) / np.sqrt(
            a["frames"] / 5
        )
        assert abs(a["potential_energy"] - b["potential_energy"]) < 5 * err, key
