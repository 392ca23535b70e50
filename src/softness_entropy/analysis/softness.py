"""Softness: a linear SVM on structure functions (paper §II.B).

Features are the structure functions G_K(μ) (K = A, B; flattened to 2M numbers).  Each
feature is standardised to zero mean and unit variance (the paper's per-(K, μ)
scaling), a linear SVM (``LinearSVC``) separates soft (label 1, rearranging) from hard
(label 0) examples, with balanced classes (the larger class is subsampled at random),
C chosen by 5-fold cross-validation (the best accuracy, or the one-standard-error rule
of :func:`one_standard_error_rule`) and a stratified held-out test split.

Softness S is the SVM decision function w·x̂ + b of the standardised features x̂
(positive: on the soft side).  Dividing by :math:`|w|` would give the geometric distance to the
hyperplane; we keep the decision function, as the paper and the softness literature
do, and store :math:`|w|` with the model.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_path
from .structure import StructureGrid, local_densities, local_s2, structure_functions

#: C values tried by cross-validation
C_GRID: tuple[float, ...] = (0.001, 0.01, 0.1, 1.0, 10.0)


def balance_classes(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices of a class-balanced subset (the larger class subsampled at random)."""
    labels = np.asarray(labels)
    soft, hard = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    n = min(len(soft), len(hard))
    if n == 0:
        raise ValueError(
            f"cannot train softness: {len(soft)} soft and {len(hard)} hard examples "
            "(need both; run longer or at more temperatures)"
        )
    pick = np.concatenate([rng.choice(soft, n, replace=False), rng.choice(hard, n, replace=False)])
    return np.sort(pick)


@dataclass(frozen=True)
class FrameScores:
    """What a softness model gives one configuration (:meth:`SoftnessModel.score`).

    Attributes
    ----------
    softness
        (n,) softness S of the scored particles (distance to the hyperplane in units of
        the standardised features, positive on the soft side).
    s2_local
        (n,) local pair excess entropy s2 (eq. 6; k_B).
    seed_softness
        (n, k) softness under the k robustness models (``seed_planes``), or None when
        not asked for.
    """

    softness: np.ndarray
    s2_local: np.ndarray
    seed_softness: np.ndarray | None = None


@dataclass
class SoftnessModel:
    """A trained softness hyperplane and everything needed to apply it again.

    Attributes
    ----------
    mean, scale : (F,) standardisation of the features.
    coef : (F,) hyperplane normal w in standardised features; intercept : b.
    C : the regularisation chosen by cross-validation.
    grid : the structure-function grid the features were computed on.
    system : {"delta": Δ, "rho": ρ} the model was trained for.
    metrics : accuracies and sizes (cross-validation, test, examples).
    seed_planes : (k, F + 1) the robustness models' hyperplanes in raw features, weights
        then offset (S_k = x·w_k + b_k), or None: the seed spread of anything computed
        from S (claim 4's ρ(S, s2)) without scoring twice.
    scoring : how its features were made, so that scoring anything else uses the same:
        ``s2_eta`` and ``s2_damping_width`` of local s2 (eq. 6, σ_AA) and
        ``force_tolerance``, the FIRE tolerance of the inherent structures it was
        trained on (ε_AA/σ_AA); empty in a model saved before it was recorded.
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    C: float
    grid: StructureGrid
    system: dict[str, float]
    metrics: dict[str, Any] = field(default_factory=dict)
    scoring: dict[str, float] = field(default_factory=dict)
    seed_planes: np.ndarray | None = None

    def score(
        self,
        box_length: float,
        positions: np.ndarray,
        typeid: np.ndarray,
        index: np.ndarray,
        seeds: bool = False,
    ) -> FrameScores:
        """S and local s2 of the particles ``index`` of one configuration (an inherent
        structure: box edge and positions in σ_AA): the structure functions on the
        model's grid (eq. 3), S = w·x̂ + b, and local s2 (eq. 6) with the model's η
        and damping.  The one implementation of "configuration → S, s2".  With
        ``seeds``, also the softness of the robustness models (``seed_planes``)."""
        missing = {"s2_eta", "s2_damping_width"} - set(self.scoring)
        if missing:
            raise ValueError(
                f"this model does not record {sorted(missing)} (saved by an older version): "
                "re-run train_svm to recreate it"
            )
        G, counts = structure_functions(box_length, positions, typeid, index, self.grid)
        s = self.softness(G.reshape(len(index), -1))
        s2 = local_s2(
            G,
            local_densities(counts),
            self.grid,
            self.scoring["s2_eta"],
            self.scoring["s2_damping_width"],
        )
        if not seeds:
            return FrameScores(s, s2)
        planes = np.zeros((0, G[0].size + 1)) if self.seed_planes is None else self.seed_planes
        x = np.asarray(G, dtype=np.float64).reshape(len(index), -1)
        return FrameScores(s, s2, x @ planes[:, :-1].T + planes[:, -1])

    def raw_plane(self) -> np.ndarray:
        """(F + 1,) this model's hyperplane in raw features: weights, then offset."""
        w = self.coef / self.scale
        return np.r_[w, self.intercept - self.mean @ w]

    def softness(self, features: np.ndarray) -> np.ndarray:
        """S = w·x̂ + b for (n, F) features (structure functions, flattened)."""
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.coef):
            raise ValueError(
                f"features must have shape (n, {len(self.coef)}) for this model's grid; "
                f"got {x.shape}"
            )
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def save(self, path: str | os.PathLike) -> None:
        """Write the model atomically as ``.npz`` (arrays) with JSON metadata inside."""
        path = Path(path)
        meta = {
            "intercept": self.intercept,
            "C": self.C,
            "grid": asdict(self.grid),
            "system": self.system,
            "metrics": self.metrics,
            "scoring": self.scoring,
            "format": "softness-entropy softness model v1",
        }
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            extra = {} if self.seed_planes is None else {"seed_planes": self.seed_planes}
            np.savez(f, mean=self.mean, scale=self.scale, coef=self.coef,
                     meta=np.array(json.dumps(meta)), **extra)  # fmt: skip

    @classmethod
    def load(cls, path: str | os.PathLike) -> SoftnessModel:
        """Read a model written by :meth:`save`; ValueError naming the file otherwise."""
        try:
            with np.load(path) as data:
                meta = json.loads(str(data["meta"]))
                arrays = {k: data[k] for k in ("mean", "scale", "coef")}
                seed_planes = data["seed_planes"] if "seed_planes" in data else None
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as err:
            raise ValueError(
                f"{path} is not a softness model ({err}); re-run train_svm to recreate it"
            ) from None
        return cls(
            mean=arrays["mean"],
            scale=arrays["scale"],
            coef=arrays["coef"],
            intercept=float(meta["intercept"]),
            C=float(meta["C"]),
            grid=StructureGrid(**meta["grid"]),
            system=meta["system"],
            metrics=meta.get("metrics", {}),
            scoring=meta.get("scoring", {}),
            seed_planes=seed_planes,
        )


def one_standard_error_rule(cv_results: dict) -> int:
    """Index of the most regularised C (smallest, the grid ascending) whose mean
    cross-validated accuracy is within one standard error of the best one (Hastie,
    Tibshirani & Friedman, *Elements of Statistical Learning*, §7.10).

    The plain maximum picked the grid's weakest regularisation (C = 10) in three of
    five workstation systems, with hyperplanes that turned with the seed (cosines
    down to 0.18): 54 strongly correlated structure functions leave directions the
    data barely constrain.
    """
    mean = np.asarray(cv_results["mean_test_score"], dtype=float)
    std = np.asarray(cv_results["std_test_score"], dtype=float)
    folds = sum(1 for k in cv_results if k.startswith("split") and k.endswith("_test_score"))
    best = int(np.argmax(mean))
    threshold = mean[best] - std[best] / np.sqrt(max(folds, 1))
    return int(np.flatnonzero(mean >= threshold)[0])


def train_softness(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    grid: StructureGrid,
    system: dict[str, float],
    seed: int = 0,
    test_fraction: float = 0.2,
    c_grid: tuple[float, ...] = C_GRID,
    C: float | None = None,
    c_rule: str = "best",
) -> SoftnessModel:
    """Train the softness SVM (module docstring) and report its accuracies.

    ``C`` fixes the regularisation instead of choosing it by cross-validation: the
    seed-robustness models of a system reuse the C its first model chose, so that the
    hyperplanes compared differ by their data (subsample, split, solver seed) only.
    ``c_rule``: "best" (the highest cross-validated accuracy) or "one_se"
    (:func:`one_standard_error_rule`).
    """
    from sklearn.model_selection import GridSearchCV, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(seed)
    x, y = np.asarray(features, dtype=np.float64), np.asarray(labels, dtype=np.int64)
    pick = balance_classes(y, rng)
    x, y = x[pick], y[pick]
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    pipe = make_pipeline(StandardScaler(), LinearSVC(random_state=seed, max_iter=20_000))
    n_folds = int(min(5, np.bincount(y_train).min()))
    if n_folds < 2:
        raise ValueError("too few examples per class for cross-validation")
    rule = one_standard_error_rule if c_rule == "one_se" else True
    grid_c = sorted(c_grid) if C is None else [C]
    search = GridSearchCV(pipe, {"linearsvc__C": grid_c}, cv=n_folds, refit=rule)
    search.fit(x_train, y_train)
    best = search.best_estimator_
    scaler, svm = best.named_steps["standardscaler"], best.named_steps["linearsvc"]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return SoftnessModel(
        mean=scaler.mean_.copy(),
        scale=scale,
        coef=svm.coef_[0].copy(),
        intercept=float(svm.intercept_[0]),
        C=float(search.cv_results_["param_linearsvc__C"][search.best_index_]),
        grid=grid,
        system=dict(system),
        metrics={
            "cv_accuracy": float(search.cv_results_["mean_test_score"][search.best_index_]),
            "test_accuracy": float(best.score(x_test, y_test)),
            "n_train": len(y_train),
            "n_test": len(y_test),
            "n_per_class": len(y) // 2,
            "weight_norm": float(np.linalg.norm(svm.coef_[0])),
        },
    )


def hyperplane_similarity(models: list[SoftnessModel]) -> np.ndarray:
    """Pairwise cosine similarity of hyperplane normals (in standardised features)."""
    w = np.stack([m.coef / np.linalg.norm(m.coef) for m in models])
    return w @ w.T


def accuracy_soft_given_positive(softness: np.ndarray, rearranging: np.ndarray) -> float:
    """P(R | S > 0): the fraction of S > 0 particles that rearrange (paper §II.B)."""
    positive = np.asarray(softness) > 0
    if not positive.any():
        return float("nan")
    return float(np.asarray(rearranging, dtype=bool)[positive].mean())


def train_with_seeds(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    grid: StructureGrid,
    system: dict[str, float],
    seeds: int,
    test_fraction: float,
    c_rule: str,
    scoring: dict,
    trained_on: dict,
) -> SoftnessModel:
    """The system's softness model (seed 0; C by ``c_rule``) with its robustness:
    ``seeds − 1`` more models at that C (other class subsamples, splits and solver
    seeds), kept as ``seed_planes``, and the cosines between all their hyperplanes and
    their test accuracies in ``metrics`` after ``trained_on`` (what it was trained on).
    ``scoring``: what scoring needs besides the plane (s2's η and damping, FIRE's
    tolerance, the mixture)."""
    model = train_softness(features, labels, grid=grid, system=system, seed=0,
                           test_fraction=test_fraction, c_rule=c_rule)  # fmt: skip
    models = [model] + [
        train_softness(features, labels, grid=grid, system=system, seed=seed, C=model.C,
                       test_fraction=test_fraction)
        for seed in range(1, seeds)
    ]  # fmt: skip
    model.scoring = scoring
    model.seed_planes = np.array([m.raw_plane() for m in models[1:]]) if len(models) > 1 else None
    cosines = hyperplane_similarity(models)
    off_diagonal = cosines[~np.eye(len(models), dtype=bool)]
    model.metrics.update(
        {
            **trained_on,
            "hyperplane_cosine_min": float(off_diagonal.min()) if len(off_diagonal) else 1.0,
            "hyperplane_cosine_mean": float(off_diagonal.mean()) if len(off_diagonal) else 1.0,
            "test_accuracy_seeds": [m.metrics["test_accuracy"] for m in models],
        }
    )
    return model


@dataclass(frozen=True)
class TrajectoryScores:
    """S and local s2 of the A particles in every frame of an inherent-structure
    trajectory (:func:`score_frames`).

    Attributes
    ----------
    softness, s2_local : numpy.ndarray
        (frames, n_A) float32 S and local s2 (k_B).
    seed_pearson : list
        ρ(S, s2) over all frames with each robustness model's softness (``seed_planes``).
    """

    softness: np.ndarray
    s2_local: np.ndarray
    seed_pearson: list[float]


def score_frames(model: SoftnessModel, frames, n_frames: int, a_index: np.ndarray
                 ) -> TrajectoryScores:  # fmt: skip
    """Score the particles ``a_index`` of ``n_frames`` configurations (an iterable of
    objects with ``box_length``, ``positions``, ``typeid``) with ``model``, one frame at a
    time, and correlate each robustness model's softness with s2 as it goes."""
    from .streaming import RunningCorrelation

    softness = np.empty((n_frames, len(a_index)), dtype=np.float32)
    s2 = np.empty_like(softness)
    n_seeds = 0 if model.seed_planes is None else len(model.seed_planes)
    seed_rho = [RunningCorrelation() for _ in range(n_seeds)]
    for k, conf in enumerate(frames):
        scores = model.score(conf.box_length, conf.positions, conf.typeid, a_index, seeds=True)
        softness[k], s2[k] = scores.softness, scores.s2_local
        for i, running in enumerate(seed_rho):
            running.add(scores.seed_softness[:, i], s2[k])
    return TrajectoryScores(softness, s2, [running.pearson for running in seed_rho])


def softness_summary(scores: TrajectoryScores, rows: np.ndarray, rearranging: np.ndarray
                     ) -> dict:  # fmt: skip
    """The state's softness record: S and s2 statistics, ρ(S, s2) over all frames (and
    with each robustness model), and how S classifies the rearranging particles at the
    labelled phop ``rows`` (``rearranging``: phop > p_S there): P(R | S > 0) as the paper
    writes it, and P(S > 0 | R), the fraction of rearranging particles classified soft
    (what its quoted 40–80 % behave like)."""
    softness, s2 = scores.softness, scores.s2_local
    s_rows = softness[rows]
    return {
        "mean_S": float(softness.mean()),
        "std_S": float(softness.std()),
        "fraction_S_positive": float((softness > 0).mean()),
        "mean_s2_local": float(s2.mean()),
        "pearson_S_s2_is_frames": float(np.corrcoef(softness.ravel(), s2.ravel())[0, 1]),
        "pearson_S_s2_seeds": scores.seed_pearson,
        "P_R_given_S_positive": accuracy_soft_given_positive(s_rows, rearranging),
        "P_S_positive_given_R": float((s_rows[rearranging] > 0).mean())
        if rearranging.any()
        else float("nan"),
        "P_R": float(rearranging.mean()),
    }
