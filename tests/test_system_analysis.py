"""The barrier analysis of a system (analysis.system.analyse_system) on planted states:
strata lines through one point (T_A, ln P_R(T_A)) known in advance, read through the
same readers the workflow gives it, without signac or MD."""

import numpy as np
import pytest

from softness_entropy.analysis.system import (
    Conventions,
    StateInput,
    analyse_system,
    diffusion_where_measured,
    seed_spread,
)
from softness_entropy.workflow.parameters import DEFAULT_PARAMETERS

T_A, LOG_P_TA = 0.8, -1.0
ENERGIES = np.array([6.0, 5.0, 4.0, 3.0, 2.0])  # softer (larger S) → lower barrier
SIGMAS = LOG_P_TA + ENERGIES / T_A  # five lines through (1/T_A, ln P = −1)
TEMPS = (0.5, 0.52, 0.55, 0.6, 0.65, 0.7)
FRAMES, PER_STRATUM = 80, 60
PARAMS = {
    **DEFAULT_PARAMETERS,
    "arrhenius_window": "coldest",
    "arrhenius_coldest_n": len(TEMPS),
    "bootstrap_samples": 60,
    "bootstrap_block": 5.0,
    "frame_interval": 1.0,
    "rdf_r_max": 2.5,
    "s2_strata_frames": 2,
}


class PlantedState:
    """A state whose particle j has softness S = j mod 5 (one S per stratum, so each
    stratum's P_R is exactly Arrhenius) and rearranges with P = exp(Σ_S − ΔE_S / T)."""

    def __init__(self, T: float, seed: int):
        rng = np.random.default_rng(seed)
        self.T = T
        s = np.tile(np.arange(5.0), PER_STRATUM)
        self.softness = np.broadcast_to(s, (FRAMES, len(s))).astype(np.float32)
        self.s2 = (-self.softness + 0.1 * rng.standard_normal(self.softness.shape)).astype(
            np.float32
        )
        p = np.exp(SIGMAS - ENERGIES / T)[s.astype(int)]
        self.rearranging = rng.random(self.softness.shape) < p
        self.reads = 0
        self.box = 6.0
        self.positions = rng.uniform(-3.0, 3.0, (2, 100, 3))
        self.typeid = np.r_[np.zeros(80, int), np.ones(20, int)]

    def rows(self):
        self.reads += 1
        arrays = (self.softness, self.s2, self.rearranging)
        return {"centre": arrays, "start": arrays}

    def strata_frames(self, count: int):
        a_index = np.arange(80)
        return [((self.box, x, self.typeid), np.arange(80.0) % 5, a_index)
                for x in self.positions[:count]]  # fmt: skip

    def input(self) -> StateInput:
        tau = float(np.exp(1.0 / self.T))
        return StateInput(
            id=f"T{self.T}",
            T=self.T,
            replica=0,
            dynamics={
                "tau_alpha": tau,
                "tau_alpha_error": 0.01 * tau,
                "D_A": 1.0 / tau,
                "D_A_error": 0.01 / tau,
                "D_A_reduced": 1.0 / tau,
                "target_reached": True,
                "msd_target_required": True,
            },
            softness={
                "mean_S": 2.0,
                "s2_global": -3.0,
                "pearson_S_s2_is_frames": -0.99,
                "P_S_positive_given_R": 0.9,
                "P_R_given_S_positive": 0.1,
                "pearson_S_s2_seeds": [-0.98, -0.97],
            },
            rows=self.rows,
            strata_frames=self.strata_frames,
        )


@pytest.fixture(scope="module")
def planted():
    states = [PlantedState(t, seed=k) for k, t in enumerate(TEMPS)]
    conventions = Conventions({"ten strata": {"strata_bins": 10}}, {})
    result = analyse_system([s.input() for s in states], PARAMS, scale=1.0, seed=3,
                            conventions=conventions)  # fmt: skip
    return states, result


def test_planted_barriers_and_crossover_are_recovered(planted):
    _, result = planted
    s = result["S"]
    np.testing.assert_allclose(s["energy"], ENERGIES, atol=5 * np.max(s["energy_error"]))
    # seeded: deterministic; the tolerance is the bootstrap's 3σ plus the binning's
    assert s["T_A"] == pytest.approx(T_A, abs=3 * s["T_A_error"] + 0.01)
    assert s["log_P_R_at_T_A"] == pytest.approx(LOG_P_TA, abs=0.15)
    assert list(result["temperatures"]) == list(TEMPS)
    assert result["supercooled"].all() and result["supercooled_criterion_met"]


def test_each_state_is_read_exactly_twice(planted):
    states, _ = planted
    assert [s.reads for s in states] == [2] * len(states)


def test_the_record_holds_the_states_records_and_rates(planted):
    states, result = planted
    overall = [float(s.rearranging.mean()) for s in states]
    np.testing.assert_allclose(result["P_R_overall"], overall)
    np.testing.assert_allclose(result["per_T"]["tau_alpha"], np.exp(1.0 / np.array(TEMPS)))
    np.testing.assert_allclose(result["per_T"]["mean_S"], 2.0)
    assert result["per_T"]["dynamics_converged"].all()
    assert result["replicas"] == 1
    # ρ(S, s2) pooled: s2 = −S + noise, nearly −1
    assert -1.0 < result["pearson_S_s2"] < -0.98
    assert result["states"]["pearson_S_s2_seed_spread"] == pytest.approx(
        [np.std([-0.99, -0.98, -0.97], ddof=1)] * len(TEMPS)
    )
    assert len(result["grouped_rdf"]["s2"]) == 5 and result["grouped_rdf"]["T"] == TEMPS[0]


def test_sensitivity_rows_follow_the_conventions_given(planted):
    _, result = planted
    (row,) = result["sensitivity"]
    assert row["convention"] == "ten strata" and row["changes"] == {"strata_bins": 10}
    assert row["T_A_S"] == pytest.approx(T_A, abs=3 * row["T_A_error_S"] + 0.02)


def test_a_retraining_convention_that_cannot_train_is_reported_not_raised():
    states = [PlantedState(t, seed=k).input() for k, t in enumerate(TEMPS)]

    def too_few(params, blocks, seed):
        raise ValueError("2 soft examples")

    conventions = Conventions({}, {"retrained": {"mu_step": 0.1}}, too_few)
    result = analyse_system(states, {**PARAMS, "bootstrap_samples": 5}, scale=1.0, seed=0,
                            conventions=conventions)  # fmt: skip
    (row,) = result["sensitivity"]
    assert row["convention"] == "retrained — not trained: 2 soft examples"
    assert row["T_A_S"] is None


def test_d_a_is_dropped_where_the_window_did_not_reach_the_msd_target():
    record = {"D_A": 1.0, "D_A_error": 0.1, "tau_alpha": 5.0, "msd_target_required": False}
    fields = diffusion_where_measured(record, record)
    assert np.isnan(fields["D_A"]) and fields["tau_alpha"] == 5.0
    assert diffusion_where_measured(record, {}) is record


def test_seed_spread_needs_the_same_seeds_in_every_replica():
    one = {"pearson_S_s2_is_frames": 0.5, "pearson_S_s2_seeds": [0.4]}
    two = {"pearson_S_s2_is_frames": 0.6, "pearson_S_s2_seeds": [0.5, 0.7]}
    assert np.isnan(seed_spread([one, two]))
    assert seed_spread([one, one]) == pytest.approx(np.std([0.5, 0.4], ddof=1))
