"""Isoconfigurational propensity and its correlation with predictors, against known
answers: planted mobilities, a planted collective drift, scipy.stats."""

import numpy as np
import pytest
from scipy import stats

from softness_entropy.analysis.propensity import (
    cage_relative,
    correlation_with_propensity,
    first_shell_neighbours,
    propensity,
)

TIMES = np.array([0.5, 2.0, 8.0])


def brownian_ensemble(D: np.ndarray, M: int, seed: int) -> np.ndarray:
    """(M, T, n, 3) displacements of free Brownian particles with diffusion
    coefficients D (σ²/τ): each component ~ N(0, 2 D t)."""
    rng = np.random.default_rng(seed)
    scale = np.sqrt(2 * D[None, :, None] * TIMES[:, None, None])  # (T, n, 1)
    return rng.normal(size=(M, len(TIMES), len(D), 3)) * scale


def test_planted_mobilities_give_their_propensity_and_ordering():
    """⟨|Δr|²⟩ = 6 D t; with M trajectories |Δr|²/(2Dt) is χ² with 3M degrees of
    freedom over M, relative std √(2/(3M)) = 0.058 for M = 200."""
    rng = np.random.default_rng(0)
    D = 10 ** rng.uniform(-3, -1, size=400)
    p = propensity(brownian_ensemble(D, M=200, seed=1))
    rel = p / (6 * D[None, :] * TIMES[:, None]) - 1
    assert abs(rel.mean()) < 3 * np.sqrt(2 / 600) / np.sqrt(rel.size)
    assert rel.std() == pytest.approx(np.sqrt(2 / 600), rel=0.1)
    for t in range(len(TIMES)):
        assert stats.spearmanr(p[t], D).statistic > 0.95
    # a predictor that is the planted log-mobility correlates strongly at every time
    curve = correlation_with_propensity(np.log(D)[None], np.log(p)[None], TIMES)
    assert np.all(curve.pearson > 0.95) and np.all(curve.spearman > 0.95)


def test_correlations_are_scipys_averaged_over_configurations():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 300))
    p = x[:, None, :] * np.array([0.2, 1.0, 3.0])[None, :, None] + rng.normal(size=(4, 3, 300))
    curve = correlation_with_propensity(x, p, TIMES, n_bootstrap=500, seed=3)
    for t in range(3):
        pearson = np.mean([stats.pearsonr(x[c], p[c, t]).statistic for c in range(4)])
        spearman = np.mean([stats.spearmanr(x[c], p[c, t]).statistic for c in range(4)])
        assert curve.pearson[t] == pytest.approx(pearson, abs=1e-12)
        assert curve.spearman[t] == pytest.approx(spearman, abs=1e-12)
        lo, hi = curve.pearson_interval[t]
        assert lo <= curve.pearson[t] <= hi
    assert np.all(np.diff(curve.pearson) > 0)  # the planted signal-to-noise grows with t
    one = correlation_with_propensity(x[:1], p[:1], TIMES)
    assert one.configurations == 1 and np.all(np.isnan(one.pearson_interval))
    with pytest.raises(ValueError, match="must agree"):
        correlation_with_propensity(x, p[:, :, :10], TIMES)


def test_cage_relative_removes_a_collective_drift():
    """A drift shared by a particle and its neighbours (here: the whole box, per
    trajectory and time) adds |d|² to the propensity and nothing to its cage-relative
    variant."""
    rng = np.random.default_rng(4)
    L, n = 8.0, 600
    positions = rng.uniform(-L / 2, L / 2, size=(n, 3))
    neighbours = first_shell_neighbours(L, positions, 1.2)
    i, j = neighbours
    d = np.minimum(np.abs(positions[i] - positions[j]), L - np.abs(positions[i] - positions[j]))
    assert np.all(np.sqrt((d**2).sum(axis=1)) < 1.2)  # periodic distances within the cut
    pairs = set(zip(i.tolist(), j.tolist(), strict=True))
    assert len(pairs) == len(i) and all((b, a) in pairs for a, b in pairs)  # each way once
    local = brownian_ensemble(np.full(n, 0.01), M=20, seed=5)
    drift = rng.normal(size=(20, len(TIMES), 1, 3)) * 2.0
    cr_local, cr_drifted = (
        cage_relative(local, neighbours),
        cage_relative(local + drift, neighbours),
    )
    np.testing.assert_allclose(cr_drifted, cr_local, atol=1e-12)
    assert propensity(local + drift).mean() > propensity(local).mean() + 3.0
    # by hand for one particle
    k = i[0]
    mine = j[i == k]
    np.testing.assert_allclose(cr_local[:, :, k], local[:, :, k] - local[:, :, mine].mean(axis=2))
