"""F_s(Q, t) and τα against cases with known answers."""

import numpy as np
import pytest

from softness_entropy.analysis.relaxation import (
    RelaxationTracker,
    fs_curve,
    fs_pair,
    tau_alpha,
)


def gaussian_walk(n_particles, n_frames, d_coeff, dt, seed=0):
    """Brownian trajectories: per-component step variance 2 D dt."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, np.sqrt(2 * d_coeff * dt), size=(n_frames - 1, n_particles, 3))
    start = rng.uniform(0, 10, size=(1, n_particles, 3))
    return np.concatenate([start, start + np.cumsum(steps, axis=0)])


def test_fs_of_a_gaussian_displacement_is_exp_minus_q2_sigma2_over_2():
    rng = np.random.default_rng(1)
    sigma, q = 0.15, 7.14
    ref = rng.uniform(size=(200_000, 3))
    cur = ref + rng.normal(0, sigma, size=ref.shape)
    assert fs_pair(ref, cur, q) == pytest.approx(np.exp(-(q**2) * sigma**2 / 2), abs=3e-3)
    assert fs_pair(ref, ref, q) == 1.0


def test_tau_alpha_of_a_random_walk_is_one_over_q2_d():
    # F_s(Q, t) = exp(-Q^2 D t)  =>  tau_alpha = 1 / (Q^2 D)
    q, d_coeff, dt = 7.14, 0.1, 0.01
    frames = gaussian_walk(3000, 60, d_coeff, dt)
    fs = fs_curve(frames, q)
    times = np.arange(len(fs)) * dt
    np.testing.assert_allclose(fs[:30], np.exp(-(q**2) * d_coeff * times[:30]), atol=0.02)
    assert tau_alpha(times, fs) == pytest.approx(1 / (q**2 * d_coeff), rel=0.03)


def test_tau_alpha_interpolates_and_flags_unreached():
    t = np.linspace(0, 10, 101)
    assert tau_alpha(t, np.exp(-t / 2.0)) == pytest.approx(2.0, rel=1e-3)
    assert np.isnan(tau_alpha(t, np.exp(-t / 50.0)))
    with pytest.raises(ValueError):
        tau_alpha(t, np.ones(5))


def test_tracker_coarsens_bounded_and_finds_tau_alpha():
    q, d_coeff, dt = 7.14, 0.02, 0.01  # tau_alpha = 0.98
    frames = gaussian_walk(2000, 1200, d_coeff, dt, seed=3)
    tracker = RelaxationTracker(q, spacing=dt, max_frames=32)
    for i, x in enumerate(frames):
        t = i * dt
        if tracker.due(t):
            tracker.add(t, x)
        assert len(tracker.frames) <= 32
    assert tracker.spacing > dt  # it coarsened
    spacings = np.diff(tracker.times)
    np.testing.assert_allclose(spacings, spacings[0])  # stays uniform
    assert tracker.tau_alpha() == pytest.approx(1 / (q**2 * d_coeff), rel=0.1)
    restored = RelaxationTracker.from_state(tracker.state())
    assert restored.tau_alpha() == tracker.tau_alpha()
    assert restored.spacing == tracker.spacing


def test_tracker_rejects_bad_settings():
    with pytest.raises(ValueError):
        RelaxationTracker(7.14, spacing=0.0)
    with pytest.raises(ValueError):
        RelaxationTracker(7.14, spacing=0.1, max_frames=5)
