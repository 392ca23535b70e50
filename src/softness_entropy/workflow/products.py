"""The table of products: every file an operation writes, the document record that marks it
written (with its SHA-256), and the operation that writes it, declared once.

A job file is a :class:`Product`; later stages read it through :meth:`Product.path`, which
checks the file against the digest its writer stored (a truncated, damaged or replaced
input is an error naming the file and the operation to re-run, never a silently wrong
result).  Project-level outputs (models, system analyses, results, figures) are named by
the functions and constants below.  Light on purpose: ``project.py status`` imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .storage import checked_input


@dataclass(frozen=True)
class Product:
    """A file in a job directory: ``file`` (its name), ``record`` (the job-document record
    that holds its SHA-256 under ``sha256``) and ``writer`` (the operation that writes it,
    or a function of the job naming it, as error messages tell the user what to re-run)."""

    file: str
    record: str
    writer: str | Callable[[Any], str]

    def writer_of(self, job) -> str:
        """The operation that wrote (or writes) this file of ``job``."""
        return self.writer if isinstance(self.writer, str) else self.writer(job)

    def fn(self, job) -> str:
        """Path of the file in ``job``'s directory (unchecked: for writing)."""
        return job.fn(self.file)

    def exists(self, job) -> bool:
        return job.isfile(self.file)

    def path(self, job) -> str:
        """Path of the file after checking it against its writer's digest."""
        return checked_input(job, self.file, self.record, self.writer_of(job))

    def read_h5(self, job) -> dict:
        """Every dataset of the (checked) HDF5 file (:func:`~softness_entropy.files.read_h5`)."""
        from ..files import read_h5

        return read_h5(self.path(job), self.writer_of(job))


def _equilibration_writer(job) -> str:
    """``equilibrate`` on the hottest rung of a cascade, ``quench`` below it."""
    from .selection import hotter

    return "equilibrate" if hotter(job) is None else "quench"


# -- job files, in pipeline order ------------------------------------------------------
EQUILIBRATED = Product("equilibrated.gsd", "equilibration", _equilibration_writer)
DYNAMICS_TRAJECTORY = Product("dynamics.gsd", "dynamics_window", "dynamics")
DYNAMICS = Product("dynamics.npz", "dynamics", "dynamics")
TRAJECTORY = Product("trajectory.gsd", "production", "production")
INHERENT = Product("inherent.gsd", "inherent_structures", "fire_minimize")
PHOP = Product("phop.h5", "phop", "compute_phop")
TRAINING = Product("training.h5", "training_set", "build_structure_functions")
SOFTNESS = Product("softness.h5", "softness", "compute_softness_and_s2")
ENSEMBLE = Product("isoconfigurational.h5", "isoconfigurational", "isoconfigurational_ensemble")
SCORES = Product("propensity.h5", "propensity", "score_propensity")
#: the dashboard's per-job views (written by ``make_figures``)
DYNAMICS_PLOT = "dynamics.png"
REARRANGEMENTS_PLOT = "rearrangements.png"

#: checkpoints of the resumable runs (job directory)
CHECKPOINTS = {
    "equilibration": "equilibration.ckpt.npz",
    "dynamics": "dynamics.ckpt.npz",
    "production": "production.ckpt.npz",
    "isoconfigurational": "isoconfigurational.ckpt.npz",
}

# -- project files -----------------------------------------------------------------------
MODELS_DIR = "models"
ANALYSIS_DIR = "analysis"
RESULTS_DIR = "results"
FIGURES_DIR = "figures"
#: version of the per-system record, in its file name: a file an older version of
#: fit_arrhenius_barriers wrote is neither read nor taken for a current one
SYSTEM_SCHEMA = 3
RESULTS_CSV = f"{RESULTS_DIR}/results.csv"
VALIDATION_MD = f"{RESULTS_DIR}/validation.md"
VALIDATION_CSV = f"{RESULTS_DIR}/validation.csv"
PROPENSITY_CSV = f"{RESULTS_DIR}/propensity.csv"
FIGURES = ("figure1", "figure2", "figure3", "figure4", "figure5", "figure6")
PROPENSITY_FIGURE = f"{FIGURES_DIR}/propensity.png"


def system_key(sp) -> tuple[float, float]:
    """(Δ, ρ) of a state point: the system it belongs to."""
    return (sp["delta"], sp["rho"])


def model_path(job) -> Path:
    """The softness model file of the job's system (written by ``train_svm``)."""
    delta, rho = system_key(job.cached_statepoint)
    return Path(job.project.path) / MODELS_DIR / f"softness_delta{delta}_rho{rho}.npz"


def system_file(job) -> Path:
    """The barrier analysis of the job's system (written by ``fit_arrhenius_barriers``)."""
    delta, rho = system_key(job.cached_statepoint)
    name = f"system_delta{delta}_rho{rho}.v{SYSTEM_SCHEMA}.json"
    return Path(job.project.path) / ANALYSIS_DIR / name
