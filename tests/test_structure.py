"""Structure functions (eq. 3), local s2 (eqs. 5-6) and global s2 (eq. 4) on cases
with known answers: three particles, an ideal gas (with its derived bias), a crystal."""

import numpy as np
import pytest
from scipy.stats import poisson

from softness_entropy.analysis.structure import (
    LOCAL_DENSITY_RADIUS,
    RDFGrid,
    StructureGrid,
    inverse_logistic,
    local_densities,
    local_s2,
    local_s2_integrand,
    pair_excess_entropy,
    species_rdfs,
    structure_functions,
)

GRID = StructureGrid()


def test_paper_grid():
    mu = GRID.mu
    assert mu[0] == pytest.approx(0.4) and mu[1] - mu[0] == pytest.approx(0.14)
    assert mu[-1] <= 3.0 < mu[-1] + 0.14
    assert len(StructureGrid(step=0.1).mu) == 27  # the authors' code: 0.4, 0.5, ..., 3.0


def test_three_particles_by_hand():
    pos = np.array([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [0.0, 0.0, 1.7]])
    typeid = np.array([0, 0, 1])
    G, counts = structure_functions(20.0, pos, typeid, np.array([0]), GRID)
    w = GRID.width
    expected_a = np.exp(-((1.1 - GRID.mu) ** 2) / (2 * w * w))
    expected_b = np.exp(-((1.7 - GRID.mu) ** 2) / (2 * w * w))
    np.testing.assert_allclose(G[0, 0], expected_a, atol=3e-3)  # Gaussians cut at 3.5 w
    np.testing.assert_allclose(G[0, 1], expected_b, atol=3e-3)
    big = np.abs(GRID.mu - 1.1) < 3 * w
    np.testing.assert_allclose(G[0, 0, big], expected_a[big], rtol=1e-6)
    assert counts.tolist() == [[1, 1]]


def ideal_gas(n, density, seed):
    rng = np.random.default_rng(seed)
    L = (n / density) ** (1 / 3)
    pos = rng.uniform(-L / 2, L / 2, size=(n, 3))
    typeid = (rng.uniform(size=n) < 0.2).astype(np.int32)
    return L, pos, typeid


def test_ideal_gas_local_s2_and_its_derived_bias():
    """Averaged G of an ideal gas gives g = 1 and s2 = 0.  A single particle's g is noisy
    and f(g) = g ln g - g + 1 is convex, so its s2 is biased negative: by the delta
    method with Poisson statistics (G and the sphere count n are correlated,
    Cov(G, n) = E[G]), Var g(mu) = sqrt(pi) / (8 pi^2 mu^2 rho_K w) - 1 / (rho_K V),
    V = 4/3 pi 3^3, and E f(g) = Var g / 2.  Where Var g is small (mu >= 1.5) each term
    of eq. 6 must match -2 pi rho_K (Var g / 2) mu^2 L(mu - eta) dmu.  Over the whole
    grid two exact bounds hold: f >= 0 (s2 <= its mu >= 1.5 terms) and, from
    ln g <= g - 1, f(g) <= (g - 1)^2 (s2 >= the sum with Var g in place of Var g / 2);
    the delta method summed over the whole grid (-1.53) is the estimate in between."""
    L, pos, typeid = ideal_gas(30000, 1.2, seed=1)
    centres = np.flatnonzero(typeid == 0)[:6000]
    G, counts = structure_functions(L, pos, typeid, centres, GRID)
    rho_local = local_densities(counts)
    s2 = local_s2(G, rho_local, GRID)
    averaged = local_s2(G.mean(axis=0, keepdims=True), rho_local.mean(axis=0, keepdims=True))
    assert abs(averaged[0]) < 0.01
    terms = local_s2_integrand(G, rho_local, GRID).mean(axis=0)  # (K, M)
    mu, w = GRID.mu, GRID.width
    volume = 4 / 3 * np.pi * LOCAL_DENSITY_RADIUS**3
    rho_k = np.array([np.mean(typeid == k) for k in (0, 1)]) * 1.2
    var = np.sqrt(np.pi) / (8 * np.pi**2 * mu**2 * rho_k[:, None] * w) - 1 / (
        rho_k[:, None] * volume
    )
    damping = 1 / (1 + np.exp((mu - 2.0) / 0.1))  # eq. 6's inverse logistic, eta = 2
    predicted = -2 * np.pi * rho_k[:, None] * var / 2 * mu**2 * damping
    predicted *= GRID.step
    sel = mu >= 1.5
    np.testing.assert_allclose(terms[0, sel], predicted[0, sel], rtol=0.12, atol=2e-4)
    np.testing.assert_allclose(terms[1, sel], predicted[1, sel], rtol=0.25, atol=2e-4)
    # the whole grid: exact bounds, and the delta method's estimate (≈ −1.53)
    assert 2 * predicted.sum() < s2.mean() < 0.9 * predicted[:, sel].sum()
    assert s2.mean() == pytest.approx(predicted.sum(), abs=0.2)


def test_inverse_logistic_known_values():
    x = np.array([-50.0, -0.1, 0.0, 0.1, 50.0])
    np.testing.assert_allclose(
        inverse_logistic(x, 0.1), [1.0, 1 / (1 + np.exp(-1)), 0.5, 1 / (1 + np.e), 0.0],
        rtol=1e-12, atol=1e-200,
    )  # fmt: skip
    y = np.linspace(-1, 1, 21)
    np.testing.assert_allclose(inverse_logistic(y, 0.2) + inverse_logistic(-y, 0.2), 1.0)


def test_a_coordinate_at_the_box_edge_is_wrapped():
    """np.mod(x + L/2, L) returns exactly L for x just below L/2; the periodic k-d tree
    would raise on it."""
    L = 7.0
    pos = np.random.default_rng(0).uniform(-L / 2, L / 2, size=(500, 3))
    pos[0, 0] = np.nextafter(L / 2, 0) - L  # just above -L/2: (x + L/2) mod L == L
    assert np.any(np.mod(pos[:, 0] + L / 2, L) >= L)
    typeid = (np.arange(500) % 5 == 0).astype(np.int32)
    G, _ = structure_functions(L, pos, typeid, np.arange(10), StructureGrid(mu_max=2.5))
    assert np.isfinite(G).all()
    with pytest.raises(ValueError, match=r"typeid values must lie in 0\.\.1"):
        structure_functions(L, pos, typeid + 1, np.arange(10), StructureGrid(mu_max=2.5))


def expected_f_poisson(lam: float, multiplicity: int = 1) -> float:
    """E[g ln g - g + 1] for g = m n / lam, n ~ Poisson(lam / m) (exact sum over n)."""
    mean = lam / multiplicity
    n = np.arange(0, int(mean + 12 * np.sqrt(mean) + 30))
    pmf = poisson.pmf(n, mean)
    g = multiplicity * n / lam
    return float(np.sum(pmf * np.where(n > 0, g * np.log(np.where(n > 0, g, 1.0)), 0.0)))


def test_ideal_gas_global_s2_is_its_finite_size_bias():
    """The counts in a bin of the frame-accumulated g have mean
    lam = N_c F rho_K 4 pi r^2 dr (N_c centres, F frames): Poisson for the other species,
    twice a Poisson(lam/2) for the centres' own species (every pair is counted from both
    ends).  So the ideal gas's s2 is -2 pi sum_K rho_K sum_bins E[f(g)] r^2 dr: about
    -m n_bins/(4 N_c F) per species (m = 2 or 1) where lam is large, a little more from
    the nearly empty bins at small r."""
    frames = [ideal_gas(20000, 1.2, seed) for seed in range(3)]
    grid = RDFGrid()
    r, g, rho = species_rdfs([(L, p, t) for L, p, t in frames], grid=grid)
    np.testing.assert_allclose(g[:, r > 0.5].mean(axis=1), 1.0, atol=0.01)
    n_centres = np.mean([np.sum(t == 0) for _, _, t in frames])
    dr = grid.bin_width
    expected = 0.0
    for k, rho_k in enumerate(rho):
        lam = n_centres * len(frames) * rho_k * 4 * np.pi * r**2 * dr
        m = 2 if k == 0 else 1
        expected += (
            -2
            * np.pi
            * rho_k
            * dr
            * sum(expected_f_poisson(x, m) * ri**2 for x, ri in zip(lam, r, strict=True))
        )
    assert expected < 0
    assert pair_excess_entropy(r, g, rho) == pytest.approx(expected, rel=0.15)


def fcc(cells, density):
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    idx = np.indices((cells,) * 3).reshape(3, -1).T
    unit = (idx[:, None, :] + basis[None]).reshape(-1, 3)
    a = (4 / density) ** (1 / 3)
    return cells * a, unit * a - cells * a / 2, a


def test_crystal_structure_functions_peak_at_the_shells_and_s2_is_low():
    L, pos, a = fcc(6, 1.2)
    typeid = np.zeros(len(pos), dtype=np.int32)
    fine = StructureGrid(step=0.02, width=0.05)
    G, _ = structure_functions(L, pos, typeid, np.arange(10), fine)
    profile = G[:, 0].mean(axis=0)
    first_shell = a / np.sqrt(2)
    # G grows like mu^2 on average: the shells stand out in G / mu^2
    first = np.argmax(profile / fine.mu**2)
    assert fine.mu[first] == pytest.approx(first_shell, abs=0.02)
    # 12 neighbours in the first shell: the Gaussian peak height is 12 (sharp shell)
    assert profile[first] == pytest.approx(12.0, rel=0.05)
    second = fine.mu[(fine.mu > 1.2 * first_shell) & (fine.mu < 1.6 * first_shell)]
    peak2 = second[np.argmax(profile[np.isin(fine.mu, second)])]
    assert peak2 == pytest.approx(a, abs=0.02)
    # global s2 of the thermal-less crystal is far below the ideal gas / liquid range
    r, g, rho = species_rdfs([(L, pos, typeid)], grid=RDFGrid(bin_width=0.02))
    assert pair_excess_entropy(r, g, rho[:1] if rho[1] == 0 else rho) < -10


def test_small_box_is_rejected_clearly():
    L, pos, typeid = ideal_gas(300, 1.2, 0)
    with pytest.raises(ValueError, match="too small"):
        structure_functions(L, pos, typeid, np.arange(5), GRID)


def test_grouped_rdfs_of_random_groups_and_of_a_crystal():
    from softness_entropy.analysis.structure import grouped_rdfs

    L, pos, typeid = ideal_gas(20000, 1.2, seed=5)
    labels = np.where(typeid == 0, np.random.default_rng(0).integers(0, 3, len(typeid)), -1)
    r, g = grouped_rdfs([(L, pos, typeid)], [labels], 3)
    assert g.shape == (3, 2, RDFGrid().bins)
    far = r > 0.5
    np.testing.assert_allclose(g[:, :, far].mean(axis=2), 1.0, atol=0.02)  # ideal gas: g = 1
    assert np.all(g[:, :, r < 0.3] == 0)
    rho = np.array([np.mean(typeid == k) for k in (0, 1)]) * 1.2
    for b in range(3):
        assert abs(pair_excess_entropy(r, g[b], rho)) < 0.1
    # a crystal group is far more ordered than an ideal-gas group
    Lc, pc, _ = fcc(6, 1.2)
    tc = np.zeros(len(pc), dtype=np.int32)
    rc, gc = grouped_rdfs([(Lc, pc, tc)], [np.zeros(len(pc), dtype=int)], 1)
    assert pair_excess_entropy(rc, gc[0], np.array([1.2, 0.0])) < -10
