"""Statistics of one state (Δ, ρ, T; its replicas pooled) with block-bootstrap errors.

* the classification accuracy (claim 5; paper §II.B, the authors'
  ``102522-mlj-supplementary.ipynb`` cell 6): P(S > 0 | R), the fraction of the
  rearranging A particles (R: phop > p_S) with positive softness, beside P(S > 0) and
  P(R | S > 0);
* the Pearson correlation ρ(S, s2) of the A particles' softness and local s2 (claim 4;
  Fig. 4a inset).

Both are ratios of per-frame sums, so one moving-block bootstrap serves them: each
job's frames are resampled in blocks (``block`` frames, ≳ τα: a particle's softness
and rearrangements stay correlated that long) and, with several replicas, the replicas
too (as :func:`.barriers.analyse_strata` does).  Errors are half the 16–84 % interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .barriers import one_sigma_interval
from .strata import block_bootstrap_frames


@dataclass(frozen=True)
class FrameSums:
    """One job's per-frame sums, (frames, k) ``sums`` and its bootstrap block (frames)."""

    sums: np.ndarray
    block: int = 1


def _block(job: FrameSums) -> int:
    return int(max(1, min(job.block, len(job.sums) // 2)))


def accuracy_sums(softness: np.ndarray, rearranging: np.ndarray) -> np.ndarray:
    """(F, 4) per frame: samples, samples with S > 0, rearranging samples, rearranging
    samples with S > 0; ``softness``, ``rearranging`` are (F, N) arrays."""
    s = np.asarray(softness) > 0
    r = np.asarray(rearranging, dtype=bool)
    return np.column_stack([np.full(len(s), s.shape[1]), s.sum(1), r.sum(1), (s & r).sum(1)])


def accuracy(sums: np.ndarray) -> dict[str, float]:
    """P(S>0|R), P(S>0), P(R|S>0) from summed :func:`accuracy_sums` columns."""
    n, soft, rearranging, both = (float(x) for x in sums)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "P_S_positive_given_R": both / rearranging if rearranging else float("nan"),
            "P_S_positive": soft / n if n else float("nan"),
            "P_R_given_S_positive": both / soft if soft else float("nan"),
        }


def correlation_sums(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(F, 6) per frame: n, Σx, Σy, Σx², Σy², Σxy of (F, N) arrays ``x``, ``y``."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = np.full(len(x), x.shape[1], dtype=np.float64)
    return np.column_stack([n, x.sum(1), y.sum(1), (x * x).sum(1), (y * y).sum(1),
                            (x * y).sum(1)])  # fmt: skip


def pearson(sums: np.ndarray) -> dict[str, float]:
    """{"pearson_S_s2": ρ} from summed :func:`correlation_sums` columns."""
    n, sx, sy, sxx, syy, sxy = (float(v) for v in sums)
    cov = sxy / n - sx * sy / n**2
    var = (sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2)
    return {"pearson_S_s2": cov / np.sqrt(var) if var > 0 else float("nan")}


def bootstrap_statistic(jobs: list[FrameSums], statistic, n_bootstrap: int = 200,
                        seed: int = 0) -> dict[str, float]:  # fmt: skip
    """``statistic`` (summed columns → {name: value}) of the pooled jobs of one state,
    and ``<name>_error`` from a block bootstrap over frames and replicas (module
    docstring)."""
    point = statistic(np.sum([j.sums.sum(0) for j in jobs], axis=0))
    rng = np.random.default_rng(seed)
    reps: dict[str, list] = {k: [] for k in point}
    for _ in range(n_bootstrap):
        pick = rng.choice(len(jobs), len(jobs)) if len(jobs) > 1 else [0]
        # a block at most half a job's frames: at least two per job (as analyse_strata)
        total = sum(
            jobs[k].sums[block_bootstrap_frames(len(jobs[k].sums), _block(jobs[k]), rng)].sum(0)
            for k in pick
        )
        for name, value in statistic(total).items():
            reps[name].append(value)
    out = dict(point)
    for name, values in reps.items():
        lo, hi = one_sigma_interval(values)
        out[f"{name}_error"] = 0.5 * (hi - lo)
    return out
