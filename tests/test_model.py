"""The expanded-LJ potential of paper eq. 1 against its defining properties."""

import numpy as np
import pytest

from softness_entropy import model


@pytest.mark.parametrize("delta", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
def test_sigma_prime_and_minimum(delta):
    params = model.pair_parameters(delta)
    for pair, p in params.items():
        assert p.sigma_prime == pytest.approx(model.SIGMA[pair] * (1 - delta / 2 ** (1 / 6)))
        r_min = model.minimum_position(p)
        # minimum at 2^{1/6} sigma + delta (1 - sigma): AA fixed at 2^{1/6}
        expected = 2 ** (1 / 6) * model.SIGMA[pair] + delta * (1 - model.SIGMA[pair])
        assert r_min == pytest.approx(expected, rel=1e-12)
        assert model.pair_force(np.array([r_min]), p)[0] == pytest.approx(0.0, abs=1e-10)
        # depth: -epsilon minus the cutoff shift
        v_min = model.pair_energy(np.array([r_min]), p)[0]
        assert v_min == pytest.approx(-p.epsilon - p.energy_shift, rel=1e-12)
    assert model.minimum_position(params["A", "A"]) == pytest.approx(2 ** (1 / 6))


@pytest.mark.parametrize("delta", [0.0, 0.25, 0.4])
def test_energy_vanishes_at_cutoff_on_r(delta):
    for pair, p in model.pair_parameters(delta).items():
        assert p.r_cut == pytest.approx(2.5 * model.SIGMA[pair])
        eps = 1e-9
        assert model.pair_energy(np.array([p.r_cut - eps]), p)[0] == pytest.approx(0.0, abs=1e-7)
        assert model.pair_energy(np.array([p.r_cut + eps]), p)[0] == 0.0
        assert model.pair_force(np.array([p.r_cut + eps]), p)[0] == 0.0


@pytest.mark.parametrize("delta", [0.0, 0.3])
def test_force_is_minus_energy_derivative(delta):
    for p in model.pair_parameters(delta).values():
        r = np.linspace(p.delta + 0.85 * p.sigma_prime, p.r_cut - 0.01, 50)
        h = 1e-6
        numeric = -(model.pair_energy(r + h, p) - model.pair_energy(r - h, p)) / (2 * h)
        np.testing.assert_allclose(model.pair_force(r, p), numeric, rtol=1e-6, atol=1e-8)


def test_explicit_value_from_eq1():
    # two A particles, delta = 0.3, r = 2.49 (the value LAMMPS's shift gets wrong)
    p = model.pair_parameters(0.3)["A", "A"]
    sp = 1.0 - 0.3 / 2 ** (1 / 6)

    def lj(r):
        return 4 * ((sp / (r - 0.3)) ** 12 - (sp / (r - 0.3)) ** 6)

    assert model.pair_energy(np.array([2.49]), p)[0] == pytest.approx(lj(2.49) - lj(2.5))
    assert model.pair_energy(np.array([2.49]), p)[0] == pytest.approx(-0.000151, abs=5e-7)


@pytest.mark.parametrize("bad", [-0.1, 0.51, float("nan"), 2.0])
def test_delta_validation(bad):
    with pytest.raises(ValueError, match="delta"):
        model.pair_parameters(bad)
