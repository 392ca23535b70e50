"""A real SLURM (one-node cluster started by .ci/slurm-up.sh): `python project.py submit`
sends a smoke-profile operation that runs and lands its results in the data space."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import signac

ROOT = Path(__file__).resolve().parents[1]


def slurm_up() -> bool:
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return False
    out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    return out.returncode == 0 and any(s in out.stdout for s in ("idle", "mixed"))


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not slurm_up(), reason="no running SLURM (start it: .ci/slurm-up.sh)"),
]


def test_submit_runs_on_slurm_and_results_land(tmp_path):
    root = tmp_path / "slurm"
    root.mkdir()
    init = [sys.executable, str(ROOT / "init.py"), "--profile", "smoke"]
    subprocess.run([*init, "--set", "walltime_hours=0.5"], cwd=root, check=True)
    project = signac.get_project(root)
    job = max(project.find_jobs({"delta": 0.0}), key=lambda j: j.cached_statepoint["T"])
    out = subprocess.run(
        [sys.executable, str(ROOT / "project.py"), "submit", "-o", "equilibrate", "-j", job.id,
         "--job-output", str(tmp_path / "slurm-%j.out")],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "equilibrate" in out.stdout + out.stderr
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and "equilibration" not in job.doc:
        time.sleep(2)
    logs = "".join(p.read_text() for p in tmp_path.glob("slurm-*.out"))
    assert "equilibration" in job.doc, f"the SLURM job did not finish:\n{logs}"
    assert job.isfile("equilibrated.gsd")
    assert logs, "the job wrote no output file"
    # flow knows it ran: nothing left to submit for this operation and job
    status = subprocess.run(
        [sys.executable, str(ROOT / "project.py"), "submit", "--pretend", "-o", "equilibrate",
         "-j", job.id], cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "#SBATCH" not in status.stdout
