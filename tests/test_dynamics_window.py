"""The dynamics window against planted answers: log-periodic schedule, multi-origin
MSD and F_s, D and τα of a Brownian walk with known D."""

import numpy as np
import pytest

from softness_entropy.analysis.dynamics import (
    estimate_dynamics,
    frames_up_to,
    log_periodic_curves,
    log_periodic_offsets,
)


def test_offsets_are_log_spaced_unique_and_inside_the_block():
    off = log_periodic_offsets(1000, per_decade=8)
    assert off[0] == 0 and off[1] == 1 and off[-1] < 1000
    assert np.all(np.diff(off) > 0)
    # about eight per decade over three decades (small offsets merge when rounded)
    assert 18 <= len(off) <= 26
    assert log_periodic_offsets(1).tolist() == [0]
    with pytest.raises(ValueError):
        log_periodic_offsets(0)


def schedule(block: int, n_blocks: int, per_decade: int = 8) -> np.ndarray:
    off = log_periodic_offsets(block, per_decade)
    return np.concatenate([b * block + off for b in range(n_blocks)] + [[n_blocks * block]])


def test_frames_up_to_counts_the_schedule():
    block = 200
    steps = schedule(block, 5)
    off = log_periodic_offsets(block)
    for step in (0, 1, 57, 199, 200, 201, 999, 1000):
        assert frames_up_to(step, block, off) == int(np.sum(steps <= step))


def brownian(steps: np.ndarray, n: int, d_coeff: float, dt: float, seed: int = 0):
    """Unwrapped positions of n independent Brownian particles at the given steps."""
    rng = np.random.default_rng(seed)
    gaps = np.diff(steps, prepend=steps[0]) * dt
    kicks = rng.normal(size=(len(steps), n, 3)) * np.sqrt(2 * d_coeff * gaps)[:, None, None]
    return np.cumsum(kicks, axis=0).astype(np.float32)


def test_brownian_walk_gives_the_planted_d_and_tau_alpha():
    # MSD = 6 D t exactly; F_s(Q, t) = exp(−Q² D t), so τα = 1 / (Q² D)
    d_coeff, dt, q, block = 0.01, 0.002, 7.14, 2000
    steps = schedule(block, 30)
    pos = brownian(steps, 400, d_coeff, dt)
    curves = log_periodic_curves(steps, pos, block, q)
    assert curves.msd.shape[:2] == (16, 31)  # particle groups × block-start origins
    lags = curves.lags
    # canonical lags only: in-block offsets and multiples of the block
    assert np.all((lags < block) | (lags % block == 0))
    msd, fs = curves.mean()
    t = lags * dt
    ok = t > 0
    np.testing.assert_allclose(msd[ok][:20], 6 * d_coeff * t[ok][:20], rtol=0.05)
    np.testing.assert_allclose(fs[ok][:20], np.exp(-(q**2) * d_coeff * t[ok][:20]), atol=0.01)
    est = estimate_dynamics(curves, dt, msd_min=1.0, n_bootstrap=100)
    assert est.fit.diffusive
    assert est.D == pytest.approx(d_coeff, abs=4 * est.D_error)
    assert est.D_error < 0.1 * d_coeff
    assert est.tau_alpha == pytest.approx(1 / (q**2 * d_coeff), abs=4 * est.tau_alpha_error)
    assert 0.9 < est.fit.loglog_slope < 1.1


def test_caged_particles_are_not_diffusive():
    # harmonic cage: MSD saturates at 0.03 σ² ≪ msd_min
    rng = np.random.default_rng(1)
    block = 100
    steps = schedule(block, 20)
    pos = rng.normal(scale=0.1, size=(len(steps), 50, 3)).astype(np.float32)
    est = estimate_dynamics(log_periodic_curves(steps, pos, block, 7.14), 0.01)
    assert not est.fit.diffusive and np.isnan(est.D)
    assert np.isnan(est.tau_alpha)  # F_s ≈ exp(−Q²⟨r²⟩/6) ≈ 0.77 never reaches 1/e
