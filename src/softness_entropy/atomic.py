"""The one atomic writer: every file the project writes goes through :func:`atomic_path`.

A file is written under a temporary sibling name, flushed to disk (fsync) and renamed
onto its final name, so a kill never leaves a half-written file that a later stage
trusts, and a failed write leaves no temporary file behind.  Low-level on purpose
(no workflow imports): the analysis, plotting and GSD layers use it too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write (by name, as h5py, gsd and
    matplotlib do, or with ``open``); on success it is fsynced and renamed onto
    ``path``, on an error removed.  ``suffix`` ends the temporary name (matplotlib
    infers the format from it)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{suffix}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
