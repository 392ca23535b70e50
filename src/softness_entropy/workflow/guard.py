"""What every operation does before it computes: check its inputs, take its lock,
re-check that it is still needed.

signac-flow evaluates conditions before it runs an operation and does not lock, so two
``project.py run`` processes on one data space would both run an eligible operation,
and a state point or parameter edited by hand would surface as a traceback deep inside
a computation.  :func:`exclusive` wraps every operation of the workflow:

1. every job's state point and the project's run parameters are validated (a clear
   error naming the job and the value, before anything is computed or written);
2. the operation's lock is taken (:class:`~.storage.operation_lock`, in the job
   directory, or for an aggregate in the project's ``.locks`` directory); if another
   process holds it, the operation is skipped here with a warning;
3. under the lock, an operation that another process completed meanwhile (its
   post-conditions hold) is not run again;
4. the job files it reads are checked against the SHA-256 their writers stored (a
   truncated, damaged or replaced input is an error naming the file and the operation
   to re-run, before anything is computed).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from .storage import OperationLocked, operation_lock

log = logging.getLogger(__name__)


def validate_jobs(jobs: tuple) -> None:
    """Validate the state point of every job and the project's run parameters."""
    from ..configuration import validate_statepoint
    from ..model import Mixture
    from .parameters import job_parameters

    params = job_parameters(jobs[0])
    mixture = Mixture.from_dict(params["mixture"])
    for job in jobs:
        try:
            validate_statepoint(dict(job.cached_statepoint), mixture)
        except ValueError as err:
            raise ValueError(f"job {job.id} ({job.path}): invalid state point: {err}") from None


def _lock_location(jobs: tuple, operation: str) -> tuple[Path, str]:
    """Lock directory and name of ``operation`` on one job (its directory) or on an
    aggregate (the project's ``.locks`` directory, named by the members' ids)."""
    if len(jobs) == 1:
        return Path(jobs[0].path), operation
    digest = hashlib.sha1("".join(sorted(j.id for j in jobs)).encode()).hexdigest()[:16]
    directory = Path(jobs[0].project.path) / ".locks"
    directory.mkdir(exist_ok=True)
    return directory, f"{operation}-{digest}"


def exclusive(*completed: Callable[..., bool], reads: tuple = ()) -> Callable:
    """Decorate an operation so that it runs in one process at a time and only if not
    ``completed`` (its post-conditions) once the lock is held; then every file of
    ``reads`` (:class:`~.products.Product`) is checked on every job before it runs.

    signac-flow evaluates conditions before it runs an operation and does not lock, so
    two ``project.py run`` processes on one data space would both run an eligible
    operation.  Here the second finds the lock held and skips it with a warning (the
    first is running it), or finds it completed under the lock and does nothing.
    """

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def guarded(*jobs):
            validate_jobs(jobs)
            directory, name = _lock_location(jobs, function.__name__)
            try:
                with operation_lock(directory, name):
                    if completed and all(done(*jobs) for done in completed):
                        log.info("%s on %s: already completed elsewhere", name, directory)
                        return None
                    for job in jobs:
                        for product in reads:
                            product.path(job)
                    log.info("running %s on %s", name, directory)
                    return function(*jobs)
            except OperationLocked as err:
                log.warning("skipped: %s", err)
                return None

        return guarded

    return decorate
