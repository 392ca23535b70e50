"""dynamics and compute_phop on the smoke profile: every job gets D_A (or its flag),
τα, phop and a training set, consistent with the stored arrays."""

import numpy as np
import pytest

from softness_entropy.workflow.storage import read_h5

pytestmark = pytest.mark.slow


def test_every_job_has_dynamics(smoke):
    for job in smoke:
        rec = job.doc["dynamics"]
        data = np.load(job.fn("dynamics.npz"))
        assert data["msd"][0] == pytest.approx(0.0, abs=1e-4)
        assert np.all(np.diff(data["msd"][: len(data["msd"]) // 2]) > 0)
        if rec["diffusive"]:
            assert rec["D_A"] > 0 and 0.7 < rec["msd_loglog_slope"] < 1.3
            sp = job.cached_statepoint
            assert rec["D_A_reduced"] == pytest.approx(
                sp["rho"] ** (1 / 3) * (1 / sp["T"]) ** 0.5 * rec["D_A"]
            )
        else:
            assert np.isnan(rec["D_A"])
        assert rec["tau_alpha_reached"] == bool(np.isfinite(rec["tau_alpha"]))
    # the hottest state of each system is diffusive within the smoke run
    for delta in {j.cached_statepoint["delta"] for j in smoke}:
        hottest = max(smoke.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])
        assert hottest.doc["dynamics"]["diffusive"]


def test_phop_and_training_sets_are_consistent(smoke):
    params = smoke.doc["parameters"]
    for job in smoke:
        data = read_h5(job.fn("phop.h5"), "compute_phop")
        h = job.doc["phop"]["half_window"]
        values, frames, a_index = data["phop"], data["frames"], data["a_index"]
        column = {int(p): i for i, p in enumerate(a_index)}
        assert values.shape == (job.doc["inherent_structures"]["frames"] - 2 * h, len(a_index))
        assert frames[0] == h
        assert np.all(values >= 0)
        for kind, test in (("soft", lambda v: v > params["p_soft"]),
                           ("hard", lambda v: v < params["p_hard"])):  # fmt: skip
            ev_frames, ev_particles = data[f"{kind}/frames"], data[f"{kind}/particles"]
            assert len(ev_frames) == job.doc["phop"][f"n_{kind}"]
            rows = ev_frames - h
            cols = np.array([column[int(p)] for p in ev_particles], dtype=int)
            assert np.all(test(values[rows, cols]))
        assert job.doc["phop"]["n_soft"] + job.doc["phop"]["n_hard"] > 0
    # colder states rearrange less
    for delta in {j.cached_statepoint["delta"] for j in smoke}:
        jobs = sorted(smoke.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])
        fractions = [j.doc["phop"]["fraction_above_p_soft"] for j in jobs]
        assert fractions[0] < fractions[-1]
