"""Statistics over data too large to hold at once, accumulated job by job.

At the paper's scale a system's per-particle softness and s2 over every phop frame of
its 42 jobs are ~10 GB; the project analysis reads one job at a time and keeps only
these accumulators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def stride_sample(values: np.ndarray, cap: int) -> np.ndarray:
    """At most ``cap`` values taken at a regular stride (all of them if there are fewer):
    a deterministic sample for percentiles of very large arrays."""
    flat = np.asarray(values).ravel()
    if flat.size <= cap:
        return flat
    return flat[:: math.ceil(flat.size / cap)]


@dataclass
class RunningCorrelation:
    """Pearson correlation of (x, y) pairs added in chunks (pairwise update of means and
    co-moments, Chan et al. 1979: no loss of precision from large sums)."""

    n: int = 0
    mean_x: float = 0.0
    mean_y: float = 0.0
    m2_x: float = 0.0
    m2_y: float = 0.0
    c_xy: float = 0.0

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        x = np.asarray(x, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError(f"x and y differ in size: {x.size} vs {y.size}")
        if x.size == 0:
            return
        mx, my = x.mean(), y.mean()
        dx, dy = x - mx, y - my
        n_b = x.size
        n = self.n + n_b
        delta_x, delta_y = mx - self.mean_x, my - self.mean_y
        weight = self.n * n_b / n
        self.m2_x += float(dx @ dx) + delta_x * delta_x * weight
        self.m2_y += float(dy @ dy) + delta_y * delta_y * weight
        self.c_xy += float(dx @ dy) + delta_x * delta_y * weight
        self.mean_x += delta_x * n_b / n
        self.mean_y += delta_y * n_b / n
        self.n = n

    @property
    def pearson(self) -> float:
        """ρ(x, y); NaN for fewer than two pairs or a constant variable."""
        denominator = math.sqrt(self.m2_x * self.m2_y)
        return self.c_xy / denominator if self.n > 1 and denominator > 0 else float("nan")
