"""The propensity stage on the smoke data space (isoconfigurational_ensemble →
score_propensity → summarize_propensity): which states it runs on, that its stored
correlations are the stored arrays' (scipy), its table and figure, and that its
parameters may change in a data space and re-run only the stage."""

import csv
import subprocess
import sys
from pathlib import Path

import gsd.hoomd
import h5py
import numpy as np
import pytest
import signac
from conftest import ROOT, project_cmd
from scipy import stats

from softness_entropy.analysis.pair_energy import particle_energies
from softness_entropy.analysis.propensity import PREDICTORS, VARIANTS, voronoi_cells
from softness_entropy.gsd_io import from_frame
from softness_entropy.workflow.conditions import has_ensemble, has_propensity
from softness_entropy.workflow.selection import propensity_states

pytestmark = pytest.mark.slow


def chosen(project) -> list:
    return propensity_states(project)


def test_the_coldest_state_of_each_system_gets_an_ensemble(smoke):
    params = smoke.doc["parameters"]
    states = chosen(smoke)
    coldest = {}
    for job in smoke:
        key = (job.sp.delta, job.sp.rho)
        coldest[key] = min(coldest.get(key, np.inf), job.sp.T)
    assert sorted((j.sp.delta, j.sp.T) for j in states) == sorted(
        (d, t) for (d, _), t in coldest.items()
    )
    for job in smoke:
        assert ("isoconfigurational" in job.doc) == (job in states)
    for job in states:
        rec = job.doc["isoconfigurational"]
        assert has_ensemble(job) and has_propensity(job)
        c, m = params["propensity_configurations"], params["propensity_trajectories"]
        assert rec["configurations"] == c and rec["trajectories"] == m
        tau = job.doc["dynamics"]["tau_alpha"]
        assert rec["tau_alpha"] == tau
        assert rec["times_tau_alpha"][0] == pytest.approx(0.1, rel=0.05)
        assert rec["times_tau_alpha"][-1] == pytest.approx(2.0, rel=0.05)
        # starting frames ≥ τα apart; the cost is what ran
        assert np.all(np.diff(rec["frames"]) >= tau / params["frame_interval"])
        assert rec["particle_steps"] == c * m * rec["steps"] * job.sp.N
        assert rec["wall_seconds"] > 0 and not job.isfile("isoconfigurational.ckpt.npz")


def test_stored_correlations_are_those_of_the_stored_arrays(smoke):
    """Recomputed with scipy from isoconfigurational.h5 and propensity.h5; the S and
    s2 columns are the rows compute_softness_and_s2 stored for the starting frames,
    the energies sum (with the B particles') to the stored IS energy."""
    for job in chosen(smoke):
        rec = job.doc["propensity"]
        with (
            h5py.File(job.fn("isoconfigurational.h5")) as e,
            h5py.File(job.fn("propensity.h5")) as p,
        ):
            frames = e["frames"][()]
            with h5py.File(job.fn("softness.h5")) as s:
                np.testing.assert_array_equal(
                    p["predictors/softness"][()], s["softness"][()][frames]
                )
                np.testing.assert_array_equal(
                    p["predictors/s2_local"][()], s["s2_local"][()][frames]
                )
            for name in PREDICTORS:
                x = p[f"predictors/{name}"][()]
                for variant, key in zip(VARIANTS, ("propensity", "propensity_cage"), strict=True):
                    y = e[key][()]
                    curve = rec["curves"][name][variant]
                    for t in range(y.shape[1]):
                        r = np.mean(
                            [stats.pearsonr(x[c], y[c, t]).statistic for c in range(len(x))]
                        )
                        assert curve["pearson"][t] == pytest.approx(r, abs=1e-9)
                        lo, hi = curve["pearson_interval"][t]
                        assert (
                            lo <= curve["pearson"][t] + 1e-12 and curve["pearson"][t] <= hi + 1e-12
                        )
            energies = p["predictors/is_energy"][()]
            volumes = p["predictors/voronoi_volume"][()]
        with gsd.hoomd.open(job.fn("inherent.gsd")) as inh:
            for c, k in enumerate(frames):
                conf = from_frame(inh[int(k)])
                full = particle_energies(conf.box_length, conf.positions, conf.typeid, job.sp.delta)
                e_is = inh[int(k)].log["is/potential_energy"][0]
                assert full.sum() / job.sp.N == pytest.approx(e_is, abs=1e-5)
                a = conf.typeid == 0
                np.testing.assert_allclose(energies[c], full[a], rtol=1e-12)
                # the A particles' cells of the whole tessellation, which fills the box;
                # the A particles are the larger, their mean cell above 1/ρ
                cells, _ = voronoi_cells(conf.box_length, conf.positions)
                assert cells.sum() == pytest.approx(conf.box_length**3, rel=1e-9)
                np.testing.assert_allclose(volumes[c], cells[a], rtol=1e-12)
        assert volumes.mean() > 1 / job.sp.rho


def test_the_table_and_figure_hold_every_curve(smoke):
    root = Path(smoke.path)
    with open(root / "results" / "propensity.csv") as f:
        rows = list(csv.DictReader(f))
    states = chosen(smoke)
    times = len(states[0].doc["propensity"]["times_tau_alpha"])
    assert len(rows) == len(states) * len(PREDICTORS) * len(VARIANTS) * times
    assert {r["predictor"] for r in rows} == set(PREDICTORS)
    for r in rows:
        assert (
            float(r["pearson_lo"]) <= float(r["pearson"]) + 1e-12 <= float(r["pearson_hi"]) + 2e-12
        )
    assert (root / "figures" / "propensity.png").stat().st_size > 10_000
    summary = smoke.doc["propensity"]
    assert len(summary) == len(states) * len(PREDICTORS) * len(VARIANTS)
    for s in summary:
        assert s["t_at_tau_alpha"] == pytest.approx(1.0, rel=0.4)  # nearest in log t
        assert -1 <= s["pearson_at_tau_alpha"] <= 1


def test_propensity_parameters_may_change_and_re_run_only_the_stage(smoke, tmp_path):
    import shutil

    root = tmp_path / "more"
    shutil.copytree(smoke.path, root, symlinks=True)
    out = subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--profile", "smoke",
         "--set", "propensity_trajectories=4"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    project = signac.get_project(root)
    assert not any(has_ensemble(j) for j in chosen(project))
    pretend = subprocess.run(
        [sys.executable, str(ROOT / "project.py"), "run", "--pretend"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    # one line per operation: "… project.py exec <operation> <job id>"
    ran = {line.split(" exec ")[1].split()[0] for line in pretend.splitlines() if " exec " in line}
    assert ran == {"isoconfigurational_ensemble"}, pretend
    before = (root / "results" / "propensity.csv").read_text()
    project_cmd("run", cwd=root)
    assert all(has_ensemble(j) and has_propensity(j) for j in chosen(project))
    assert all(j.doc["isoconfigurational"]["trajectories"] == 4 for j in chosen(project))
    # the summary follows: its table holds the new curves
    assert (root / "results" / "propensity.csv").read_text() != before
    rows = {(r["delta"], r["predictor"], r["displacement"]): r["pearson_at_tau_alpha"]
            for r in project.doc["propensity"]}  # fmt: skip
    for job in chosen(project):
        curve = job.doc["propensity"]["curves"]["softness"]["plain"]["pearson"]
        assert rows[(job.sp.delta, "softness", "plain")] in curve
    refused = subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--profile", "smoke", "--set", "p_soft=0.3"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode != 0 and "p_soft" in refused.stderr
