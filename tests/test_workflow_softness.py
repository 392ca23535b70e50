"""Softness and s2 operations on the smoke profile: every A particle of every inherent
structure gets S and local s2; one model per system, reloadable."""

import gsd.hoomd
import numpy as np
import pytest
from scipy import stats

from softness_entropy.analysis.softness import SoftnessModel
from softness_entropy.analysis.structure import local_densities, local_s2, structure_functions
from softness_entropy.files import read_h5
from softness_entropy.gsd_io import from_frame
from softness_entropy.workflow.products import model_path

pytestmark = pytest.mark.slow


def test_every_a_particle_of_every_frame_has_softness_and_s2(smoke):
    for job in smoke:
        data = read_h5(job.fn("softness.h5"), "compute_softness_and_s2")
        n_frames = job.doc["inherent_structures"]["frames"]
        n_a = round(0.8 * job.cached_statepoint["N"])
        assert data["softness"].shape == data["s2_local"].shape == (n_frames, n_a)
        assert np.all(np.isfinite(data["softness"])) and np.all(np.isfinite(data["s2_local"]))
        assert np.all(data["s2_local"] < 0)  # ordered relative to the ideal gas
        rec = job.doc["softness"]
        assert -1 <= rec["pearson_S_s2_is_frames"] <= 1
        assert rec["s2_global"] < 0
        assert rec["mean_S"] == pytest.approx(float(data["softness"].mean()), rel=1e-5)
        rho = stats.pearsonr(data["softness"].ravel(), data["s2_local"].ravel()).statistic
        assert rec["pearson_S_s2_is_frames"] == pytest.approx(rho, abs=1e-6)


def test_softness_of_an_inherent_structure_by_hand(smoke):
    """Frame k of softness.h5 is eq. 3 of inherent structure k on the model's grid
    through its standardisation and hyperplane (S = w·x̂ + b), and local s2 is eq. 6
    with the model's η and damping: the operation pairs frames and A particles right."""
    for job in smoke:
        model = SoftnessModel.load(model_path(job))
        data = read_h5(job.fn("softness.h5"), "compute_softness_and_s2")
        with gsd.hoomd.open(job.fn("inherent.gsd")) as inh:
            k = len(inh) // 2
            conf = from_frame(inh[k])
        a_index = np.flatnonzero(conf.typeid == 0)
        G, counts = structure_functions(
            conf.box_length, conf.positions, conf.typeid, a_index, model.grid
        )
        x = (G.reshape(len(a_index), -1) - model.mean) / model.scale
        np.testing.assert_allclose(
            data["softness"][k], x @ model.coef + model.intercept, rtol=1e-5, atol=1e-5
        )
        eta, width = model.scoring["s2_eta"], model.scoring["s2_damping_width"]
        np.testing.assert_allclose(
            data["s2_local"][k], local_s2(G, local_densities(counts), model.grid, eta, width),
            rtol=1e-5, atol=1e-6,
        )  # fmt: skip


def test_one_model_per_system_trained_below_the_top_temperature(smoke):
    systems = {(j.cached_statepoint["delta"], j.cached_statepoint["rho"]) for j in smoke}
    for delta, rho in systems:
        jobs = list(smoke.find_jobs({"delta": delta, "rho": rho}))
        model = SoftnessModel.load(model_path(jobs[0]))
        assert model.system == {"delta": delta, "rho": rho}
        top = max(j.cached_statepoint["T"] for j in jobs)
        assert top not in model.metrics["trained_on_T"]
        assert 0.0 <= model.metrics["test_accuracy"] <= 1.0
        for job in jobs:
            assert job.doc["softness_model"]["C"] == model.C
    # global s2 falls on cooling (more order), per system
    for delta, _ in systems:
        jobs = sorted(smoke.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])
        assert jobs[0].doc["softness"]["s2_global"] < jobs[-1].doc["softness"]["s2_global"]
