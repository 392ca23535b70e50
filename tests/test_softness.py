"""The softness SVM: a planted separating direction, persistence, scoring, bad input."""

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from conftest import requires_lammps

from softness_entropy.analysis.softness import (
    SoftnessModel,
    accuracy_soft_given_positive,
    balance_classes,
    hyperplane_similarity,
    train_softness,
)
from softness_entropy.analysis.structure import (
    StructureGrid,
    local_densities,
    local_s2,
    structure_functions,
)
from softness_entropy.configuration import cubic_lattice
from softness_entropy.gsd_io import write_configuration

GRID = StructureGrid()
N_FEATURES = 2 * len(GRID.mu)


def planted(n, seed, scale_spread=True):
    """Features on very different scales; the label is the sign of a planted w·x̂ + b."""
    rng = np.random.default_rng(seed)
    scales = np.geomspace(0.1, 50, N_FEATURES) if scale_spread else np.ones(N_FEATURES)
    x = rng.normal(size=(n, N_FEATURES)) * scales + 3 * scales
    w = rng.normal(size=N_FEATURES)
    w /= np.linalg.norm(w)
    margin = ((x - 3 * scales) / scales) @ w
    y = (margin > 0.3).astype(int)  # unbalanced on purpose
    return x, y, w


def test_linear_svc_recovers_a_planted_direction():
    x, y, w = planted(6000, 0)
    model = train_softness(x, y, grid=GRID, system={"delta": 0.0, "rho": 1.2}, seed=1)
    cosine = model.coef @ w / np.linalg.norm(model.coef)
    assert cosine > 0.95
    assert model.metrics["test_accuracy"] > 0.95
    assert model.metrics["n_per_class"] == min(np.bincount(y))
    # softness is positive on the soft side
    assert np.mean(model.softness(x)[y == 1] > 0) > 0.9
    # other seeds and subsets give the same hyperplane (the paper's claim)
    others = [
        train_softness(x, y, grid=GRID, system={"delta": 0.0, "rho": 1.2}, seed=s) for s in (2, 3)
    ]
    assert hyperplane_similarity([model, *others]).min() > 0.95


def test_softness_is_scikit_learns_decision_function():
    """S = w·x̂ + b of the stored model equals the decision function of the scikit-learn
    pipeline fitted on the same training examples (balanced subset, split, C, seed)."""
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    x, y, _ = planted(3000, 4)
    seed, C = 5, 0.1
    model = train_softness(x, y, grid=GRID, system={"delta": 0.0, "rho": 1.2}, seed=seed, C=C)
    pick = balance_classes(y, np.random.default_rng(seed))
    x_train, _, y_train, _ = train_test_split(
        x[pick], y[pick], test_size=0.2, stratify=y[pick], random_state=seed
    )
    pipe = make_pipeline(StandardScaler(), LinearSVC(C=C, random_state=seed, max_iter=20_000))
    pipe.fit(x_train, y_train)
    np.testing.assert_allclose(model.softness(x), pipe.decision_function(x), rtol=1e-9, atol=1e-9)


def test_balance_and_errors():
    rng = np.random.default_rng(0)
    labels = np.array([1] * 10 + [0] * 100)
    pick = balance_classes(labels, rng)
    assert np.bincount(labels[pick]).tolist() == [10, 10]
    with pytest.raises(ValueError, match="soft"):
        balance_classes(np.zeros(10, dtype=int), rng)


def test_accuracy_definitions():
    s = np.array([1.0, 2.0, -1.0, -2.0, 0.5])
    r = np.array([1, 0, 1, 0, 1], dtype=bool)
    assert accuracy_soft_given_positive(s, r) == pytest.approx(2 / 3)


SCORING = {"s2_eta": 2.0, "s2_damping_width": 0.1, "force_tolerance": 1e-3}


def planted_model():
    x, y, _ = planted(2000, 4)
    model = train_softness(x, y, grid=GRID, system={"delta": 0.0, "rho": 1.2}, seed=0)
    model.scoring = dict(SCORING)
    return model, x


@requires_lammps
def test_model_round_trip_and_scoring_cli(tmp_path):
    model, x = planted_model()
    path = tmp_path / "m.npz"
    model.save(path)
    back = SoftnessModel.load(path)
    np.testing.assert_allclose(back.softness(x[:50]), model.softness(x[:50]))
    assert back.grid == GRID and back.system == {"delta": 0.0, "rho": 1.2}
    assert back.scoring == SCORING
    with pytest.raises(ValueError, match="shape"):
        back.softness(x[:5, :10])
    # score a configuration of the model's system, reject one of another density
    conf = cubic_lattice(432, 1.2, np.random.default_rng(1))
    good = tmp_path / "good.gsd"
    write_configuration(good, conf)
    out = subprocess.run(
        [sys.executable, "-m", "softness_entropy.score", str(path), str(good),
         "--out", str(tmp_path / "s.npz")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    scores = np.load(tmp_path / "s.npz")
    assert scores["softness"].shape == (1, 346) and "A particles" in out.stdout
    # a lattice with random species is not at a minimum: minimised first, and said so
    assert scores["minimised"].tolist() == [True] and "minimised 1 of 1 frames" in out.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "softness_entropy.score", str(path), str(good), "--no-minimize"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and "is not an inherent structure" in refused.stderr
    other = tmp_path / "other.gsd"
    write_configuration(other, cubic_lattice(432, 1.0, np.random.default_rng(1)))
    bad = subprocess.run(
        [sys.executable, "-m", "softness_entropy.score", str(path), str(other)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "does not match the model's system" in bad.stderr
    (tmp_path / "junk.npz").write_bytes(b"junk")
    junk = subprocess.run(
        [sys.executable, "-m", "softness_entropy.score", str(tmp_path / "junk.npz"), str(good)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert junk.returncode == 2 and "not a softness model" in junk.stderr


@requires_lammps
def test_scorer_minimises_a_thermal_snapshot_and_keeps_an_inherent_structure():
    from softness_entropy.engines import create_engine
    from softness_entropy.engines.base import FireParameters
    from softness_entropy.score import inherent_structures, score_configurations

    model, _ = planted_model()
    # a thermal snapshot: NVT at T = 2.0 (N = 432: the structure functions need L > 7 σ)
    with create_engine("lammps", cubic_lattice(432, 1.2, np.random.default_rng(3)), 0.0,
                       dt=0.002, seed=5) as md:  # fmt: skip
        md.thermalize(2.0)
        md.run_nvt(500, 2.0, 0.1)
        thermal = md.configuration()
    assert thermal.velocities is not None and np.any(thermal.velocities != 0)
    minima, report = inherent_structures(model, [thermal], engine="lammps")
    (r,) = report
    assert r.minimised and "velocities" in r.reason and "max |F|" in r.reason
    assert r.max_force_before > 10 and r.fire_steps > 0
    with create_engine("lammps", minima[0], 0.0, dt=0.002, seed=1) as md:
        assert np.linalg.norm(md.forces(), axis=1).max() < 1e-3
    # the minimum itself passes unchanged, and scores as the model scores it directly
    again, report2 = inherent_structures(model, minima, engine="lammps")
    assert not report2[0].minimised and np.array_equal(again[0].positions, minima[0].positions)
    soft, s2, a_index = score_configurations(model, again)
    conf = again[0]
    # against the pieces by hand: eq. 3 on the grid, w·x̂ + b, eq. 6 with η = 2, 0.1
    G, counts = structure_functions(conf.box_length, conf.positions, conf.typeid, a_index, GRID)
    x = (G.reshape(len(a_index), -1) - model.mean) / model.scale
    np.testing.assert_allclose(soft[0], x @ model.coef + model.intercept, rtol=1e-12)
    np.testing.assert_allclose(s2[0], local_s2(G, local_densities(counts), GRID, 2.0, 0.1))
    # a FIRE minimum from the engine directly is the same basin (same algorithm)
    with create_engine("lammps", replace(thermal, velocities=None), 0.0, dt=0.002, seed=1) as md:
        md.minimize_fire(FireParameters(force_tolerance=1e-3, max_steps=100_000))
        np.testing.assert_allclose(md.configuration().positions, minima[0].positions, atol=1e-6)
    with pytest.raises(ValueError, match="not an inherent structure"):
        inherent_structures(model, [thermal], minimize=False, engine="lammps")
    model.scoring = {}
    with pytest.raises(ValueError, match="re-run train_svm"):
        inherent_structures(model, minima, engine="lammps")


def test_one_standard_error_rule_prefers_the_most_regularised_equivalent_c():
    from softness_entropy.analysis.softness import one_standard_error_rule

    cv = {  # C = 0.001 … 10: the best (C = 10) is within 1 SE of C = 0.1 but not 0.01
        "mean_test_score": [0.55, 0.60, 0.645, 0.648, 0.650],
        "std_test_score": [0.02, 0.02, 0.02, 0.02, 0.02],
        **{f"split{k}_test_score": [0.0] * 5 for k in range(4)},
    }
    assert one_standard_error_rule(cv) == 2  # SE = 0.02/√4 = 0.01: 0.645 ≥ 0.640
    cv["std_test_score"] = [0.0] * 5
    assert one_standard_error_rule(cv) == 4  # no spread: the plain maximum


def test_softness_summary_counts_the_rearranging_particles_it_classifies_soft():
    """P(S > 0 | R) and P(R | S > 0) on a planted frame: 4 particles, two rearranging,
    one of them soft."""
    from softness_entropy.analysis.softness import TrajectoryScores, softness_summary

    softness = np.array([[1.0, -1.0, 2.0, -2.0]], dtype=np.float32)
    s2 = np.array([[-1.0, -3.0, 0.0, -4.0]], dtype=np.float32)
    rearranging = np.array([[True, True, False, False]])
    summary = softness_summary(TrajectoryScores(softness, s2, [0.5]), np.array([0]), rearranging)
    assert summary["P_S_positive_given_R"] == 0.5  # of the two rearranging, one is soft
    assert summary["P_R_given_S_positive"] == 0.5  # of the two soft, one rearranges
    assert summary["P_R"] == 0.5 and summary["fraction_S_positive"] == 0.5
    assert summary["mean_S"] == 0.0 and summary["pearson_S_s2_seeds"] == [0.5]
    assert summary["pearson_S_s2_is_frames"] == pytest.approx(np.corrcoef(softness[0], s2[0])[0, 1])
