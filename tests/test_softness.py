"""The softness SVM: a planted separating direction, persistence, scoring, bad input."""

import subprocess
import sys

import numpy as np
import pytest

from softness_entropy.analysis.softness import (
    SoftnessModel,
    accuracy_soft_given_positive,
    balance_classes,
    hyperplane_similarity,
    train_softness,
)
from softness_entropy.analysis.structure import StructureGrid
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


def test_model_round_trip_and_scoring_cli(tmp_path):
    x, y, _ = planted(2000, 4)
    model = train_softness(x, y, grid=GRID, system={"delta": 0.0, "rho": 1.2}, seed=0)
    path = tmp_path / "m.npz"
    model.save(path)
    back = SoftnessModel.load(path)
    np.testing.assert_allclose(back.softness(x[:50]), model.softness(x[:50]))
    assert back.grid == GRID and back.system == {"delta": 0.0, "rho": 1.2}
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
