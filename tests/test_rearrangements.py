"""MSD/D, phop (eq. 2) and the soft/hard selection against planted answers."""

import numpy as np
import pytest

from softness_entropy.analysis.dynamics import (
    fit_diffusion,
    mean_squared_displacement,
    reduced_diffusion,
)
from softness_entropy.analysis.events import hard_events, soft_events
from softness_entropy.analysis.phop import half_window, phop, phop_reference


def test_random_walk_gives_the_planted_diffusion_coefficient():
    rng = np.random.default_rng(0)
    d_coeff, dt = 0.05, 1.0
    steps = rng.normal(0, np.sqrt(2 * d_coeff * dt), size=(400, 500, 3))
    positions = np.concatenate([np.zeros((1, 500, 3)), np.cumsum(steps, axis=0)])
    times = np.arange(len(positions)) * dt
    msd = mean_squared_displacement(positions)
    np.testing.assert_allclose(msd[1:50], 6 * d_coeff * times[1:50], rtol=0.05)
    fit = fit_diffusion(times, msd)
    assert fit.diffusive
    assert fit.D == pytest.approx(d_coeff, rel=0.05)
    assert fit.loglog_slope == pytest.approx(1.0, abs=0.05)
    assert fit.t_end <= times[-1] / 2


def test_ballistic_msd_and_caged_particles():
    # ballistic: MSD = |v|^2 t^2 exactly
    v = np.random.default_rng(1).normal(size=(1, 100, 3))
    t = np.arange(20.0)
    positions = t[:, None, None] * v
    np.testing.assert_allclose(
        mean_squared_displacement(positions), (v**2).sum(-1).mean() * t**2, rtol=1e-4, atol=1e-4
    )  # freud works in single precision
    # caged vibration never reaches the diffusive window: flagged, not fitted
    caged = np.random.default_rng(2).normal(0, 0.1, size=(200, 50, 3))
    fit = fit_diffusion(np.arange(200.0), mean_squared_displacement(caged))
    assert not fit.diffusive and np.isnan(fit.D)


def test_reduced_diffusion():
    assert reduced_diffusion(0.1, 1.2, 0.5) == pytest.approx(1.2 ** (1 / 3) * np.sqrt(2) * 0.1)


def test_half_window():
    assert half_window(10.0, 1.0) == 5
    with pytest.raises(ValueError):
        half_window(3.0, 1.0)


def test_phop_of_a_planted_hop_has_the_analytic_height():
    """A jump of length a between frames t0-1 and t0: with n = h + 1 frames per window
    phop(t0-1) = phop(t0) = a^2 (h/n)^{3/2}, and phop = 0 when no window sees the jump."""
    h, a, t0 = 5, 1.3, 20
    x = np.zeros((41, 2, 3))
    x[t0:, 0] = [a / np.sqrt(2), a / np.sqrt(2), 0.0]
    p = phop(x, h)
    frames = np.arange(len(p)) + h
    peak = a**2 * (h / (h + 1)) ** 1.5
    assert p[:, 0].max() == pytest.approx(peak)
    assert set(frames[np.isclose(p[:, 0], peak)]) == {t0 - 1, t0}
    assert np.all(p[np.abs(frames - t0 + 0.5) > h + 1, 0] < 1e-12)
    assert np.all(p[:, 1] == 0.0)


def test_phop_of_a_vibrating_particle_is_its_vibration_variance():
    """i.i.d. Gaussian vibration of variance s^2 per component: each factor of eq. 2 has
    mean 3 s^2 (1 + 1/n - 2/n^2) (the windows share frame t), so phop ~ 3 s^2."""
    h, s = 5, 0.08
    n = h + 1
    x = np.random.default_rng(3).normal(0, s, size=(400, 2000, 3))
    expected = 3 * s**2 * (1 + 1 / n - 2 / n**2)
    assert phop(x, h).mean() == pytest.approx(expected, rel=0.03)


def test_phop_vectorised_matches_the_loop():
    rng = np.random.default_rng(4)
    x = np.cumsum(rng.normal(0, 0.1, size=(80, 3000, 3)), axis=0) + 20.0
    np.testing.assert_allclose(phop(x, 5), phop_reference(x, 5), atol=1e-10)
    np.testing.assert_allclose(phop(x.astype(np.float32), 3), phop_reference(x, 3), atol=1e-4)
    with pytest.raises(ValueError):
        phop(x[:10], 5)


def test_event_selection_keeps_planted_events_and_spacing():
    f = np.full(300, 0.1)
    # soft: peaks at 50 (0.5) and 55 (0.3, too close: dropped), 100 (0.25); 150 below p_S
    for t, height in ((50, 0.5), (55, 0.3), (100, 0.25), (150, 0.15)):
        f[t] = height
    # hard: troughs at 20 (0.01), 60 (0.02, too close to 20 for 80 frames), 200 (0.03)
    for t, depth in ((20, 0.01), (60, 0.02), (200, 0.03), (250, 0.06)):
        f[t] = depth
    series = np.stack([f, np.full(300, 0.1)], axis=1)
    soft = soft_events(series, 0.2, separation=10)
    assert sorted(zip(soft.particles, soft.frames, strict=True)) == [(0, 50), (0, 100)]
    hard = hard_events(series, 0.05, separation=80)
    assert sorted(zip(hard.particles, hard.frames, strict=True)) == [(0, 20), (0, 200)]
    # the deeper trough wins when two are too close
    f2 = f.copy()
    f2[60] = 0.001
    hard2 = hard_events(f2[:, None], 0.05, separation=80)
    assert list(hard2.frames) == [60, 200]
