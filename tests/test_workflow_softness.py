"""Softness and s2 operations on the smoke profile: every A particle of every inherent
structure gets S and local s2; one model per system, reloadable."""

import numpy as np
import pytest

from softness_entropy.analysis.softness import SoftnessModel
from softness_entropy.workflow.softness import model_path
from softness_entropy.workflow.storage import read_h5

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
