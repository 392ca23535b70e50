"""Sampling profiles (py-spy) of the workflow's most expensive operations.

    pip install -r benchmarks/requirements.txt
    python benchmarks/profile_hot_paths.py --root DIR [--operations fire_minimize ...]

``DIR`` is a data space whose workflow has completed (``bench_workflow.py`` leaves one
and prints its path).  Each operation is re-run on one job (its output and record set
aside first) under ``py-spy record --native``; the flame graph goes to
``benchmarks/results/profile_<operation>.svg`` and the functions holding the most
samples (self time, native frames included) are printed, so optimisation starts from
measurements.  The reference in the same run is the operation's total sample count.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import signac

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

#: operation → (record, files it writes)
OUTPUTS = {
    "fire_minimize": ("inherent_structures", ("inherent.gsd",)),
    "production": ("production", ("trajectory.gsd",)),
    "compute_softness_and_s2": ("softness", ("softness.h5",)),
    "compute_phop": ("phop", ("phop.h5",)),
    "dynamics": ("dynamics", ("dynamics.npz",)),
}


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: pip install -r benchmarks/requirements.txt")
    return found


def profile(root: Path, operation: str, job, rate: int) -> dict:
    record, files = OUTPUTS[operation]
    saved = job.doc.pop(record)
    for name in files:
        os.replace(job.fn(name), job.fn(name + ".saved"))
    raw = RESULTS / f"profile_{operation}.txt"
    cmd = [sys.executable, str(ROOT / "project.py"), "exec", operation, job.id]
    try:
        for fmt, out in (("raw", raw), ("flamegraph", RESULTS / f"profile_{operation}.svg")):
            for name in files:
                Path(job.fn(name)).unlink(missing_ok=True)
            job.doc.pop(record, None)
            out.unlink(missing_ok=True)
            run = subprocess.run(
                [py_spy(), "record", "--native", "--subprocesses", "--rate", str(rate),
                 "--format", fmt, "--output", str(out), "--", *cmd],
                cwd=root, check=False, capture_output=True, text=True,
            )  # fmt: skip
            # py-spy may exit 1 after a complete recording ("No child process" once a
            # thread pool's workers are gone): the profile is what counts
            if not out.exists() or out.stat().st_size == 0 or not job.doc.get(record):
                raise RuntimeError(f"profiling {operation} failed:\n{run.stderr}")
    finally:
        for name in files:
            os.replace(job.fn(name + ".saved"), job.fn(name))
        job.doc[record] = saved
    self_time: collections.Counter = collections.Counter()
    ours: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = stack.split(";")
        self_time[frames[-1]] += n
        for frame in set(frames):
            if "softness_entropy" in frame:
                ours[frame] += n
    return {
        "operation": operation,
        "job": job.id,
        "samples": total,
        "top_self": [(f, n / total) for f, n in self_time.most_common(8)],
        "top_ours_inclusive": [(f, n / total) for f, n in ours.most_common(8)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="completed data space")
    parser.add_argument("--operations", nargs="+", default=["fire_minimize",
                        "compute_softness_and_s2"], choices=sorted(OUTPUTS))  # fmt: skip
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    args = parser.parse_args()
    project = signac.get_project(args.root)
    # the hottest state of the first system: the most FIRE steps per frame
    job = max(project.find_jobs({"delta": 0.0}), key=lambda j: j.cached_statepoint["T"])
    RESULTS.mkdir(exist_ok=True)
    results = []
    for operation in args.operations:
        result = profile(args.root, operation, job, args.rate)
        results.append(result)
        print(f"\n{operation} ({result['samples']} samples)")
        print("  self time:")
        for frame, share in result["top_self"]:
            print(f"    {100 * share:5.1f} %  {frame}")
        print("  inclusive, our functions:")
        for frame, share in result["top_ours_inclusive"]:
            print(f"    {100 * share:5.1f} %  {frame}")
    (RESULTS / "profiles.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
