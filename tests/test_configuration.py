"""Initial configurations, velocities, seeds and the GSD layer."""

from dataclasses import replace

import gsd.hoomd
import numpy as np
import pytest

from softness_entropy import model
from softness_entropy.configuration import (
    Configuration,
    box_length_for,
    cubic_lattice,
    lattice_choice,
    make_seed,
    maxwell_boltzmann,
    minimum_particles,
)
from softness_entropy.gsd_io import from_frame, read_configuration, to_frame, write_configuration


@pytest.mark.parametrize("n", [250, 500, 1000])
def test_cubic_lattice_composition_density_spacing(n):
    conf = cubic_lattice(n, 1.2, np.random.default_rng(0))
    assert conf.n_particles == n
    assert np.sum(conf.typeid == 0) == round(0.8 * n)
    assert conf.density == pytest.approx(1.2)
    L = conf.box_length
    assert np.all(conf.positions >= -L / 2) and np.all(conf.positions < L / 2)
    # lattice sites: no two particles closer than the chosen lattice's neighbour
    # distance, which is at least the simple-cubic one
    name, m = lattice_choice(n)
    nearest = {"sc": 1.0, "bcc": np.sqrt(3) / 2, "fcc": 1 / np.sqrt(2)}[name] * L / m
    d = conf.positions[:, None, :] - conf.positions[None, :, :]
    d -= L * np.round(d / L)
    r = np.sqrt((d**2).sum(-1)) + np.eye(n) * L
    assert r.min() == pytest.approx(nearest)
    assert nearest >= L / np.ceil(n ** (1 / 3) - 1e-9) - 1e-12


def test_lattice_choice_fills_exact_lattices():
    assert lattice_choice(250) == ("fcc", 4) or lattice_choice(250) == ("bcc", 5)
    assert lattice_choice(4 * 8**3) == ("fcc", 8)
    assert lattice_choice(2 * 10**3)[0] in ("bcc", "fcc")


def test_lattice_species_are_random_but_seeded():
    a = cubic_lattice(500, 1.2, np.random.default_rng(5)).typeid
    b = cubic_lattice(500, 1.2, np.random.default_rng(5)).typeid
    c = cubic_lattice(500, 1.2, np.random.default_rng(6)).typeid
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_maxwell_boltzmann_exact_temperature_zero_momentum():
    typeid = np.zeros(1000, dtype=np.int32)
    v = maxwell_boltzmann(typeid, 0.7, np.random.default_rng(1))
    np.testing.assert_allclose(v.sum(axis=0), 0.0, atol=1e-10)
    assert np.sum(v * v) / (3 * 1000 - 3) == pytest.approx(0.7)
    # Gaussian components: kurtosis of a normal distribution is 3
    x = v.ravel() / v.std()
    assert np.mean(x**4) == pytest.approx(3.0, abs=0.3)


def test_make_seed_is_deterministic_and_16_bit():
    sp = {"delta": 0.0, "rho": 1.2, "T": 0.6, "replica": 0, "N": 500}
    seeds = {make_seed("md", dict(sp, replica=r)) for r in range(200)}
    assert len(seeds) > 190
    assert all(1 <= s <= 65535 for s in seeds)
    assert make_seed("md", sp) == make_seed("md", dict(reversed(list(sp.items()))))
    assert make_seed("md", sp) != make_seed("lattice", sp)


def test_minimum_particles_matches_box_condition():
    for rho in (1.12, 1.2):
        n = minimum_particles(rho)
        assert box_length_for(n, rho) >= 2 * (model.max_cutoff() + 0.4)
        assert box_length_for(n - 1, rho) < 2 * (model.max_cutoff() + 0.4)


def test_wrapping_keeps_unwrapped_positions():
    conf = cubic_lattice(250, 1.2, np.random.default_rng(0))
    L = conf.box_length
    shifted = replace(conf, positions=conf.positions + np.array([1.7 * L, -0.6 * L, 0.2]))
    wrapped = shifted.wrapped()
    np.testing.assert_allclose(wrapped.unwrapped_positions(), shifted.unwrapped_positions())
    assert np.all(np.abs(wrapped.positions) <= L / 2)


def test_configuration_validates_shapes():
    with pytest.raises(ValueError, match="positions"):
        Configuration(5.0, np.zeros((4, 2)), np.zeros(4), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="typeid"):
        Configuration(5.0, np.zeros((4, 3)), np.full(4, 2), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="box_length"):
        Configuration(-1.0, np.zeros((4, 3)), np.zeros(4), np.zeros((4, 3)))


def test_gsd_round_trip(tmp_path):
    rng = np.random.default_rng(4)
    conf = replace(
        cubic_lattice(250, 1.2, rng),
        velocities=rng.normal(size=(250, 3)),
        image=rng.integers(-3, 3, size=(250, 3)),
        step=777,
    )
    path = tmp_path / "c.gsd"
    write_configuration(path, conf)
    assert not (tmp_path / "c.gsd.tmp").exists()
    back = read_configuration(path)
    assert back.step == 777
    np.testing.assert_allclose(back.positions, conf.positions, atol=1e-5)
    np.testing.assert_array_equal(back.image, conf.image)
    np.testing.assert_array_equal(back.typeid, conf.typeid)
    np.testing.assert_allclose(back.velocities, conf.velocities, atol=1e-5)
    with gsd.hoomd.open(path) as f:
        assert list(f[0].particles.types) == ["A", "B"]


def test_gsd_rejects_foreign_frames(tmp_path):
    frame = to_frame(cubic_lattice(250, 1.2, np.random.default_rng(0)))
    frame.configuration.box = [5, 6, 7, 0, 0, 0]
    with pytest.raises(ValueError, match="cubic box"):
        from_frame(frame)
    frame = to_frame(cubic_lattice(250, 1.2, np.random.default_rng(0)))
    frame.particles.types = ["X", "Y"]
    with pytest.raises(ValueError, match="types"):
        from_frame(frame)
    bad = tmp_path / "bad.gsd"
    bad.write_bytes(b"this is not a gsd file")
    with pytest.raises(ValueError, match=r"bad\.gsd"):
        read_configuration(bad)
