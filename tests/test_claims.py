"""The claims' criteria (analysis/validation.py) and the reference window on planted
data with known answers.  Every random draw is seeded, so a test's outcome is fixed;
the rates quoted are what the criteria would give on fresh draws."""

import numpy as np
import pytest

from softness_entropy.analysis.barriers import JobCounts, analyse_strata, window_bound
from softness_entropy.analysis.reference import in_reference_window, iso_dynamics_scale
from softness_entropy.analysis.state_statistics import (
    FrameSums,
    accuracy,
    accuracy_sums,
    bootstrap_statistic,
    correlation_sums,
    pearson,
)
from softness_entropy.analysis.validation import (
    AGREE,
    DISAGREE,
    UNTESTABLE,
    common_reference_temperatures,
    curvature_test,
    validate,
)
from softness_entropy.workflow.parameters import DEFAULT_PARAMETERS, validate_parameters

#: the authors' Δ = 0 ladder and the systems' ladders they printed
#: (docs/authors_conventions.md §1, monk 082522-analyze-dynamics cell 27)
REFERENCE = [0.41, 0.43, 0.45, 0.47, 0.49, 0.51, 0.53, 0.55, 0.58, 0.61, 0.64, 0.67, 0.7,
             0.75, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0]  # fmt: skip
DELTA_04 = [1.29, 1.35, 1.42, 1.48, 1.54, 1.60, 1.67, 1.73, 1.82, 1.92, 2.01, 2.11, 2.20,
            2.36, 2.52, 2.83, 3.15, 3.77, 4.40, 5.03, 5.66, 6.29]  # fmt: skip


def test_the_authors_scale_and_window_give_their_fitted_temperatures():
    factors = [iso_dynamics_scale(d, r) for d, r in
               ((0.0, 1.2), (0.1, 1.18), (0.2, 1.16), (0.3, 1.14), (0.4, 1.12))]  # fmt: skip
    np.testing.assert_allclose(factors, [1, 1.25473, 1.62560, 2.19674, 3.14556], atol=5e-6)
    # the authors' printed Δ = 0.4 fits: 1.42 … 2.01 (030423-barrier-thermal cells 7–9)
    mask = in_reference_window(DELTA_04, factors[4], (0.45, 0.64))
    assert np.array(DELTA_04)[mask].tolist() == [1.42, 1.48, 1.54, 1.60, 1.67, 1.73, 1.82,
                                                 1.92, 2.01]  # fmt: skip
    # the study's own rounded scale (t_max / top = 6.29 / 2) picks the same rungs
    assert in_reference_window(DELTA_04, 6.29 / 2.0, (0.45, 0.64)).tolist() == mask.tolist()
    assert in_reference_window(REFERENCE, 1.0, (0.45, 0.64)).sum() == 9


def test_a_bad_reference_window_is_named_with_the_fix():
    for bad in ([0.64, 0.45], [0.45], "0.45-0.64", [0.45, -1]):
        with pytest.raises(ValueError, match=r"reference_window must be \[low, high\]"):
            validate_parameters({**DEFAULT_PARAMETERS, "reference_window": bad})
    assert validate_parameters(DEFAULT_PARAMETERS)["reference_window"] == [0.45, 0.64]


TEMPS = np.array([0.45, 0.47, 0.49, 0.51, 0.53, 0.55, 0.58, 0.61, 0.64])
ENERGIES = np.array([2.0, 2.5, 3.0, 3.5, 4.0])


def planted_counts(rng, log_p, frames=100, per_bin=400) -> list[JobCounts]:
    """Independent binomial counts per frame of ln P_R(T, bin) = log_p(T)[bin]."""
    jobs = []
    for t in TEMPS:
        p = np.exp(log_p(t))
        n = np.full((frames, len(p)), per_bin)
        jobs.append(JobCounts(float(t), 0, rng.binomial(n, p), n, 1))
    return jobs


def arrhenius(t):
    return -1.0 + ENERGIES * (1 / 0.7 - 1 / t)  # lines crossing at T_A = 0.7


def curved(t):
    # super-Arrhenius: the apparent barrier grows on cooling, c = −0.15 ε² per stratum
    return arrhenius(t) - 0.15 * (ENERGIES / 3.0) * (1 / t - 1 / 0.55) ** 2 * 10


def system_of(result: dict, delta: float = 0.0) -> dict:
    return {"delta": delta, "supercooled_criterion_met": True, "S": result, "s2": result}


@pytest.mark.parametrize(("log_p", "departing"), [(arrhenius, False), (curved, True)])
def test_claim_1_curvature_test_tells_a_curve_from_a_line(log_p, departing):
    """A planted Arrhenius set of strata passes (10 strata at a family-wise false-alarm
    rate of 1 %: the seeded draw is one of the 99 %); a planted curvature of
    −1.5 (ΔE/3) ε² per stratum (ln P_R off the line by ≈ 0.2–0.5 at the window's ends,
    20–40 σ of the counting noise) fails it."""
    rng = np.random.default_rng(11)
    res = analyse_strata(planted_counts(rng, log_p), TEMPS, n_bootstrap=100, seed=3)
    test = curvature_test([system_of(res)])
    assert test["strata"] == 10
    assert (test["departing"] > 0) is departing, test


def test_claim_1_is_untestable_without_four_fitted_temperatures():
    rng = np.random.default_rng(12)
    res = analyse_strata(planted_counts(rng, arrhenius), TEMPS[:3], n_bootstrap=20)
    assert np.all(np.isnan(res["curvature"]))
    assert curvature_test([system_of(res)])["strata"] == 0


def test_window_bound_fires_with_three_fitted_temperatures():
    three = {"T_A": 0.705, "warmest_fitted_T": 0.75, "coldest_fitted_T": 0.65,
             "T_A_without_warmest": float("nan"), "T_A_error": 0.09}  # fmt: skip
    assert window_bound(three, spacing=0.07)  # inside its own window (the Δ = 0.1 case)
    assert window_bound({**three, "T_A": 0.80}, spacing=0.07)  # below the next rung
    assert not window_bound({**three, "T_A": 0.95}, spacing=0.07)  # well above it


def test_state_statistics_recover_planted_accuracy_and_correlation():
    rng = np.random.default_rng(13)
    frames, n = 200, 500
    s = rng.normal(size=(frames, n))
    s2 = 0.5 * s + np.sqrt(1 - 0.25) * rng.normal(size=(frames, n))  # ρ = 0.5
    # rearranging with probability 0.3 where S > 0, 0.1 where S ≤ 0:
    # P(S>0|R) = 0.3 / 0.4 = 0.75, P(S>0) = 0.5, P(R|S>0) = 0.3
    r = rng.random((frames, n)) < np.where(s > 0, 0.3, 0.1)
    acc = bootstrap_statistic([FrameSums(accuracy_sums(s, r), 5)], accuracy, 200, seed=1)
    cor = bootstrap_statistic([FrameSums(correlation_sums(s, s2), 5)], pearson, 200, seed=1)
    # standard errors: sqrt(0.75·0.25 / 20000) = 0.003, (1 − ρ²)/sqrt(1e5) = 0.0024;
    # 5σ bounds (false alarm 6e-7 each on fresh draws)
    assert acc["P_S_positive_given_R"] == pytest.approx(0.75, abs=5 * 0.0031)
    assert acc["P_S_positive"] == pytest.approx(0.5, abs=5 * 0.0016)
    assert acc["P_R_given_S_positive"] == pytest.approx(0.3, abs=5 * 0.0021)
    assert cor["pearson_S_s2"] == pytest.approx(0.5, abs=5 * 0.0024)
    # the bootstrap errors are the binomial / Fisher ones to within 30 %
    assert acc["P_S_positive_given_R_error"] == pytest.approx(0.0031, rel=0.3)
    assert cor["pearson_S_s2_error"] == pytest.approx(0.0024, rel=0.3)


def state_record(delta, t_ref, rho, p_sr, error=0.01):
    """A system record with only what claims 4 and 5 read."""
    t_ref = np.asarray(t_ref)
    k = len(t_ref)
    return {
        "delta": delta,
        "states": {"T_ref": t_ref, "pearson_S_s2": rho, "pearson_S_s2_error": [error] * k,
                   "P_S_positive_given_R": p_sr, "P_S_positive_given_R_error": [error] * k,
                   "P_S_positive": [0.4] * k},
    }  # fmt: skip


def claims_4_and_5(systems):
    from softness_entropy.analysis.validation import _claim_accuracy, _claim_correlation

    return _claim_correlation(systems), _claim_accuracy(systems)


def test_claims_4_and_5_compare_at_matched_reference_temperatures():
    t_ref = [0.51, 0.53, 0.55, 0.58, 0.61, 0.64, 0.7, 2.0]
    # the authors' accuracies at those T_ref (0.67 → 0.49) and 0.5 at T_ref 2.0
    p_sr = [0.674, 0.649, 0.610, 0.565, 0.529, 0.490, 0.47, 0.5]
    systems = [state_record(d, t_ref, [0.40 + 0.2 * d] * 8, p_sr) for d in (0.0, 0.1, 0.2, 0.3)]
    systems.append(state_record(0.4, t_ref[1:], [0.48] * 7, p_sr[1:]))  # no 0.51 rung
    assert common_reference_temperatures(systems).tolist() == t_ref[1:]
    rho_row, acc_row = claims_4_and_5(systems)
    assert rho_row["verdict"] == AGREE, rho_row["measured"]
    assert "at T_ref 0.53" in rho_row["measured"]  # 0.47 not reached: coldest common
    assert acc_row["verdict"] == AGREE, acc_row["measured"]
    assert "coldest analysed (T_ref 0.53" in acc_row["measured"]
    assert "highest analysed (T_ref 0.64" in acc_row["measured"]
    # the old test's mistake: 0.5 at the top of the ladder is not the paper's "highest"
    for s in systems:
        at_064 = list(s["states"]["T_ref"]).index(0.64)
        s["states"]["P_S_positive_given_R"][at_064] = 0.62  # far from the authors' 0.49
    assert claims_4_and_5(systems)[1]["verdict"] == DISAGREE
    # ρ falling with Δ
    for s in systems:
        s["states"]["pearson_S_s2"] = [0.6 - 0.3 * s["delta"]] * len(s["states"]["T_ref"])
    assert claims_4_and_5(systems)[0]["verdict"] == DISAGREE


def test_claim_5_needs_two_distinct_rungs():
    systems = [state_record(d, [0.64, 0.9], [0.5, 0.5], [0.49, 0.45]) for d in (0.0, 0.1, 0.2)]
    row = claims_4_and_5(systems)[1]
    assert row["verdict"] == UNTESTABLE
    assert "the coldest common rung is the only one in T_ref 0.61–0.67" in row["measured"]


def test_claim_4_is_untestable_without_a_common_reference_temperature():
    systems = [state_record(d, [0.5 + d], [0.5], [0.7]) for d in (0.0, 0.1, 0.2)]
    rho_row, acc_row = claims_4_and_5(systems)
    assert rho_row["verdict"] == UNTESTABLE
    assert acc_row["verdict"] == UNTESTABLE


def test_validate_rows_on_a_planted_reference_window_system():
    """The whole table from planted strata: Arrhenius strata agree on claim 1; one
    system leaves the cross-system claims untestable."""
    rng = np.random.default_rng(14)
    res = analyse_strata(planted_counts(rng, arrhenius), TEMPS, n_bootstrap=50, seed=2)
    res["window_bound"] = False
    system = {
        **system_of(res),
        "temperatures": TEMPS,
        "T_ref": TEMPS,
        "supercooled": np.ones(len(TEMPS), bool),
        "replicas": 1,
        "collapse": {"s2": [-3.0] * 5},
        "grouped_rdf": {"s2": [-4, -3.5, -3, -2.5, -2]},
        "per_T": {"T": TEMPS, "s2_global": np.linspace(-4, -3, 9), "D_A_reduced": np.ones(9)},
        **state_record(0.0, TEMPS, [0.5] * 9, [0.75] * 9),
    }
    rows = {r["claim"]: r for r in validate([system])}
    assert rows[1]["verdict"] == AGREE, rows[1]["measured"]
    assert "one replica per state" in rows[3]["measured"]
    assert "9 T, T_ref 0.45–0.64" in rows[3]["measured"]
    for claim in (3, 4, 7, 8):
        assert rows[claim]["verdict"] == UNTESTABLE, rows[claim]


#: the authors' printed ladders from T_ref 0.45 up (docs/authors_conventions.md §1)
AUTHORS_LADDERS = {
    0.1: "0.56 0.59 0.61 0.64 0.67 0.69 0.73 0.77 0.80 0.84 0.88 0.94 1.00 1.13 1.25 1.51 "
    "1.76 2.01 2.26 2.51",
    0.2: "0.73 0.76 0.80 0.83 0.86 0.89 0.94 0.99 1.04 1.09 1.14 1.22 1.30 1.46 1.63 1.95 "
    "2.28 2.60 2.93 3.25",
    0.3: "0.99 1.03 1.08 1.12 1.16 1.21 1.27 1.34 1.41 1.47 1.54 1.65 1.76 1.98 2.20 2.64 "
    "3.08 3.51 3.95 4.39",
    0.4: "1.42 1.48 1.54 1.60 1.67 1.73 1.82 1.92 2.01 2.11 2.20 2.36 2.52 2.83 3.15 3.77 "
    "4.40 5.03 5.66 6.29",
}


def test_the_paper_study_runs_the_authors_ladders_and_fits_their_nine_rungs():
    from softness_entropy.workflow.studies import get_profile

    study = get_profile("paper")
    for system in study.systems:
        temps = sorted(system.temperatures)
        if system.delta in AUTHORS_LADDERS:
            assert temps == [float(t) for t in AUTHORS_LADDERS[system.delta].split()]
        window = in_reference_window(temps, system.reference_scale, (0.45, 0.64))
        assert window.sum() == 9, (system.delta, np.array(temps)[window])


def test_the_workstation_study_has_six_rungs_in_the_window_of_every_system():
    from softness_entropy.workflow.studies import get_profile

    for system in get_profile("workstation").systems:
        t = np.array(system.temperatures)
        window = in_reference_window(t, system.reference_scale, (0.45, 0.64))
        assert window.sum() == 6, (system.delta, t[window])
        # the same reference rungs in every system
        np.testing.assert_allclose(np.sort(t[window]) / system.reference_scale,
                                   [0.51, 0.53, 0.55, 0.58, 0.61, 0.64], atol=0.005)  # fmt: skip


def test_seed_planes_reproduce_each_robustness_models_softness():
    """Claim 4's seed spread scores every SVM seed in one pass: a model's hyperplane
    in raw features (raw_plane) gives exactly its S = w·(x − mean)/scale + b."""
    from softness_entropy.analysis.softness import train_softness
    from softness_entropy.analysis.structure import StructureGrid

    rng = np.random.default_rng(15)
    grid = StructureGrid(0.4, 1.0, 0.2, 0.2)  # 4 μ points → 8 features
    x = rng.normal(size=(400, 8)) * np.arange(1, 9) + np.arange(8)
    y = (x[:, 0] + 0.5 * x[:, 3] + rng.normal(size=400) > 1.0).astype(int)
    models = [train_softness(x, y, grid=grid, system={"delta": 0.0, "rho": 1.2}, seed=k, C=1.0)
              for k in range(3)]  # fmt: skip
    planes = np.array([m.raw_plane() for m in models])
    expected = np.column_stack([m.softness(x) for m in models])
    np.testing.assert_allclose(x @ planes[:, :-1].T + planes[:, -1], expected, atol=1e-9)


def test_claim_4_slope_without_errors_takes_them_from_the_scatter():
    """Zero (unestimated) errors: the slope's error comes from the residuals, so an
    exactly linear rise is a rise, and a flat noisy set is not."""
    t_ref = [0.51, 0.53]
    rising = [state_record(d, t_ref, [0.40 + 0.2 * d] * 2, [0.67, 0.65], error=0.0)
              for d in (0.0, 0.1, 0.2, 0.3, 0.4)]  # fmt: skip
    for k, s in enumerate(rising):  # tiny scatter about the line
        s["states"]["pearson_S_s2"] = [0.40 + 0.2 * s["delta"] + 1e-4 * (-1) ** k] * 2
    assert claims_4_and_5(rising)[0]["verdict"] == AGREE
    flat = [state_record(d, t_ref, [0.5 + 0.05 * (-1) ** k] * 2, [0.67, 0.65], error=0.0)
            for k, d in enumerate((0.0, 0.1, 0.2, 0.3, 0.4))]  # fmt: skip
    assert claims_4_and_5(flat)[0]["verdict"] == DISAGREE


def test_a_block_longer_than_the_run_still_gives_an_error():
    """τα beyond the run: the block is cut to half the frames, never the whole run
    (which would make every replicate the data and the error zero)."""
    rng = np.random.default_rng(16)
    s, r = rng.normal(size=(50, 200)), rng.random((50, 200)) < 0.2
    out = bootstrap_statistic([FrameSums(accuracy_sums(s, r), 500)], accuracy, 100, seed=2)
    assert out["P_S_positive_given_R_error"] > 0


def test_claim_3_is_not_testable_while_a_t_a_is_window_bound():
    rng = np.random.default_rng(17)
    res = analyse_strata(planted_counts(rng, arrhenius), TEMPS, n_bootstrap=30, seed=2)
    systems = []
    for k, delta in enumerate((0.0, 0.1, 0.2)):
        system = {**system_of({**res, "T_A": res["T_A"] + k, "window_bound": k == 1}, delta),
                  "temperatures": TEMPS, "supercooled": np.ones(9, bool)}  # fmt: skip
        systems.append(system)
    from softness_entropy.analysis.validation import validate as table

    rows = {r["claim"]: r for r in table([{**s, **_filler()} for s in systems])}
    assert rows[3]["verdict"] == UNTESTABLE, rows[3]["measured"]
    assert "not a measurement" in rows[3]["measured"]
    systems[1]["S"] = systems[1]["s2"] = {**systems[1]["S"], "window_bound": False}
    rows = {r["claim"]: r for r in table([{**s, **_filler()} for s in systems])}
    assert rows[3]["verdict"] == AGREE, rows[3]["measured"]  # paired: S and s2 identical


def _filler() -> dict:
    """What the other claims read, inert."""
    return {"collapse": {"s2": [-3.0] * 5}, "grouped_rdf": {"s2": [-4, -3.5, -3, -2.5, -2]},
            "per_T": {"T": TEMPS, "s2_global": np.linspace(-4, -3, 9),
                      "D_A_reduced": np.ones(9)}}  # fmt: skip


def test_the_msd_target_is_required_only_above_the_window_when_asked():
    from softness_entropy.workflow.parameters import msd_target_required

    params = validate_parameters(DEFAULT_PARAMETERS)
    assert msd_target_required(params, 0.51)  # the default: everywhere
    above = {**params, "dynamics_msd_where": "above_window"}
    # the authors' rungs: 0.64 is the window's top (inside), 0.67 above it; Δ = 0.4's
    # 2.01 / 3.14556 = 0.639 rounds onto 0.64
    assert [msd_target_required(above, t) for t in (0.51, 0.64, 2.01 / 3.14556, 0.67, 2.0)] == [
        False, False, False, True, True
    ]  # fmt: skip


def test_d_a_is_left_out_where_the_window_stopped_short_of_the_msd_target():
    from softness_entropy.analysis.system import diffusion_where_measured

    fields = {"D_A": 1e-3, "D_A_error": 1e-5, "D_A_reduced": 0.02, "D_A_reduced_error": 2e-4,
              "tau_alpha": 50.0}  # fmt: skip
    assert diffusion_where_measured(fields, {"msd_target_required": True}) == fields
    assert diffusion_where_measured(fields, {}) == fields  # records before the rule
    out = diffusion_where_measured(fields, {"msd_target_required": False})
    assert np.isnan(out["D_A"]) and np.isnan(out["D_A_reduced_error"])
    assert out["tau_alpha"] == 50.0  # τα is measured at every state


def test_matched_correlation_is_claim_4s_and_figure_4s_rho():
    """The inset of Fig. 4a and claim 4 read the same ρ: at T_ref 0.47 where every system
    reached it, else the coldest common rung; errors bootstrap ⊕ SVM-seed spread."""
    from softness_entropy.analysis.validation import matched_correlation

    t_ref = [0.47, 0.51, 0.64]
    systems = [state_record(d, t_ref, [0.5 + d, 0.3, 0.2], [0.7] * 3, error=0.03)
               for d in (0.0, 0.2)]  # fmt: skip
    for s in systems:
        s["states"]["pearson_S_s2_seed_spread"] = [0.04, 0.0, 0.0]
    rho = matched_correlation(systems)
    assert rho.t_ref == 0.47 and rho.seeds_recorded
    assert rho.values.tolist() == [0.5, 0.7]
    assert rho.errors == pytest.approx([0.05, 0.05])  # 0.03 ⊕ 0.04
    systems[1] = state_record(0.2, t_ref[1:], [0.3, 0.2], [0.7] * 2)  # no 0.47 rung
    rho = matched_correlation(systems)
    assert rho.t_ref == 0.51 and not rho.seeds_recorded
    assert rho.values.tolist() == [0.3, 0.3]


def test_the_claims_table_escapes_bars_inside_its_cells(tmp_path):
    """|c/σ_c| and P(R|S > 0) stay inside their cells: every row of the Markdown table has
    as many cell borders as its header."""
    import re

    from softness_entropy.workflow.report import write_validation

    row = {"claim": 1, "statement": "P(R|S > 0) rises", "paper": "§II.B",
           "measured": "|c/σ_c| ≤ 3.3 | other part", "verdict": "agree",
           "criterion": "|T_A(S) − T_A(s2)| ≤ 2σ"}  # fmt: skip
    write_validation([], [row], tmp_path)
    lines = (tmp_path / "results" / "validation.md").read_text().splitlines()
    table = [line for line in lines if line.startswith("| ")][:2]
    borders = [len(re.findall(r"(?<!\\)\|", line)) for line in table]
    assert borders[0] == borders[1] == 7, table
