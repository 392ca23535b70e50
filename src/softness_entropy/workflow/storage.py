"""Safe storage of the signac glue: per-operation locks, serialised document updates,
digest-checked inputs.

* :class:`operation_lock`: one process at a time per (operation, job or aggregate);
  :mod:`.guard` takes it around every operation.
* :func:`set_record` / :func:`drop_record` update one key of a job or project document
  under a lock, so concurrent operations on one job cannot lose each other's records
  (signac rewrites the whole document on every change).
* :func:`checked_input`: a job's file after checking it against the SHA-256 its writer
  stored.  The files themselves are written by :mod:`softness_entropy.files`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from ..files import file_digest

log = logging.getLogger(__name__)


class OperationLocked(RuntimeError):
    """Another process is running this operation on this job."""


class operation_lock:
    """Exclusive, non-blocking lock of one operation on one job (``fcntl.flock``).

    signac-flow does not lock: two ``project.py run`` processes on one data space would
    run the same operation on the same job twice.  The lock file lives in the job
    directory; the kernel releases the lock when its holder dies (kill -9 included).
    """

    def __init__(self, directory: str | os.PathLike, operation: str) -> None:
        self.path = Path(directory) / f".lock-{operation}"
        self.operation = operation
        self._file = None

    def __enter__(self) -> operation_lock:
        import fcntl

        self._file = open(self.path, "a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise OperationLocked(
                f"{self.operation} is already running on {self.path.parent} in another "
                "process; wait for it (or let it finish) instead of running it twice"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def set_record(owner, key: str, value: Any) -> None:
    """``owner.doc[key] = value`` for a signac job or project, under its document lock."""
    import fcntl

    with open(Path(owner.path) / ".lock-document", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        owner.doc[key] = value


def drop_record(owner, key: str) -> None:
    """Remove ``key`` from a job's or project's document (if present), under its lock."""
    import fcntl

    with open(Path(owner.path) / ".lock-document", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        owner.doc.pop(key, None)


# -- documents and file digests ---------------------------------------------------------
def document(owner) -> dict:
    """The document of a signac job or project as a plain dict; a clear error naming
    the file (instead of a bare JSON traceback) if it was damaged or edited into
    invalid JSON.

    Read with ``json`` directly: signac writes documents by atomic replace
    (``write_concern=True``), and ``owner.doc()`` builds synced collections: 13 ms for a
    5 kB job document against 1.1 ms (both measured with both cores busy), which took
    the per-system conditions of 210 paper-scale jobs from 62 s to 11.7 s."""
    import json

    path = Path(owner.path) / owner.FN_DOCUMENT
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    try:
        return json.loads(text)
    except ValueError as err:
        raise ValueError(
            f"{path} is not valid JSON ({err}): it was damaged or edited by hand; repair it, "
            "or delete it and run `project.py run` again to recompute every record in it"
        ) from None


def has_record(owner, key: str) -> bool:
    """Whether ``key`` is in the job's or project's document (see :func:`document`)."""
    return key in document(owner)


def read_record(owner, key: str, operation: str, numbers: tuple[str, ...] = ()) -> dict:
    """The ``key`` record of a document, checked to hold the fields ``numbers`` as
    numbers (or null, i.e. NaN); a clear error naming the file and the operation that
    writes the record if it was removed or edited into something else."""
    record = document(owner).get(key)
    path = Path(owner.path) / owner.FN_DOCUMENT
    fix = f"delete the {key!r} record from {path} and re-run {operation!r}"
    if not isinstance(record, dict):
        raise ValueError(f"{path}: the {key!r} record is missing or not a mapping; {fix}")
    for name in numbers:
        value = record.get(name, "missing")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{path}: {key}[{name!r}] = {value!r} is not a number; {fix}")
    return record


def file_stamp(path: str | os.PathLike) -> tuple | None:
    """What changes when a file is replaced or written (inode, mtime, size), or None
    if it is absent: the key of answers cached while a file is unchanged."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def digest_key(name: str) -> str:
    """Document key of a file's digest (signac keys may not contain dots)."""
    return name.replace(".", "_")


def digests(owner, *names: str) -> dict[str, str]:
    """SHA-256 of files of a job, keyed by :func:`digest_key`, for the record of the
    operation that wrote them (``record["sha256"]``)."""
    return {digest_key(name): file_digest(Path(owner.path) / name) for name in names}


def checked_input(owner, name: str, record: str, operation: str) -> str:
    """Path of file ``name`` of a job after checking its SHA-256 against the digest the
    ``record`` of the producing ``operation`` stored: a truncated, damaged or replaced
    input is an error naming the file and the fix, never a silently wrong result.
    (Records written before digests were kept are not checked.)"""
    path = Path(owner.path) / name
    expected = document(owner).get(record, {}).get("sha256", {}).get(digest_key(name))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; delete the {record!r} record of {owner.path} and re-run "
            f"{operation!r} to recreate it"
        )
    if expected is not None and file_digest(path) != expected:
        raise ValueError(
            f"{path} changed after {operation!r} wrote it (SHA-256 mismatch: truncated, "
            f"damaged or replaced); delete it and the {record!r} record of this job's "
            f"document and re-run {operation!r}"
        )
    return str(path)
