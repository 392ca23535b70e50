"""Isoconfigurational propensity and its correlation with predictors, against known
answers: planted mobilities, a planted collective drift, scipy.stats."""

import numpy as np
import pytest
from conftest import requires_lammps
from scipy import stats

from softness_entropy.analysis.propensity import (
    cage_relative,
    correlation_with_propensity,
    curve_summary,
    propensity,
    propensity_steps,
    start_frames,
    voronoi_cells,
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
    _, neighbours = voronoi_cells(L, positions)
    i, j = neighbours
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


def test_voronoi_cells_of_crystals_are_their_wigner_seitz_cells():
    """Simple cubic: every cell a cube of volume a³ with its 6 face neighbours at
    distance a; fcc: rhombic dodecahedra of volume a³/4 with 12 neighbours at a/√2."""
    a, k = 1.3, 5
    grid = np.stack(np.meshgrid(*[np.arange(k)] * 3, indexing="ij"), -1).reshape(-1, 3) * a
    L = k * a
    for positions, volume, count, distance in (
        (grid, a**3, 6, a),
        (np.concatenate([grid + a * np.array(o) for o in
                         [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]]),
         a**3 / 4, 12, a / np.sqrt(2)),
    ):  # fmt: skip
        positions = positions - L / 2 + 0.01  # inside the box, off the faces
        volumes, (i, j) = voronoi_cells(L, positions)
        np.testing.assert_allclose(volumes, volume, rtol=1e-4)
        assert volumes.sum() == pytest.approx(L**3, rel=1e-6)
        np.testing.assert_array_equal(np.bincount(i, minlength=len(positions)), count)
        d = positions[j] - positions[i]
        d -= L * np.round(d / L)
        np.testing.assert_allclose(np.linalg.norm(d, axis=1), distance, rtol=1e-4)


def test_particle_energies_sum_to_the_potential_energy():
    from softness_entropy.analysis.pair_energy import (
        energy_and_virial_pressure,
        particle_energies,
    )

    rng = np.random.default_rng(6)
    L, n = 7.0, 300
    positions = rng.uniform(-L / 2, L / 2, size=(n, 3))
    typeid = (rng.uniform(size=n) < 0.2).astype(np.int32)
    for delta in (0.0, 0.3):
        e = particle_energies(L, positions, typeid, delta)
        u, _ = energy_and_virial_pressure(L, positions, typeid, delta)
        assert e.sum() / n == pytest.approx(u, rel=1e-12)
    # an isolated pair at distance r: each particle holds half of U_AA(r) of eq. 1
    from softness_entropy import model

    pair = np.array([[0.0, 0.0, 0.0], [1.2, 0.0, 0.0]])
    e = particle_energies(10.0, pair, np.zeros(2, dtype=np.int32), 0.1)
    u = model.pair_energy(np.array([1.2]), model.pair_parameters(0.1)[("A", "A")])[0]
    np.testing.assert_allclose(e, [u / 2, u / 2], rtol=1e-12)


def test_propensity_times_and_starting_frames():
    steps = propensity_steps(tau_alpha=20.0, dt=0.002, first=0.1, last=10.0, per_decade=4)
    assert len(steps) == 9 and steps[0] == 1000 and steps[-1] == 100_000
    np.testing.assert_allclose(np.diff(np.log10(steps)), 0.25, atol=1e-3)
    # a τα shorter than the step: the times collapse onto distinct whole steps
    assert propensity_steps(0.001, 0.002, 0.1, 3.0, 4).tolist() == [1, 2]
    with pytest.raises(ValueError, match="finite τα"):
        propensity_steps(float("nan"), 0.002, 0.1, 3.0, 4)
    assert start_frames(101, 1.0, 12.3, 1.0, 4).tolist() == [0, 13, 26, 39]
    assert start_frames(101, 1.0, 0.2, 1.0, 3).tolist() == [0, 1, 2]  # ≥ a frame apart
    with pytest.raises(ValueError, match="lower propensity_configurations"):
        start_frames(101, 1.0, 40.0, 1.0, 4)


def test_curve_summary_reads_the_value_at_tau_alpha_and_the_peak():
    t = np.array([0.1, 0.3, 0.9, 2.7])
    v = np.array([0.1, 0.5, 0.4, -0.6])
    iv = np.stack([v - 0.05, v + 0.05], axis=1)
    out = curve_summary(t, v, iv)
    assert out["t_at_tau_alpha"] == 0.9 and out["pearson_at_tau_alpha"] == 0.4
    assert out["pearson_at_tau_alpha_lo"] == pytest.approx(0.35)
    assert out["t_peak"] == 2.7 and out["pearson_peak"] == -0.6


VORONOI_AFTER_LAMMPS = """
import numpy as np
from softness_entropy.configuration import cubic_lattice
from softness_entropy.engines import create_engine
from softness_entropy.analysis.propensity import voronoi_cells
conf = cubic_lattice(256, 1.2, np.random.default_rng(0))
with create_engine("lammps", conf, 0.0, dt=0.001, seed=1, device="cpu", threads=1) as md:
    md.thermalize(2.0)
    md.run_nvt(200, 2.0, 0.1)
    conf = md.configuration()
volumes, (i, j) = voronoi_cells(conf.box_length, conf.positions)
np.save("out.npy", np.concatenate([[conf.box_length], volumes, conf.positions.ravel()]))
"""
FREUD_VORONOI = """
import freud, numpy as np
data = np.load("out.npy"); L = data[0]; n = 256
volumes, positions = data[1 : n + 1], data[n + 1 :].reshape(n, 3)
v = freud.locality.Voronoi()
v.compute((freud.box.Box.cube(L), positions.astype(np.float32)))
print(np.abs(v.volumes - volumes).max() / volumes.mean())
"""


@requires_lammps
def test_voronoi_cells_work_after_lammps_and_equal_freuds(tmp_path):
    """The tessellation runs in a process that has loaded LAMMPS (where freud's voro++
    crashes: voronoi_cells docstring), and its volumes are freud's, computed in a
    process without LAMMPS."""
    import subprocess
    import sys

    for script in (VORONOI_AFTER_LAMMPS, FREUD_VORONOI):
        out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                             text=True, check=False)  # fmt: skip
        assert out.returncode == 0, out.stderr[-2000:]
    assert float(out.stdout) < 1e-5  # freud's float32 positions


def test_the_propensity_table_has_a_line_per_predictor_displacement_and_time():
    from softness_entropy.analysis.propensity import (
        PREDICTORS,
        TABLE_HEADER,
        VARIANTS,
        state_rows,
    )

    curve = {"pearson": [0.1, 0.4], "pearson_interval": [[0.0, 0.2], [0.3, 0.5]],
             "spearman": [0.2, 0.3], "spearman_interval": [[0.1, 0.3], [0.2, 0.4]]}  # fmt: skip
    record = {"times_tau_alpha": [0.5, 1.0], "configurations": 4,
              "curves": {p: {v: curve for v in VARIANTS} for p in PREDICTORS}}  # fmt: skip
    state = {"delta": 0.1, "rho": 1.18, "T": 0.6, "replica": 0}
    lines, summary = state_rows(state, record)
    assert len(lines) == len(PREDICTORS) * len(VARIANTS) * 2
    assert all(len(line.split(",")) == len(TABLE_HEADER.split(",")) for line in lines)
    assert lines[1] == "0.1,1.18,0.6,0,softness,plain,1.0,0.4,0.3,0.5,0.3,0.2,0.4"
    assert len(summary) == len(PREDICTORS) * len(VARIANTS)
    assert summary[0]["configurations"] == 4 and summary[0]["predictor"] == "softness"
