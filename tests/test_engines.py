"""Both MD engines against eq. 1, an independent freud/numpy computation, and each other."""

from dataclasses import replace

import numpy as np
import pytest
from conftest import HAVE_HOOMD, HAVE_LAMMPS, make_engine, pair_configuration

from softness_entropy import model
from softness_entropy.analysis.pair_energy import energy_and_virial_pressure, pair_forces
from softness_entropy.configuration import cubic_lattice
from softness_entropy.engines import FireParameters

PAIR_TYPES = {("A", "A"): (0, 0), ("A", "B"): (0, 1), ("B", "B"): (1, 1)}


@pytest.mark.parametrize("delta", [0.0, 0.2, 0.3, 0.4])
def test_pair_energy_and_force(engine_name, delta):
    """Two particles: U = V(r) and the pair force, read through the virial,
    W/(3V) = r f(r) / (3V), for every pair type and r from the core to the cutoff."""
    params = model.pair_parameters(delta)
    for pair, types in PAIR_TYPES.items():
        p = params[pair]
        r_min = model.minimum_position(p)
        for r in (0.95 * r_min, r_min, 1.3 * r_min, 0.5 * (r_min + p.r_cut), p.r_cut - 0.01):
            conf = pair_configuration(r, types)
            with make_engine(engine_name, conf, delta) as md:
                th = md.thermo()
            volume = conf.box_length**3
            expected_u = model.pair_energy(np.array([r]), p)[0]
            expected_f = model.pair_force(np.array([r]), p)[0]
            assert th.potential_energy * 2 == pytest.approx(expected_u, rel=1e-9, abs=1e-12), (
                pair,
                r,
            )
            assert 3 * volume * th.virial_pressure / r == pytest.approx(
                expected_f, rel=1e-9, abs=1e-10
            ), (pair, r)


#: a non-Kob–Andersen binary mixture: Wahnström's ε, σ and mass ratios (all ε = 1,
#: σ_BB/σ_AA = 5/6, σ_AB = 11/12, m_B/m_A = 1/2, 50:50)
OTHER = model.Mixture(
    epsilon={"AA": 1.0, "AB": 1.0, "BB": 1.0},
    sigma={"AA": 1.0, "AB": 11 / 12, "BB": 5 / 6},
    fraction_a=0.5,
    mass_b=0.5,
    name="Wahnström ratios",
)


@pytest.mark.parametrize("delta", [0.0, 0.3])
def test_another_mixture_follows_eq_1_with_its_own_parameters(engine_name, delta):
    """Two particles of each pair type: U = 4ε[(σ'/(r−Δ))¹² − (σ'/(r−Δ))⁶] − V(r_c),
    σ' = σ(1 − Δ/2^{1/6}), r_c = 2.5σ, written out here with the mixture's ε, σ."""
    for pair, types in PAIR_TYPES.items():
        eps, sig = OTHER.epsilon["".join(pair)], OTHER.sigma["".join(pair)]
        sig_p, r_c = sig * (1 - delta / 2 ** (1 / 6)), 2.5 * sig

        def v(r, eps=eps, sig_p=sig_p):
            x = (sig_p / (r - delta)) ** 6
            return 4 * eps * (x * x - x)

        for r in (1.0 * sig + 0.8 * delta, 1.2 * sig + delta, 0.5 * (sig + r_c), r_c - 0.01):
            with make_engine(engine_name, pair_configuration(r, types), delta,
                             mixture=OTHER) as md:  # fmt: skip
                u = 2 * md.thermo().potential_energy
            assert u == pytest.approx(v(r) - v(r_c), rel=1e-9, abs=1e-12), (pair, r)
        with make_engine(engine_name, pair_configuration(r_c + 0.01, types), delta,
                         mixture=OTHER) as md:  # fmt: skip
            assert md.thermo().potential_energy == 0.0


def test_another_mixture_reaches_the_engine_masses_and_all(engine_name):
    """Velocities drawn for m_B = m_A/2 give exactly kT in the engine (its own masses),
    zero total momentum Σ m v, and a liquid's energy equals the numpy sum of eq. 1."""
    conf = cubic_lattice(500, 1.0, np.random.default_rng(4), OTHER.fraction_a)
    assert (conf.typeid == 0).sum() == 250
    with make_engine(engine_name, conf, 0.1, dt=0.002, seed=3, mixture=OTHER) as md:
        md.thermalize(1.5)
        assert md.thermo().kinetic_temperature == pytest.approx(1.5, rel=1e-10)
        md.run_nvt(500, 1.5, 0.1)
        after = md.configuration()
        th = md.thermo()
        engine_forces = md.forces()
    numpy_forces = pair_forces(after.box_length, after.positions, after.typeid, 0.1, OTHER)
    scale = np.abs(engine_forces).max()
    np.testing.assert_allclose(numpy_forces, engine_forces, atol=1e-10 * scale)
    m = np.where(after.typeid == 0, 1.0, 0.5)[:, None]
    np.testing.assert_allclose((m * after.velocities).sum(axis=0), 0.0, atol=1e-8)
    kinetic = (m * after.velocities**2).sum() / (3 * after.n_particles - 3)
    assert th.kinetic_temperature == pytest.approx(kinetic, rel=1e-8)
    u, p_vir = energy_and_virial_pressure(
        after.box_length, after.positions, after.typeid, 0.1, OTHER
    )
    assert th.potential_energy == pytest.approx(u, rel=1e-8)
    assert th.virial_pressure == pytest.approx(p_vir, rel=1e-8)
    # and it is not the Kob–Andersen energy
    u_ka, _ = energy_and_virial_pressure(after.box_length, after.positions, after.typeid, 0.1)
    assert abs(u_ka - u) > 0.01  # 0.055 ε per particle here, against 1e-8 agreement


def test_energy_beyond_cutoff_is_zero(engine_name):
    for pair, types in PAIR_TYPES.items():
        p = model.pair_parameters(0.4)[pair]
        with make_engine(engine_name, pair_configuration(p.r_cut + 0.02, types), 0.4) as md:
            th = md.thermo()
        assert th.potential_energy == 0.0
        assert th.virial_pressure == 0.0


@pytest.mark.parametrize("delta", [0.0, 0.2, 0.4])
def test_configuration_energy_and_pressure_match_reference(
    engine_name, delta, liquid_configuration
):
    conf = liquid_configuration
    with make_engine(engine_name, conf, delta) as md:
        th = md.thermo()
    u, p_vir = energy_and_virial_pressure(conf.box_length, conf.positions, conf.typeid, delta)
    assert th.potential_energy == pytest.approx(u, rel=1e-8)
    assert th.virial_pressure == pytest.approx(p_vir, rel=1e-8)
    # full pressure = (2K + W)/(3V) with 2K = (3N - 3) k T_kin
    n, volume = conf.n_particles, conf.box_length**3
    kinetic = (n - 1) * th.kinetic_temperature / volume
    assert th.pressure == pytest.approx(kinetic + p_vir, rel=1e-8)


@pytest.mark.skipif(not (HAVE_HOOMD and HAVE_LAMMPS), reason="needs both hoomd and lammps")
@pytest.mark.hoomd
def test_hoomd_and_lammps_agree(liquid_configuration):
    conf = liquid_configuration
    for delta in (0.0, 0.3):
        results = {}
        for name in ("hoomd", "lammps"):
            with make_engine(name, conf, delta) as md:
                results[name] = md.thermo()
        h, lmp = results["hoomd"], results["lammps"]
        assert h.potential_energy == pytest.approx(lmp.potential_energy, rel=1e-9)
        assert h.virial_pressure == pytest.approx(lmp.virial_pressure, rel=1e-9)
        assert h.kinetic_temperature == pytest.approx(lmp.kinetic_temperature, rel=1e-9)
        assert h.pressure == pytest.approx(lmp.pressure, rel=1e-9)
    # the same forces integrate to the same trajectory: with a weak thermostat (the
    # engines discretise the Nosé–Hoover variable differently, which chaos amplifies
    # to ~0.1 σ in 200 steps at tau = 0.1) the two stay within round-off growth
    finals = {}
    for name in ("hoomd", "lammps"):
        with make_engine(name, conf, 0.2) as md:
            md.run_nvt(200, 1.0, 1000.0)
            finals[name] = md.configuration()
    d = finals["hoomd"].unwrapped_positions() - finals["lammps"].unwrapped_positions()
    assert np.abs(d).max() < 1e-5
    assert finals["hoomd"].step == finals["lammps"].step == conf.step + 200


def test_configuration_round_trip(engine_name, liquid_configuration):
    images = np.random.default_rng(0).integers(
        -300, 300, size=(liquid_configuration.n_particles, 3)
    )
    conf = replace(liquid_configuration, step=1234, image=images)
    with make_engine(engine_name, conf, 0.1) as md:
        out = md.configuration()
        assert out.step == 1234 == md.step
        np.testing.assert_allclose(out.positions, conf.positions, atol=1e-12)
        np.testing.assert_array_equal(out.image, conf.image)
        np.testing.assert_array_equal(out.typeid, conf.typeid)
        np.testing.assert_allclose(out.velocities, conf.velocities, atol=1e-12)
        moved = replace(conf, positions=conf.positions + 0.01, step=99)
        md.set_configuration(moved)
        again = md.configuration()
        assert again.step == 99
        np.testing.assert_allclose(
            again.unwrapped_positions(), moved.unwrapped_positions(), atol=1e-12
        )


def test_nvt_holds_temperature_and_unwraps(engine_name):
    conf = cubic_lattice(300, 1.2, np.random.default_rng(11))
    target = 1.0
    with make_engine(engine_name, conf, 0.0) as md:
        md.thermalize(2.0)
        md.run_nvt(2000, target, 0.1)
        temps = []
        previous = md.configuration().unwrapped_positions()
        for _ in range(60):
            md.run_nvt(50, target, 0.1)
            now = md.configuration()
            temps.append(md.thermo().kinetic_temperature)
            # 50 steps of 0.005 τ: no particle moves a box length, images keep track
            step_disp = np.abs(now.unwrapped_positions() - previous).max()
            assert step_disp < 1.0
            previous = now.unwrapped_positions()
        assert md.step == 2000 + 60 * 50
    # sqrt(2/(3N)) = 4.7 % per sample; the mean of 60 correlated samples is well inside 3 %
    assert np.mean(temps) == pytest.approx(target, rel=0.03)


def test_thermalize_is_exact_and_engine_independent(engine_name):
    conf = cubic_lattice(300, 1.2, np.random.default_rng(2))
    with make_engine(engine_name, conf, 0.0, seed=42) as md:
        md.thermalize(1.5)
        v = md.configuration().velocities
        assert md.thermo().kinetic_temperature == pytest.approx(1.5, rel=1e-10)
    np.testing.assert_allclose(v.sum(axis=0), 0.0, atol=1e-10)
    # the same seed and step give the same velocities in both engines (numpy draw)
    from softness_entropy.configuration import maxwell_boltzmann

    expected = maxwell_boltzmann(conf.typeid, 1.5, np.random.default_rng([42, 0]))
    np.testing.assert_allclose(v, expected, atol=1e-12)


def test_fire_reaches_tolerance_and_lowers_energy(engine_name, liquid_configuration):
    conf = liquid_configuration
    with make_engine(engine_name, conf, 0.2) as md:
        before = md.thermo().potential_energy
        result = md.minimize_fire(FireParameters(force_tolerance=1e-5))
        after = md.configuration()
        th = md.thermo()
        assert md.step == conf.step  # minimisation does not advance MD time
    assert result.converged
    assert result.max_force < 1e-5
    assert result.steps > 10
    assert result.potential_energy < before - 1.0
    assert th.potential_energy == pytest.approx(result.potential_energy, rel=1e-12)
    assert np.all(after.velocities == 0.0)
    # independent check of the minimised energy
    u, _ = energy_and_virial_pressure(after.box_length, after.positions, after.typeid, 0.2)
    assert u == pytest.approx(result.potential_energy, rel=1e-9)


def test_minimised_frame_does_not_depend_on_engine_history(engine_name, liquid_configuration):
    """A frame minimised after other runs (MD with its particle sorting, another
    minimisation) gives the same bits as in a fresh engine: the inherent-structure
    stage resumes after a kill with bitwise-equal minima (tests/test_faults.py)."""
    conf = liquid_configuration
    fire = FireParameters(force_tolerance=1e-6)
    with make_engine(engine_name, conf, 0.2) as fresh:
        fresh.minimize_fire(fire)
        expected = fresh.configuration()
    with make_engine(engine_name, conf, 0.2) as md:
        md.run_nvt(2500, 1.5, 0.1)  # both engines re-sort particles within this run
        md.minimize_fire(fire)
        md.set_configuration(conf)
        md.minimize_fire(fire)
        got = md.configuration()
    np.testing.assert_array_equal(got.positions, expected.positions)


def test_engine_rejects_foreign_configuration(engine_name, liquid_configuration):
    other = cubic_lattice(250, 1.2, np.random.default_rng(1))
    with make_engine(engine_name, liquid_configuration, 0.0) as md:
        with pytest.raises(ValueError, match="particle count"):
            md.set_configuration(other)


@pytest.mark.parametrize("delta, kT", [(0.0, 1.0), (0.4, 3.0)])
def test_energy_is_conserved_without_thermostat(engine_name, delta, kT):
    """A thermostat time of 1e6 τ leaves Newtonian (NVE) dynamics: U + K must stay put."""
    conf = cubic_lattice(300, 1.2 if delta == 0.0 else 1.12, np.random.default_rng(8))
    with make_engine(engine_name, conf, delta, dt=1e-4) as md:  # lattice overlaps: gently
        md.thermalize(kT)
        md.run_nvt(2000, kT, 0.05)
        conf = md.configuration()
    with make_engine(engine_name, conf, delta, dt=0.002) as md:
        md.run_nvt(2000, kT, 0.1)
        energies = []
        for _ in range(20):
            md.run_nvt(250, kT, 1.0e6)
            th = md.thermo()
            kinetic = 1.5 * th.kinetic_temperature * (conf.n_particles - 1) / conf.n_particles
            energies.append(th.potential_energy + kinetic)
    energies = np.array(energies)
    # 10 tau of velocity Verlet at dt = 0.002: fluctuations and drift ~1e-3 per particle
    assert np.ptp(energies) < 2e-2
    assert abs(energies[-1] - energies[0]) < 1e-2


@pytest.mark.hoomd
@pytest.mark.skipif(not HAVE_HOOMD, reason="hoomd is not importable")
def test_gpu_request_without_a_gpu_is_a_clear_error(monkeypatch):
    """device='gpu' never falls back to the CPU silently; 'auto' does, by design."""
    import hoomd

    from softness_entropy.engines.hoomd_engine import gpu_available, make_device

    if gpu_available(hoomd):
        pytest.skip("this machine has a usable GPU")
    with pytest.raises(RuntimeError, match=r"device='gpu' was asked for.*--set device=auto"):
        make_device(hoomd, "gpu")
    assert isinstance(make_device(hoomd, "auto"), hoomd.device.CPU)
    # a GPU build on a node whose GPU cannot be used: the reason HOOMD gives is named
    monkeypatch.setattr(hoomd.version, "gpu_enabled", True)
    monkeypatch.setattr(hoomd.device.GPU, "get_available_devices", staticmethod(lambda: []))
    monkeypatch.setattr(
        hoomd.device.GPU,
        "get_unavailable_device_reasons",
        staticmethod(lambda: ["CUDA driver version is insufficient"]),
    )
    with pytest.raises(RuntimeError, match="CUDA driver version is insufficient"):
        make_device(hoomd, "gpu")
    from softness_entropy.engines import resolve_engine

    assert resolve_engine("auto") == ("lammps" if HAVE_LAMMPS else "hoomd")


def test_the_registry_names_each_engine_as_its_class_does():
    """One registry finds the engines: each entry loads a class of that name, taking the
    options the registry says it takes (the rest of the code never names an engine)."""
    import inspect

    from softness_entropy.engines import ENGINE_CHOICES, REGISTRY, resolve_engine

    assert ENGINE_CHOICES == ("auto", *REGISTRY)
    for name, spec in REGISTRY.items():
        if not spec.available():
            continue
        cls = spec.load()
        assert cls.name == name
        assert spec.options <= set(inspect.signature(cls).parameters)
        assert resolve_engine(name) == name
    with pytest.raises(ValueError, match="engine must be one of"):
        resolve_engine("gromacs")
