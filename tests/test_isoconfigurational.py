"""The isoconfigurational-ensemble run (workflow/isoconfigurational.py): ballistic
start, both engines, resume after a stop, stale checkpoints, member velocities."""

from dataclasses import replace
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest
from conftest import ENGINE_PARAMS, make_engine, requires_hoomd, requires_lammps

from softness_entropy.gsd_io import to_frame
from softness_entropy.model import KOB_ANDERSEN
from softness_entropy.runs import isoconfigurational as iso
from softness_entropy.runs.common import WalltimeReached
from softness_entropy.workflow.parameters import DEFAULT_PARAMETERS

SP = {"delta": 0.0, "rho": 1.2, "T": 2.0, "replica": 0, "N": 400}
DT = 0.002
STEPS = np.array([5, 50, 200])


@pytest.fixture(scope="module")
def trajectory(liquid_configuration, tmp_path_factory) -> Path:
    """Three frames of the 400-particle liquid at T = 2, 1 τ apart."""
    path = tmp_path_factory.mktemp("iso") / "trajectory.gsd"
    from softness_entropy.engines import available_engines

    with (
        make_engine(available_engines()[-1], liquid_configuration, 0.0, dt=DT) as md,
        gsd.hoomd.open(path, mode="w") as f,
    ):
        for _ in range(3):
            f.append(to_frame(md.configuration(), masses=KOB_ANDERSEN.masses))
            md.run_nvt(500, SP["T"], 0.1)
    return path


def params(engine: str) -> dict:
    return {**DEFAULT_PARAMETERS, "engine": engine, "dt": DT, "device": "cpu", "threads": 1}


def run(trajectory, tmp, engine="lammps", frames=(0, 2), members=3, identity="x"):
    return iso.run_isoconfigurational(
        SP, params(engine), trajectory, np.array(frames), STEPS, members,
        tmp / "iso.ckpt.npz", identity, "test",
    )  # fmt: skip


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
def test_ensemble_starts_ballistic_and_counts_its_cost(trajectory, tmp_path, engine):
    """At t = 0.01 τ, far below a collision time, Δr = v t: ⟨|Δr|²⟩ = 3 k_B T t²/m
    over the Maxwell–Boltzmann members (m = 1); 3 members × 320 A particles give a
    relative s.d. of √(2/3/960) = 2.6 % for the particle mean (10 % allowed: the
    forces' t⁴ term)."""
    ens = run(trajectory, tmp_path, engine)
    t = STEPS[0] * DT
    ratio = ens.propensity[:, 0].mean(axis=1) / (3 * SP["T"] * t**2)
    np.testing.assert_allclose(ratio, 1.0, atol=0.1)
    assert np.all(np.diff(ens.propensity.mean(axis=2), axis=1) > 0)  # still moving away
    assert ens.propensity.shape == (2, 3, 320)
    with gsd.hoomd.open(trajectory) as f:
        np.testing.assert_array_equal(ens.a_index, np.flatnonzero(f[0].particles.typeid == 0))
    # ballistic, with independent velocities: subtracting the mean of z neighbours adds
    # their variance / z, ⟨|Δr^CR|²⟩ = (1 + ⟨1/z⟩) ⟨|Δr|²⟩ (z ≈ 14 Voronoi neighbours)
    from softness_entropy.analysis.propensity import voronoi_cells
    from softness_entropy.gsd_io import read_configuration

    for c, frame in enumerate((0, 2)):
        conf = read_configuration(trajectory, frame)
        _, (i, _) = voronoi_cells(conf.box_length, conf.positions)
        z = np.bincount(i, minlength=conf.n_particles)[ens.a_index]
        expected = ((1 + 1 / z) * ens.propensity[c, 0]).mean()
        assert ens.propensity_cage[c, 0].mean() == pytest.approx(expected, rel=0.03)
    assert ens.record["particle_steps"] == 2 * 3 * STEPS[-1] * 400
    assert ens.record["engine"] == engine and ens.record["resumes"] == 0


@requires_lammps
@requires_hoomd
@pytest.mark.hoomd
def test_engines_give_the_same_propensity(trajectory, tmp_path):
    """Same positions, same member velocities, same Nosé–Hoover physics: the engines
    agree to round-off at the first time and in distribution at the last, where the
    trajectories have decorrelated chaotically (15 % over 960 particle-members)."""
    for name in ("l", "h"):
        (tmp_path / name).mkdir()
    a, b = run(trajectory, tmp_path / "l", "lammps"), run(trajectory, tmp_path / "h", "hoomd")
    np.testing.assert_allclose(b.propensity[:, 0], a.propensity[:, 0], rtol=1e-4)
    np.testing.assert_allclose(b.propensity_cage[:, 0], a.propensity_cage[:, 0], rtol=1e-3)
    for key in ("propensity", "propensity_cage"):
        last_a, last_b = getattr(a, key)[:, -1].mean(), getattr(b, key)[:, -1].mean()
        assert last_b == pytest.approx(last_a, rel=0.15), key


@requires_lammps
@pytest.mark.parametrize(("stop", "where"), [(2, "member 2 of configuration 0"),
                                             (3, "member 0 of configuration 1")])  # fmt: skip
def test_a_stopped_run_resumes_to_the_uninterrupted_result(
    trajectory, tmp_path, monkeypatch, stop, where
):
    """Stopped (as at a walltime) inside a configuration's ensemble or at its end,
    resumed: bit for bit the uninterrupted result (members are deterministic),
    resumes counted, the engine recorded."""
    (tmp_path / "whole").mkdir()
    (tmp_path / "parts").mkdir()
    whole = run(trajectory, tmp_path / "whole")
    calls = {"n": 0}

    def stop_at(limit):
        calls["n"] += 1
        return calls["n"] > stop

    monkeypatch.setattr(iso, "past_deadline", stop_at)
    with pytest.raises(WalltimeReached, match=where):
        run(trajectory, tmp_path / "parts")
    monkeypatch.undo()
    resumed = run(trajectory, tmp_path / "parts")
    assert resumed.record["resumes"] == 1
    assert resumed.record["engine"] == "lammps" and resumed.record["engine_version"]
    np.testing.assert_array_equal(resumed.propensity, whole.propensity)
    np.testing.assert_array_equal(resumed.propensity_cage, whole.propensity_cage)


@requires_lammps
def test_a_checkpoint_of_other_inputs_is_discarded(trajectory, tmp_path, monkeypatch):
    """A checkpoint left by a run of other settings (here: other starting frames) is
    not resumed: the result is the fresh run's."""
    (tmp_path / "fresh").mkdir()
    fresh = run(trajectory, tmp_path / "fresh", frames=(0, 2), identity="new")
    calls = {"n": 0}

    def stop_at_third(limit):
        calls["n"] += 1
        return calls["n"] > 2

    monkeypatch.setattr(iso, "past_deadline", stop_at_third)
    with pytest.raises(WalltimeReached):
        run(trajectory, tmp_path, frames=(1, 0), identity="old")
    monkeypatch.undo()
    assert (tmp_path / "iso.ckpt.npz").exists()
    again = run(trajectory, tmp_path, frames=(0, 2), identity="new")
    assert again.record["resumes"] == 0
    np.testing.assert_array_equal(again.propensity, fresh.propensity)


def test_member_velocities_are_distinct_reproducible_and_exact(liquid_configuration):
    conf = replace(liquid_configuration, velocities=None)
    masses = KOB_ANDERSEN.masses
    v = {(f, m): iso.member_velocities(SP, f, m, conf, masses) for f in (0, 7) for m in range(4)}
    keys = list(v)
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            assert not np.allclose(v[keys[x]], v[keys[y]])
    np.testing.assert_array_equal(iso.member_velocities(SP, 7, 2, conf, masses), v[(7, 2)])
    for u in v.values():
        np.testing.assert_allclose(u.sum(axis=0), 0.0, atol=1e-10)  # m_A = m_B = 1
        assert (u**2).sum() / (3 * len(u) - 3) == pytest.approx(SP["T"], rel=1e-12)
