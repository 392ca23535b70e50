"""Analysis hot paths against straightforward implementations, in one run.

    python benchmarks/bench_analysis.py

* phop (eq. 2) for 32768 particles × 1000 frames (target ≤ 5 s): the vectorised
  cumulative-sum implementation against the per-frame loop of the definition
  (timed on 100 frames and scaled ×10, it is linear in the frame count).
* Structure functions + local s2 of one 32768-particle frame (target ≤ 1 s): ours
  (scipy periodic k-d tree neighbour query, Gaussians on the μ grid) against a plain
  numpy version (minimum-image distances centre by centre, timed on 200 centres and
  scaled).
* The neighbour query behind them (every pair within the grid's reach, ≈ 200
  neighbours per particle): scipy's periodic k-d tree, which ``analysis.structure``
  uses, against freud's AABB query, which the field's codes use — the measured reason
  ``structure.py`` does not use freud here (same pair count checked).
Results go to benchmarks/results/analysis.json.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from softness_entropy.analysis.phop import phop, phop_reference
from softness_entropy.analysis.structure import (
    StructureGrid,
    _neighbours,
    _points_tree,
    local_densities,
    local_s2,
    structure_functions,
)

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn, *args, repeats: int = 2):
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, out


def plain_structure_functions(L, pos, typeid, centres, grid):
    mu, w = grid.mu, grid.width
    out = np.zeros((len(centres), 2, len(mu)))
    for c, i in enumerate(centres):
        d = pos - pos[i]
        d -= L * np.round(d / L)
        r = np.sqrt((d * d).sum(axis=1))
        r[i] = np.inf
        for k in (0, 1):
            rk = r[typeid == k]
            out[c, k] = np.exp(-((rk[:, None] - mu) ** 2) / (2 * w * w)).sum(axis=0)
    return out


def scipy_pairs(L, pos, r_max) -> int:
    """Pairs within r_max by the query ``analysis.structure`` runs (self pairs dropped)."""
    q, p, _ = _neighbours(_points_tree(L, pos), L, pos, r_max)
    return int((q != p).sum())


def freud_pairs(L, pos, r_max) -> int:
    """Pairs within r_max by freud's AABB query (i = j excluded)."""
    import freud

    box = freud.box.Box.cube(L)
    query = freud.locality.AABBQuery(box, pos.astype(np.float32))
    nlist = query.query(pos.astype(np.float32), {"r_max": r_max, "exclude_ii": True})
    return len(nlist.toNeighborList())


def main() -> None:
    rng = np.random.default_rng(0)
    n, frames = 32768, 1000
    x = rng.normal(0, 0.1, size=(frames, n, 3)) + rng.uniform(0, 30, size=(1, n, 3))
    x = x.astype(np.float32)
    t_phop, _ = timed(phop, x, 5, repeats=1)
    t_loop, _ = timed(phop_reference, x[:100], 5, repeats=1)
    t_loop *= (frames - 10) / (100 - 10)

    L = (n / 1.2) ** (1 / 3)
    pos = rng.uniform(-L / 2, L / 2, size=(n, 3))
    typeid = (rng.uniform(size=n) < 0.2).astype(np.int32)
    a = np.flatnonzero(typeid == 0)
    grid = StructureGrid()

    def ours():
        G, counts = structure_functions(L, pos, typeid, a, grid)
        return local_s2(G, local_densities(counts), grid)

    t_sf, _ = timed(ours)
    sub = a[:200]
    t_plain, ref = timed(plain_structure_functions, L, pos, typeid, sub, grid, repeats=1)
    t_plain *= len(a) / len(sub)
    G, _ = structure_functions(L, pos, typeid, sub, grid)
    max_diff = float(np.abs(G - ref).max())
    t_scipy, n_scipy = timed(scipy_pairs, L, pos, grid.r_max)
    t_freud, n_freud = timed(freud_pairs, L, pos, grid.r_max)
    result = {
        "phop_32768x1000_s": t_phop,
        "phop_loop_reference_s": t_loop,
        "phop_speedup": t_loop / t_phop,
        "structure_functions_plus_local_s2_32768_s": t_sf,
        "structure_functions_plain_numpy_s": t_plain,
        "structure_functions_speedup": t_plain / t_sf,
        "structure_functions_max_abs_difference": max_diff,
        "neighbour_query_scipy_kdtree_s": t_scipy,
        "neighbour_query_freud_aabb_s": t_freud,
        "neighbour_query_freud_over_scipy": t_freud / t_scipy,
        "neighbour_pairs_scipy_freud": [n_scipy, n_freud],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "analysis.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
