"""Cluster environment for ``python project.py submit``: SLURM with GPUs.

signac-flow's generic SLURM environment refuses GPU requests (its partitions have no
GPUs).  :class:`SlurmGpuEnvironment` lets operations ask for GPUs (HOOMD-blue jobs
request one), adds ``--account``, launches MPI ranks with ``srun`` and is selected
wherever ``sbatch`` is on the PATH (or ``SOFTNESS_ENTROPY_SCHEDULER=slurm`` is set, e.g.
to render scripts with ``submit --pretend`` on a laptop).  The job script template is
``templates/script.sh`` (it extends ``base_script``).

Site settings (GPUs per node of a partition, modules to load) go in a site file: copy
``templates/example_site.sh`` to ``templates/site_<name>.sh`` (ignored by git) and
include it from ``templates/script.sh``.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

from flow.environment import DefaultSlurmEnvironment, StandardEnvironment
from flow.scheduling.slurm import SlurmScheduler
from flow.util.template_filters import calc_tasks

SCHEDULER_ENV = "SOFTNESS_ENTROPY_SCHEDULER"
logger = logging.getLogger(__name__)


class ClearSlurmScheduler(SlurmScheduler):
    """SLURM scheduler whose failed queries say what failed.

    signac-flow lets ``squeue``'s CalledProcessError escape as a traceback when the
    controller is down; here it becomes the RuntimeError flow reports as a warning
    (``status --ignore-errors`` then shows the status without the queue).
    Nothing is assumed about the queue when it cannot be read, so ``submit`` still
    refuses rather than risk submitting an operation twice.
    """

    def jobs(self):
        if shutil.which("squeue") is None and shutil.which("sbatch") is None:
            # no SLURM on this machine (SOFTNESS_ENTROPY_SCHEDULER=slurm on a laptop):
            # nothing can be queued here, so the queue is empty; `submit --pretend`
            # renders the scripts, a real submit stops at the missing sbatch
            logger.warning(
                "SLURM is not installed here: the queue is taken as empty "
                "(submit --pretend renders the scripts; submitting needs sbatch)"
            )
            return
        try:
            yield from super().jobs()
        except subprocess.CalledProcessError as err:
            raise RuntimeError(
                f"the SLURM queue could not be read ({' '.join(err.cmd)} exited with "
                f"{err.returncode}): is slurmctld running? `project.py status --ignore-errors` "
                f"shows the status without the queue; set {SCHEDULER_ENV}=none to ignore SLURM here"
            ) from None


class SlurmGpuEnvironment(DefaultSlurmEnvironment):
    """A SLURM cluster whose partitions may have GPUs (module docstring)."""

    mpi_cmd = "srun"
    scheduler_type = ClearSlurmScheduler

    @classmethod
    def is_present(cls) -> bool:
        forced = os.environ.get(SCHEDULER_ENV, "").lower()
        if forced:
            return forced == "slurm"
        return shutil.which("sbatch") is not None

    @classmethod
    def add_args(cls, parser) -> None:
        super().add_args(parser)
        parser.add_argument("--partition", type=str, help="SLURM partition to submit to.")
        parser.add_argument("--account", type=str, help="SLURM account to charge.")

    @classmethod
    def _get_scheduler_values(cls, context):
        """CPU and GPU task counts; any partition may hold GPUs (SLURM itself rejects
        requests a partition cannot meet), so no partition table is consulted."""
        parallel, force = context.get("parallel", False), context.get("force", False)
        return {
            "ncpu_tasks": calc_tasks(context["operations"], "np", parallel, force),
            "ngpu_tasks": calc_tasks(context["operations"], "ngpu", parallel, force),
            "num_nodes": 1,
        }

    @classmethod
    def _get_mpi_prefix(cls, operation, parallel):
        nranks = operation.directives.get("nranks", 0)
        if nranks and nranks > 1:
            return f"{cls.mpi_cmd} --ntasks={nranks} "
        return ""


class LocalEnvironment(StandardEnvironment):
    """This machine without any scheduler, chosen when ``SOFTNESS_ENTROPY_SCHEDULER=none``
    (e.g. a workstation that has SLURM's client tools but no controller).  Defined last,
    so signac-flow checks it first."""

    @classmethod
    def is_present(cls) -> bool:
        return os.environ.get(SCHEDULER_ENV, "").lower() == "none"
