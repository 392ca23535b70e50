"""dynamics and compute_phop on the smoke profile: every job gets D_A (or its flag),
τα, phop and a training set, consistent with the stored arrays."""

import numpy as np
import pytest

from softness_entropy.files import read_h5

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
    # the dynamics window follows the state: every smoke state reaches the diffusive
    # regime (MSD ≥ dynamics_msd_target) and F_s decays, so D_A and τα are finite
    params = smoke.doc["parameters"]
    for job in smoke:
        rec = job.doc["dynamics"]
        assert rec["target_reached"] and rec["diffusive"]
        assert rec["msd_from_start"] >= params["dynamics_msd_target"]
        assert np.isfinite(rec["D_A"]) and 0 < rec["D_A_error"] < 0.2 * rec["D_A"]
        assert np.isfinite(rec["tau_alpha"]) and 0 < rec["tau_alpha_error"] < 0.3 * rec["tau_alpha"]
        assert rec["time"] >= params["dynamics_tau_alpha"] * rec["tau_alpha_equilibration"]
        # the window's τα agrees with the equilibration tracker's on-the-fly estimate
        assert rec["tau_alpha"] == pytest.approx(rec["tau_alpha_equilibration"], rel=0.35)
    # colder is slower, within each system
    for delta in {j.cached_statepoint["delta"] for j in smoke}:
        jobs = sorted(smoke.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])
        d = [j.doc["dynamics"]["D_A"] for j in jobs]
        assert d == sorted(d)


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
