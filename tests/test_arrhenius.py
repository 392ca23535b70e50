"""Arrhenius strata, fits and the crossover temperature against planted answers."""

import numpy as np
import pytest

from softness_entropy.analysis.arrhenius import (
    ArrheniusFit,
    barrier_collapse,
    crossover_temperature,
    fit_arrhenius,
    log_probability_at,
    supercooled_mask,
)
from softness_entropy.analysis.strata import bin_index, frame_counts, strata_edges


def test_fit_recovers_planted_barriers_with_noise():
    rng = np.random.default_rng(0)
    T = np.linspace(0.45, 0.8, 8)
    sigma, energy = 2.0, 3.0
    p = np.exp(sigma - energy / T) * np.exp(rng.normal(0, 0.03, size=T.size))
    fit = fit_arrhenius(T, p)
    assert fit.energy == pytest.approx(energy, abs=4 * fit.energy_error + 0.05)
    assert fit.sigma == pytest.approx(sigma, abs=4 * fit.sigma_error + 0.05)
    assert 0 < fit.energy_error < 0.3
    assert fit.log_probability(0.5) == pytest.approx(fit.sigma - fit.energy / 0.5)
    assert np.isnan(fit_arrhenius(T[:1], p[:1]).energy)


def test_weighted_fit_of_binomial_counts_and_its_errors_cover_the_truth():
    # P_R measured from n samples per temperature: the weighted fit's 1σ error bars
    # must cover the planted ΔE about 68 % of the time (residual-scaled covariance)
    rng = np.random.default_rng(5)
    T = np.array([0.5, 0.55, 0.6, 0.65, 0.7, 0.8])
    sigma, energy = 1.0, 3.0
    p_true = np.exp(sigma - energy / T)
    n = np.array([4000, 3000, 2000, 2000, 1000, 1000])
    z = []
    for _ in range(300):
        k = rng.binomial(n, p_true)
        fit = fit_arrhenius(T, k / n, n)
        z.append((fit.energy - energy) / fit.energy_error)
    z = np.abs(np.array(z))
    assert 0.58 < np.mean(z < 1) < 0.78
    # three points: the residuals enter the error (the old cov="unscaled" did not) …
    fit3 = fit_arrhenius(T[:3], p_true[:3] * [1.0, 1.3, 0.8], n[:3])
    exact3 = fit_arrhenius(T[:3], p_true[:3], n[:3])
    assert fit3.energy_error > 1.5 * exact3.energy_error
    # … but never shrink it below the binomial counting error: for data on the line
    # it is the Fisher information's, X^T diag(n p / (1 − p)) X with X = (1, 1/T)
    x = np.column_stack([np.ones(3), 1 / T[:3]])
    info = x.T @ ((n[:3] * p_true[:3] / (1 - p_true[:3]))[:, None] * x)
    fisher = np.sqrt(np.linalg.inv(info)[1, 1])
    assert exact3.energy_error == pytest.approx(fisher, rel=0.02)


def test_crossover_recovers_a_planted_intersection_despite_outliers():
    t_a = 0.8
    rng = np.random.default_rng(1)
    energies = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    log_p_at_ta = -0.5
    sigmas = log_p_at_ta + energies / t_a + rng.normal(0, 0.01, 5)
    # an outlier line nearly parallel to another: its crossings are far away
    sigmas = np.append(sigmas, sigmas[2] + 0.5)
    energies = np.append(energies, energies[2] + 0.02)
    result = crossover_temperature(sigmas, energies)
    assert result.T_A == pytest.approx(t_a, rel=0.03)
    assert result.n_rejected >= 1
    assert result.spread < 0.1


def test_strata_and_counts_against_a_direct_count():
    rng = np.random.default_rng(2)
    s = rng.normal(size=(40, 2500))
    rearranging = rng.uniform(size=s.shape) < 1 / (1 + np.exp(-2 * s))  # softer → more
    edges = strata_edges(s)
    assert edges[0] == pytest.approx(np.percentile(s, 5))
    assert len(edges) == 6
    hits, counts = frame_counts(s, rearranging, edges)
    assert hits.shape == counts.shape == (40, 5)
    for b in range(5):
        inside = (s >= edges[b]) & ((s < edges[b + 1]) | ((b == 4) & (s == edges[-1])))
        assert counts[:, b].tolist() == inside.sum(axis=1).tolist()
        assert hits[:, b].tolist() == (inside & rearranging).sum(axis=1).tolist()
    p = hits.sum(axis=0) / counts.sum(axis=0)
    assert np.all(np.diff(p) > 0)
    assert counts.sum() == pytest.approx(0.9 * s.size, rel=0.01)
    assert bin_index(np.array([edges[0], edges[-1], edges[0] - 1, edges[-1] + 1]),
                     edges).tolist() == [0, 4, -1, -1]  # fmt: skip
    with pytest.raises(ValueError):
        strata_edges(np.ones(10))


def test_supercooled_selection_and_collapse():
    mask, ok = supercooled_mask(np.array([2.0, 1.0, 0.8, 0.7, 0.6]),
                                np.array([0.99, 0.6, 0.3, 0.2, 0.1]))  # fmt: skip
    assert ok and mask.tolist() == [False, False, True, True, True]
    mask, ok = supercooled_mask(np.array([2.0, 1.0, 0.8]), np.array([0.99, 0.6, 0.3]))
    assert not ok and mask.sum() == 3
    fit = ArrheniusFit(sigma=4.0, energy=3.0, sigma_error=0, energy_error=0)
    entropic, energetic = barrier_collapse(fit, 0.6)
    log_p = 4.0 - 3.0 / 0.6
    assert entropic == pytest.approx(4.0 / log_p)
    assert energetic == pytest.approx(3.0 / (log_p * 0.6))
    # eq. 8: ΔE/(ln P T_A) = Σ/ln P − 1
    fit2 = ArrheniusFit(sigma=3.0, energy=2.0, sigma_error=0, energy_error=0)
    e2, g2 = barrier_collapse(fit2, 0.9)
    assert g2 == pytest.approx(e2 - 1.0)


def test_running_correlation_equals_the_pooled_pearson():
    from softness_entropy.analysis.streaming import RunningCorrelation

    rng = np.random.default_rng(4)
    x = rng.normal(3.0, 2.0, 10_000)
    y = 0.6 * x + rng.normal(-5.0, 1.0, 10_000) + 1e6  # large offset: no cancellation
    acc = RunningCorrelation()
    for lo, hi in ((0, 1), (1, 1000), (1000, 1000), (1000, 7321), (7321, 10_000)):
        acc.add(x[lo:hi], y[lo:hi])
    assert acc.n == 10_000
    assert acc.pearson == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-12)
    assert np.isnan(RunningCorrelation().pearson)


def test_stride_sample_keeps_small_arrays_and_percentiles_of_large_ones():
    from softness_entropy.analysis.streaming import stride_sample

    small = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(stride_sample(small, 100), small.ravel())
    big = np.random.default_rng(5).normal(size=2_000_000)
    sample = stride_sample(big, 100_000)
    assert sample.size <= 100_000
    # the 5th/95th percentiles of a 1e5 sample of a normal: error ~ 0.007
    np.testing.assert_allclose(
        np.percentile(sample, [5, 95]), np.percentile(big, [5, 95]), atol=0.03
    )


def test_authors_t_a_estimator_and_log_p_methods():
    t_a = 0.8
    energies = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    sigmas = -0.5 + energies / t_a
    assert crossover_temperature(sigmas, energies, "authors").T_A == pytest.approx(t_a)
    with pytest.raises(ValueError):
        crossover_temperature(sigmas, energies, "mean")
    fits = [ArrheniusFit(s, e, 0, 0) for s, e in zip(sigmas, energies, strict=True)]
    assert log_probability_at(fits, t_a, "median") == pytest.approx(-0.5)
    assert log_probability_at(fits, t_a, "log_mean") == pytest.approx(-0.5)
    spread = [ArrheniusFit(np.log(p), 0.0, 0, 0) for p in (0.1, 0.2, 0.6)]
    assert log_probability_at(spread, 1.0, "median") == pytest.approx(np.log(0.2))
    assert log_probability_at(spread, 1.0, "log_mean") == pytest.approx(np.log(0.3))


def test_binomial_fit_keeps_strata_without_events_unbiased():
    # a rare stratum: ~0.2–16 expected events per temperature (zeros common), then
    # five times more samples.  Dropping the zeros (a fit of ln P) biases ΔE low by
    # ~1.6 (20 %); the binomial likelihood's small-sample bias is a third of that and
    # vanishes with more events
    rng = np.random.default_rng(6)
    T = np.array([0.5, 0.53, 0.56, 0.6, 0.65, 0.7])
    sigma, energy = 2.0, 8.0
    p_true = np.exp(sigma - energy / T)
    for n_samples, tolerance in ((200_000, None), (1_000_000, 3.0)):
        n = np.full(T.size, n_samples)
        ml, dropped = [], []
        for _ in range(200):
            k = rng.binomial(n, p_true)
            ml.append(fit_arrhenius(T, k / n, n).energy)
            dropped.append(fit_arrhenius(T, k / n).energy)  # ln P fit: zeros dropped
        ml, dropped = np.array(ml), np.array(dropped)
        se = ml.std() / np.sqrt(len(ml))
        assert abs(ml.mean() - energy) < 0.4 * abs(np.nanmean(dropped) - energy)
        if tolerance is not None:
            assert abs(ml.mean() - energy) < tolerance * se
            assert np.nanmean(dropped) < energy - 3 * se
