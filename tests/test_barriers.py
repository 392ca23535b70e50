"""Barrier analysis, dynamical onset and the claims table against planted answers."""

import numpy as np
import pytest
from scipy import stats

from softness_entropy.analysis.barriers import JobCounts, analyse_strata, window_bound
from softness_entropy.analysis.onset import arrhenius_departure
from softness_entropy.analysis.validation import (
    AGREE,
    DISAGREE,
    collapse_row,
    unexplained_fraction,
)

T_A, LOG_P_TA = 0.8, -1.0
ENERGIES = np.array([2.0, 3.0, 4.0, 5.0, 6.0])
SIGMAS = LOG_P_TA + ENERGIES / T_A  # five lines through (1/T_A, ln P = −1)
TEMPS = np.array([0.5, 0.52, 0.55, 0.6, 0.65, 0.7])


def planted_jobs(rng, frames=80, per_bin=60, replicas=1):
    """Per-frame binomial counts of the planted strata lines."""
    jobs = []
    for t in TEMPS:
        p = np.exp(SIGMAS - ENERGIES / t)
        for r in range(replicas):
            counts = np.full((frames, len(p)), per_bin)
            jobs.append(JobCounts(float(t), r, rng.binomial(counts, p), counts))
    return jobs


def test_planted_barriers_and_crossover_are_recovered():
    rng = np.random.default_rng(0)
    res = analyse_strata(planted_jobs(rng), TEMPS, n_bootstrap=100, block=5)
    np.testing.assert_allclose(res["energy"], ENERGIES, atol=5 * np.max(res["energy_error"]))
    assert res["T_A"] == pytest.approx(T_A, abs=3 * res["T_A_error"] + 0.01)
    assert res["log_P_R_at_T_A"] == pytest.approx(LOG_P_TA, abs=0.15)
    # eqs. 7–8: Σ/ln P − ΔE/(ln P T_A) = ln P_b(T_A) / ln P, 1 where a stratum's line
    # passes through the common point, close to 1 for lines that nearly cross there
    own = (res["sigma"] - res["energy"] / res["T_A"]) / res["log_P_R_at_T_A"]
    np.testing.assert_allclose(res["entropic"] - res["energetic"], own, rtol=1e-9)
    np.testing.assert_allclose(own, 1.0, atol=0.15)
    coldest = np.exp(SIGMAS - ENERGIES / TEMPS.min())
    assert res["spread_decades"] == pytest.approx(
        np.log10(coldest.max() / coldest.min()), abs=3 * res["spread_decades_error"] + 0.05
    )
    assert res["min_fitted_events"] == res["events"][res["fitted"]].min()


def test_bootstrap_intervals_cover_the_planted_t_a_at_their_stated_rate():
    rng = np.random.default_rng(1)
    inside = []
    for _ in range(30):
        res = analyse_strata(planted_jobs(rng, frames=40), TEMPS, n_bootstrap=100, block=4,
                             seed=int(rng.integers(1 << 30)))  # fmt: skip
        lo, hi = res["T_A_interval"]
        inside.append(lo <= T_A <= hi)
    # a 68 % interval: 20 of 30 expected; 14–27 is the binomial 99 % range
    assert 14 <= sum(inside) <= 27


def test_replicas_are_pooled_and_stride_thins_frames():
    rng = np.random.default_rng(2)
    jobs = planted_jobs(rng, frames=50, replicas=3)
    res = analyse_strata(jobs, TEMPS, n_bootstrap=20)
    assert res["samples"][0, 0] == 3 * 50 * 60
    thin = analyse_strata(jobs, TEMPS, n_bootstrap=20, stride=10)
    assert thin["samples"][0, 0] == 3 * 5 * 60
    assert thin["T_A_error"] > res["T_A_error"]


def test_window_bound_flags_a_t_a_that_follows_the_fit_window():
    res = {"T_A": 0.71, "warmest_fitted_T": 0.7, "T_A_without_warmest": 0.66, "T_A_error": 0.01}
    assert window_bound(res, spacing=0.05)
    assert not window_bound({**res, "T_A": 0.9, "T_A_without_warmest": 0.9}, spacing=0.05)


def test_onset_of_a_planted_super_arrhenius_diffusivity():
    # Arrhenius above T* = 0.8, VFT-like slowdown below
    t = np.array([2.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55])
    ln_d = 1.0 - 4.0 / t
    slow = np.where(t < 0.8, 3.0 * (1 / t - 1 / 0.8) ** 2 * 4, 0.0)
    d = np.exp(ln_d - slow)
    dep = arrhenius_departure(t, d, 0.01 * d)
    assert dep.supercooled.tolist() == (t < 0.8).tolist()
    assert dep.bracket == (0.8, 0.7)
    assert 0.7 < dep.onset < 0.8
    assert dep.activation_energy == pytest.approx(4.0)
    # a purely Arrhenius liquid never departs
    none = arrhenius_departure(t, np.exp(ln_d), 0.01 * np.exp(ln_d))
    assert not none.supercooled.any() and np.isnan(none.onset)


def test_unexplained_fraction_is_one_minus_r_squared():
    rng = np.random.default_rng(3)
    x = rng.normal(size=50)
    y = 2 * x + rng.normal(size=50)
    assert unexplained_fraction(x, y) == pytest.approx(1 - stats.linregress(x, y).rvalue ** 2)


def planted_systems(collapse: bool, rng) -> list[dict]:
    """Five systems whose rescaled entropic barriers lie on one line in s2 (or not)."""
    systems = []
    for i, delta in enumerate((0.0, 0.1, 0.2, 0.3, 0.4)):
        s2 = np.linspace(-4.0, -2.0, 5) + 0.3 * i
        log_p = -1.0 - 0.5 * i
        rescaled = (1.0 - 2.0 * s2) if collapse else (1.0 - 2.0 * s2) * (1 + 0.6 * i) + 3 * i
        sigma = rescaled * log_p
        t_a = 0.8 + 0.3 * i
        energy = (sigma / log_p - 1.0) * log_p * t_a
        boot = rng.normal(1.0, 0.01, size=(40, 1))
        systems.append({
            "delta": delta,
            "S": {"sigma": sigma, "energy": energy, "entropic": rescaled,
                  "energetic": rescaled - 1.0, "log_P_R_at_T_A": log_p,
                  "log_P_R_at_T_A_error": 0.05,
                  "bootstrap": {"sigma": sigma * boot, "energy": energy * boot,
                                "entropic": rescaled * boot,
                                "energetic": (rescaled - 1.0) * boot,
                                "log_P_R_at_T_A": log_p * boot[:, 0]}},
            "collapse": {"well_conditioned": True, "s2": s2, "entropic": rescaled,
                         "energetic": rescaled - 1.0},
        })  # fmt: skip
    return systems


def test_collapse_claim_on_planted_collapsing_and_scattered_barriers():
    rng = np.random.default_rng(4)
    assert collapse_row(planted_systems(True, rng))["verdict"] == AGREE
    assert collapse_row(planted_systems(False, rng))["verdict"] == DISAGREE


def test_collapse_claim_leaves_out_a_log_p_consistent_with_zero():
    """ln P_R(T_A) within 3σ of 0 divides by noise: such a system is left out, and
    with fewer than three left the claim is not testable (the planted collapse would
    otherwise agree)."""
    rng = np.random.default_rng(5)
    systems = planted_systems(True, rng)
    for s in systems[:3]:
        s["S"]["log_P_R_at_T_A"], s["S"]["log_P_R_at_T_A_error"] = -0.2, 0.17
    row = collapse_row(systems)
    assert row["verdict"] == "not testable", row["measured"]
    assert "0.0 (-0.2 ± 0.17)" in row["measured"]


def test_collapse_claim_drops_bootstrap_replicates_that_fail_the_rule():
    rng = np.random.default_rng(6)
    systems = planted_systems(True, rng)
    boot = systems[0]["S"]["bootstrap"]
    boot["log_P_R_at_T_A"][:10] = -0.01  # ten replicates with ln P_R(T_A) ≈ 0
    row = collapse_row(systems)
    assert "30 of 40 bootstrap replicates" in row["measured"]
    assert row["verdict"] == AGREE


def test_collapse_claim_is_not_testable_when_few_replicates_pass_the_rule():
    rng = np.random.default_rng(7)
    systems = planted_systems(True, rng)
    systems[0]["S"]["bootstrap"]["log_P_R_at_T_A"][:] = -0.01  # every replicate ≈ 0
    row = collapse_row(systems)
    assert row["verdict"] == "not testable", row["measured"]
    assert "only 0 of 40" in row["measured"]
