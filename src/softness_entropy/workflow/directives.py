"""signac-flow directives of the operations, from the data space's run parameters.

* HOOMD-blue with ``device = "gpu"``: one GPU per job (``ngpu``);
* ``mpi_ranks`` > 1: that many MPI ranks (``nranks``; the cluster templates launch
  them with the site's MPI launcher); 1 runs in-process, no ``mpiexec`` needed;
* ``threads``: OpenMP threads per rank (LAMMPS ``OPENMP``), exported as
  ``OMP_NUM_THREADS``;
* ``walltime_hours`` and a memory estimate that grows with N and the frame count.

Everything is evaluated per job when scripts are generated, not at import.
"""

from __future__ import annotations


def _params(job) -> dict:
    from .parameters import job_parameters

    return job_parameters(job)


# Directive callables receive the operation's jobs (several for aggregate operations);
# the run parameters are the data space's, the same for every job.


def gpus(*jobs) -> int:
    """One GPU per job where the engine can use one and ``device = "gpu"`` (the engine
    "auto" stands for at submission: :func:`~softness_entropy.engines.submit_time_engine`)."""
    from ..engines import REGISTRY, submit_time_engine

    params = _params(jobs[0])
    engine = REGISTRY[submit_time_engine(params["engine"])]
    return 1 if engine.gpu_capable and params["device"] == "gpu" else 0


def ranks(*jobs) -> int:
    n = int(_params(jobs[0])["mpi_ranks"])
    return n if n > 1 else 0


def threads(*jobs) -> int:
    n = int(_params(jobs[0])["threads"])
    return n if n > 1 else 0


def fork(*jobs) -> bool:
    """MPI ranks or OpenMP threads need a new process, launched with the environment's
    prefix (``srun``/``mpiexec``, ``OMP_NUM_THREADS``): flow runs operations in-process
    otherwise, and the prefix would be ignored."""
    return ranks(*jobs) > 1 or threads(*jobs) > 1


def walltime(*jobs) -> float:
    return float(_params(jobs[0])["walltime_hours"])


def memory_gb(*jobs) -> float:
    """Trajectory analysis holds the A positions of every frame (float64), times the
    number of jobs for aggregate operations."""
    params = _params(jobs[0])
    frames = params["production_time"] / params["frame_interval"] + 1
    n = max(job.cached_statepoint["N"] for job in jobs)
    return round(1.0 + 2.0 * len(jobs) * frames * n * 24 / 1e9, 1)


def simulation_directives() -> dict:
    """Directives of the MD operations (callables evaluated per job)."""
    return {
        "ngpu": gpus,
        "nranks": ranks,
        "omp_num_threads": threads,
        "fork": fork,
        "walltime": walltime,
        "memory": memory_gb,
    }


def analysis_directives() -> dict:
    """Directives of the per-job analysis operations: one core, memory as for MD."""
    return {"walltime": 2.0, "memory": memory_gb}
