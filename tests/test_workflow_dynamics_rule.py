"""The dynamics window's MSD target where D_A is used (``dynamics_msd_where``), end to
end on one hot state: inside the reference window the window ends at
``dynamics_tau_alpha`` τα short of MSD_A = 6 σ²; with the target everywhere it runs on
to it."""

import sys
from pathlib import Path

import numpy as np
import pytest
import signac
from conftest import ROOT, project_cmd

pytestmark = pytest.mark.slow

STUDY = """
N = 432
[[systems]]
delta = 0.0
rho = 1.20
temperatures = [2.0]
[parameters]
dt = 0.002
production_time = 30.0
melt_time = 10.0
max_equilibration_time = 100.0
dynamics_max_time = 300.0
reference_window = [1.5, 2.5]
dynamics_msd_where = "{where}"
"""


def dynamics_of(tmp_path: Path, where: str) -> tuple[dict, float]:
    import subprocess

    root = tmp_path / where
    root.mkdir()
    study = root / "study.toml"
    study.write_text(STUDY.format(where=where))
    subprocess.run([sys.executable, str(ROOT / "init.py"), "--study", str(study)], cwd=root,
                   check=True)  # fmt: skip
    project_cmd("run", "-o", "equilibrate", "dynamics", cwd=root)
    (job,) = signac.get_project(root)
    with np.load(job.fn("dynamics.npz")) as data:
        final_msd = float(data["msd"][np.isfinite(data["msd"])][-1])
    return dict(job.doc["dynamics"]), final_msd


def test_the_window_stops_at_ten_tau_alpha_inside_the_reference_window(tmp_path):
    inside, msd_inside = dynamics_of(tmp_path, "above_window")  # T_ref 2.0 in [1.5, 2.5]
    everywhere, msd_everywhere = dynamics_of(tmp_path, "everywhere")
    assert inside["msd_target_required"] is False
    assert everywhere["msd_target_required"] is True
    assert msd_everywhere >= 6.0  # ran on to the target (D_A ≈ 0.1 σ²/τ at T = 2)
    assert msd_inside < 6.0 and inside["time"] < everywhere["time"]
    # τα is measured either way, and the window lasted ≥ 10 of it
    assert np.isfinite(inside["tau_alpha"]) and inside["window_tau_alpha"] >= 10 - 1e-9
