"""Files the project writes and reads: atomic ``.npz``, HDF5, JSON and text writers (through
the one atomic writer, :func:`..atomic.atomic_path`), the HDF5 reader, SHA-256 digests, and
one clear error for a full disk.  Signac-free, so the MD drivers (:mod:`.runs`) and the
analysis use them as the workflow does.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic import atomic_path


def atomic_savez(path: str | os.PathLike, **arrays: Any) -> None:
    """Write an ``.npz`` atomically: temporary file, fsync, rename."""
    import numpy as np

    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


def atomic_h5(
    path: str | os.PathLike, datasets: Mapping[str, Any], attrs: Mapping[str, Any] | None = None
) -> None:
    """Write an HDF5 file atomically; ``datasets`` keys may contain groups ("a/b")."""
    import h5py
    import numpy as np

    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        for name, value in datasets.items():
            f.create_dataset(name, data=np.asarray(value), compression="gzip", compression_opts=1)
        for key, value in (attrs or {}).items():
            f.attrs[key] = value


def read_h5(path: str | os.PathLike, operation: str) -> dict[str, Any]:
    """Every dataset of an HDF5 file (and its attributes under "attrs/…"); a clear
    error naming the file and the operation to re-run if it is unreadable."""
    import h5py

    out: dict[str, Any] = {}
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
        ) from None
    return out


def atomic_json(path: str | os.PathLike, data: Any) -> None:
    """Write JSON atomically (NaN written as null)."""
    import json

    import numpy as np

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

    with atomic_path(path) as tmp, open(tmp, "w") as f:
        json.dump(clean(data), f, indent=1)


def atomic_text(path: str | os.PathLike, text: str) -> None:
    """Write a text file atomically (temporary name, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "w") as f:
        f.write(text)


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (read in 4 MiB blocks)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


#: errors of a full disk or quota, a file-size limit, or failing storage
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO})


@contextlib.contextmanager
def explained_write_errors(path: str | os.PathLike, operation: str):
    """Turn a full disk (or quota, or file-size limit) while writing ``path`` into one
    clear error: what failed, and that re-running ``operation`` resumes from its last
    checkpoint once space is free."""
    try:
        yield
    except OSError as err:
        if err.errno not in WRITE_ERRNOS:
            raise
        raise RuntimeError(
            f"writing {path} failed: {err.strerror} (errno {err.errno}; disk, quota or "
            f"file-size limit full?). Free space and run {operation!r} again: it resumes "
            "from its last checkpoint and keeps every complete frame"
        ) from None
