"""A user's own mixture, end to end: a study file with a [mixture] table (a
Wahnström-type binary mixture: its ε, σ and mass ratios, 50:50) written from
the study-file documentation alone runs through every operation, and the MD used its potential."""

from __future__ import annotations

import math
import subprocess
import sys

import gsd.hoomd
import numpy as np
import pytest
import signac
from conftest import ROOT, project_cmd

from softness_entropy.analysis.pair_energy import energy_and_virial_pressure
from softness_entropy.gsd_io import read_configuration
from softness_entropy.model import Mixture

pytestmark = pytest.mark.slow

STUDY = """
name = "wahnstrom-type"
description = "a Wahnström-type mixture, three temperatures"
N = 500
replicas = 1

[mixture]
name = "Wahnström ratios"
epsilon = { AA = 1.0, AB = 1.0, BB = 1.0 }
sigma = { AA = 1.0, AB = 0.9166666666666666, BB = 0.8333333333333334 }
fraction_a = 0.5
mass_b = 0.5

[[systems]]
delta = 0.1
rho = 1.296
temperatures = [3.0, 1.3, 1.1]  # tau_alpha(0.8) = 61 tau: far slower than Kob–Andersen

[parameters]
dt = 0.002
production_time = 30.0
dynamics_max_time = 300.0
melt_time = 10.0
max_equilibration_time = 600.0
checkpoint_seconds = 30.0
propensity_temperatures = 0  # the stage is tested on the smoke study
"""


def test_a_study_with_its_own_mixture_runs_end_to_end(tmp_path):
    study = tmp_path / "mine.toml"
    study.write_text(STUDY)
    root = tmp_path / "space"
    root.mkdir()
    out = subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--study", str(study)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    project_cmd("run", "--parallel", "2", cwd=root)
    project = signac.get_project(root)
    mixture = Mixture.from_dict(project.doc["parameters"]["mixture"])
    assert mixture.fraction_a == 0.5 and mixture.sigma["BB"] == pytest.approx(5 / 6)
    for job in project:
        # the MD ran this mixture: the stored energy is eq. 1 with its ε, σ
        conf = read_configuration(job.fn("equilibrated.gsd"))
        assert (conf.typeid == 0).sum() == 250
        u, _ = energy_and_virial_pressure(
            conf.box_length, conf.positions, conf.typeid, 0.1, mixture
        )
        record = job.doc["equilibration"]
        assert record["potential_energy"] == pytest.approx(u, rel=1e-5)
        assert record["kinetic_temperature"] == pytest.approx(job.sp.T, rel=0.15)
        with gsd.hoomd.open(job.fn("trajectory.gsd")) as traj:
            masses = np.asarray(traj[0].particles.mass)
        np.testing.assert_array_equal(masses, np.where(conf.typeid == 0, 1.0, 0.5))
        dyn = job.doc["dynamics"]
        assert math.isfinite(dyn["D_A"]) and math.isfinite(dyn["tau_alpha"])
        assert job.doc["softness_model"]["scoring"]["mixture"] == mixture.as_dict()
        assert np.isfinite(job.doc["softness"]["mean_S"])
    assert (root / "results" / "validation.md").exists()
    assert all((root / "figures" / f"figure{k}.png").exists() for k in range(1, 7))
