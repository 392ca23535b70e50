"""Compare two data spaces of the same study byte for byte: is a change behaviour-neutral?

    python tools/compare_data_spaces.py BEFORE AFTER

Compares, by SHA-256, every file of the results (``results/``), the system analyses
(``analysis/``), the models (``models/``), the figures (``figures/``; PDFs only match when both
runs set ``SOURCE_DATE_EPOCH``) and each job's files; and each job's document with the fields
that measure the run rather than the physics left out (``wall_seconds``,
``seconds_per_frame``, ``resumes``). Jobs are matched by id (the state point's hash). Prints
one line per difference and a count; exits 1 if anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

PROJECT_DIRECTORIES = ("results", "analysis", "models", "figures")
RUN_FIELDS = frozenset({"wall_seconds", "seconds_per_frame", "resumes"})
SKIPPED_JOB_FILES = frozenset({"signac_job_document.json"})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def without_run_fields(value: object) -> object:
    if isinstance(value, dict):
        return {k: without_run_fields(v) for k, v in value.items() if k not in RUN_FIELDS}
    if isinstance(value, list):
        return [without_run_fields(v) for v in value]
    return value


def files_under(root: Path, directory: str) -> dict[str, Path]:
    base = root / directory
    if not base.is_dir():
        return {}
    return {
        str(p.relative_to(root)): p
        for p in sorted(base.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def differences(before: Path, after: Path) -> tuple[list[str], int]:
    """(one line per difference, number of files and documents compared)."""
    found: list[str] = []
    compared = 0
    pairs: dict[str, tuple[Path | None, Path | None]] = {}
    for directory in (*PROJECT_DIRECTORIES, "workspace"):
        old, new = files_under(before, directory), files_under(after, directory)
        for name in sorted(old.keys() | new.keys()):
            pairs[name] = (old.get(name), new.get(name))
    for name, (old, new) in pairs.items():
        if old is None or new is None:
            found.append(f"{name}: only in {'after' if old is None else 'before'}")
            continue
        compared += 1
        if Path(name).name == "signac_job_document.json":
            a = without_run_fields(json.loads(old.read_text()))
            b = without_run_fields(json.loads(new.read_text()))
            if a != b:
                found.append(f"{name}: documents differ ({_first_difference(a, b)})")
        elif Path(name).name.endswith(".lock") or "/.locks/" in name:
            compared -= 1
        elif sha256(old) != sha256(new):
            found.append(f"{name}: contents differ")
    return found, compared


def _first_difference(a: object, b: object, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if key not in a or key not in b:
                return f"{path}/{key} only in {'after' if key not in a else 'before'}"
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{path}/{key}")
    return f"{path}: {str(a)[:40]} != {str(b)[:40]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    found, compared = differences(args.before, args.after)
    for line in found:
        print(line)
    print(f"{compared} files compared, {len(found)} differ")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
