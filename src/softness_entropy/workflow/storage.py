"""Atomic writers for per-job arrays: a file appears complete or not at all.

Arrays of the analysis stages go to ``.npz`` (small) or HDF5 (large, per-particle)
files in the job directory; each is written under a temporary name, flushed to disk
and renamed, so a kill never leaves a half-written file that a later stage trusts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np


def atomic_savez(path: str | os.PathLike, **arrays: Any) -> None:
    """Write an ``.npz`` atomically: temporary file, fsync, rename."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.npz")
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_h5(
    path: str | os.PathLike, datasets: Mapping[str, Any], attrs: Mapping[str, Any] | None = None
) -> None:
    """Write an HDF5 file atomically; ``datasets`` keys may contain groups ("a/b")."""
    import h5py

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(tmp, "w") as f:
        for name, value in datasets.items():
            f.create_dataset(name, data=np.asarray(value), compression="gzip", compression_opts=1)
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
        f.flush()
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_h5(path: str | os.PathLike, operation: str) -> dict[str, np.ndarray]:
    """Every dataset of an HDF5 file (and its attributes under "attrs/…"); a clear
    error naming the file and the operation to re-run if it is unreadable."""
    import h5py

    out: dict[str, np.ndarray] = {}
    try:
        with h5py.File(path, "r") as f:
            f.visititems(
                lambda name, obj: (
                    out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None
                )
            )
            out.update({f"attrs/{k}": v for k, v in f.attrs.items()})
    except OSError as err:
        raise RuntimeError(
            f"{path} is unreadable ({err}); delete it and re-run the {operation!r} operation"
        ) from err
    return out


def atomic_json(path: str | os.PathLike, data: Any) -> None:
    """Write JSON atomically (NaN written as null)."""
    import json

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, np.ndarray):
            return clean(value.tolist())
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not np.isfinite(value):
            return None
        return value

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(clean(data), f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


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
