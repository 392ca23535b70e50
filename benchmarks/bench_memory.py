"""Peak memory of the analysis stages at the paper's scale, against the data they hold.

    python benchmarks/bench_memory.py

Each stage runs in a fresh process on synthetic paper-scale input (N = 32768,
N_A = 26214, 1001 frames: a random walk) and reports its peak resident memory
(``os.wait4``) next to two references measured in the same run: the interpreter with the
stage's imports and nothing else, and the size of the arrays the stage must hold (the
A-particle trajectory, float32: 0.31 GB).  A stage that streams stays near the import
baseline; one that needs the whole trajectory (MSD, F_s, phop) should need little more
than the trajectory itself.  Results go to benchmarks/results/memory.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
N, N_A, FRAMES = 32768, 26214, 1001

SETUP = f"""
import numpy as np
rng = np.random.default_rng(0)
def trajectory():
    x = np.empty(({FRAMES}, {N_A}, 3), dtype=np.float32)
    x[0] = rng.uniform(0, 30, size=({N_A}, 3))
    for f in range(1, {FRAMES}):
        x[f] = x[f - 1] + rng.normal(0, 0.05, size=({N_A}, 3)).astype(np.float32)
    return x
"""

STAGES = {
    "imports (baseline)": (
        "import freud, gsd.hoomd, h5py, scipy.spatial, sklearn.svm",
        0.0,
    ),
    "dynamics: MSD + F_s of the A trajectory": (
        "from softness_entropy.analysis.dynamics import mean_squared_displacement\n"
        "from softness_entropy.analysis.relaxation import fs_curve\n"
        "x = trajectory()\n"
        "msd = mean_squared_displacement(x)\n"
        "fs = fs_curve(x, 7.14)",
        FRAMES * N_A * 3 * 4,
    ),
    "compute_phop: phop of the A inherent structures": (
        "from softness_entropy.analysis.phop import phop\n"
        "x = trajectory()\n"
        "p = phop(x, 5).astype(np.float32)",
        FRAMES * N_A * 3 * 4,
    ),
    "compute_softness_and_s2: one frame (streamed)": (
        "from softness_entropy.analysis.structure import (StructureGrid, local_densities,\n"
        "    local_s2, structure_functions)\n"
        f"L = ({N} / 1.2) ** (1 / 3)\n"
        f"pos = rng.uniform(-L / 2, L / 2, size=({N}, 3))\n"
        f"typeid = (rng.uniform(size={N}) < 0.2).astype(np.int32)\n"
        "a = np.flatnonzero(typeid == 0)\n"
        "grid = StructureGrid()\n"
        "G, counts = structure_functions(L, pos, typeid, a, grid)\n"
        "s2 = local_s2(G, local_densities(counts), grid)",
        0.0,
    ),
}


def run(code: str) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", SETUP + code])
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"stage failed:\n{code}")
    return usage.ru_maxrss / 1024.0, time.perf_counter() - start


def main() -> None:
    rows = []
    for name, (code, data_bytes) in STAGES.items():
        peak, seconds = run(code)
        rows.append(
            {"stage": name, "peak_rss_mb": peak, "data_mb": data_bytes / 2**20, "seconds": seconds}
        )
    baseline = rows[0]["peak_rss_mb"]
    for r in rows:
        r["above_baseline_mb"] = r["peak_rss_mb"] - baseline
        r["above_baseline_over_data"] = (
            r["above_baseline_mb"] / r["data_mb"] if r["data_mb"] else None
        )
        ratio = r["above_baseline_over_data"]
        print(
            f"{r['stage']:50s} peak {r['peak_rss_mb']:7.0f} MB  (+{r['above_baseline_mb']:6.0f} "
            f"over imports; data {r['data_mb']:5.0f} MB"
            + (f", ×{ratio:.2f})" if ratio else ")")
            + f"  {r['seconds']:.1f} s"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
