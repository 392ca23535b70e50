"""Where the time and memory of a whole workflow go: one operation at a time.

    python benchmarks/bench_workflow.py [--profile smoke] [--root DIR] [--parallel 1]
                                        [--set engine=lammps ...]

Initialises ``--profile`` in a fresh data space and runs the workflow stage by stage,
``project.py run -o OPERATION`` (each in its own process, every eligible job of that
operation), in the order of the chain.  For each stage it records the wall time, the
CPU time and the peak resident memory of that process (``os.wait4``: the stage's own
peak, flow's ~100 MB of imports included) and the number of operations executed.
The reference measured in the same run is the total: each stage is reported as its
share of the whole workflow.  Results go to
``benchmarks/results/workflow_<profile>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from softness_entropy.workflow.pipeline import STAGES as PIPELINE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

#: the chain, in pipeline order (each operation's inputs are complete before it runs):
#: the operations of the pipeline's table (an older hand-written list ran ``production``
#: before the ``dynamics`` it needs, and measured it as 0 operations)
STAGES = tuple(stage.name for stage in PIPELINE)


def measured(cmd: list[str], cwd: Path, log) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds and peak RSS (MB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}); see the log")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024.0,  # Linux: kilobytes
    }


def count_executed(log_path: Path, operation: str) -> int:
    return sum(
        1 for line in log_path.read_text().splitlines() if f"Execute operation '{operation}" in line
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="smoke")
    parser.add_argument("--root", type=Path, help="data space directory (default: temporary)")
    parser.add_argument("--parallel", type=int, default=1, help="processes per stage")
    parser.add_argument("--set", action="append", default=[], help="init.py parameter KEY=VALUE")
    args = parser.parse_args()
    root = args.root or Path(tempfile.mkdtemp(prefix=f"bench-{args.profile}-"))
    if (root / "workspace").exists():
        raise SystemExit(f"{root} already holds a data space: give a fresh --root")
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable, str(ROOT / "init.py"), "--profile", args.profile,
            *(x for kv in args.set for x in ("--set", kv)),
        ],
        cwd=root, check=True,
    )  # fmt: skip
    python = [sys.executable, str(ROOT / "project.py")]
    stages = []
    status = measured([*python, "status"], root, subprocess.DEVNULL)
    for operation in STAGES:
        log_path = root / f"bench-{operation}.log"
        with open(log_path, "w") as log:
            cmd = [*python, "run", "-o", operation, "--parallel", str(args.parallel)]
            result = measured(cmd, root, log)
        result.update(operation=operation, executed=count_executed(log_path, operation))
        stages.append(result)
        print(
            f"{operation:26s} {result['executed']:3d} ops  {result['wall_s']:7.1f} s wall  "
            f"{result['cpu_s']:7.1f} s CPU  {result['peak_rss_mb']:6.0f} MB peak",
            flush=True,
        )
    total = sum(s["wall_s"] for s in stages)
    for s in stages:
        s["share"] = s["wall_s"] / total
    result = {
        "profile": args.profile,
        "parameters": args.set,
        "parallel": args.parallel,
        "cores": os.cpu_count(),
        "status_s": status["wall_s"],
        "total_wall_s": total,
        "stages": stages,
        "root": str(root),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"workflow_{args.profile}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"total {total:.1f} s (status {status['wall_s']:.2f} s); written to {out}")


if __name__ == "__main__":
    main()
