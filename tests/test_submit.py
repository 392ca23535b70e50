"""Job scripts for SLURM (`submit --pretend`), checked line by line: GPUs for HOOMD,
ranks and threads for LAMMPS, walltime, partition, account, bundling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_slurm(tmp_path):
    """A PATH where `squeue` answers (empty queue), so flow can 'query' SLURM."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    squeue = bin_dir / "squeue"
    squeue.write_text("#!/bin/sh\nexit 0\n")
    squeue.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}",
                SOFTNESS_ENTROPY_SCHEDULER="slurm")  # fmt: skip


def render(root: Path, env: dict, *settings: str, args: tuple[str, ...] = ()) -> str:
    root.mkdir()
    init = [sys.executable, str(ROOT / "init.py"), "--profile", "smoke"]
    for s in settings:
        init += ["--set", s]
    subprocess.run(init, cwd=root, check=True, capture_output=True)
    assert (root / "templates" / "script.sh").exists()  # linked by init.py
    out = subprocess.run(
        [sys.executable, str(ROOT / "project.py"), "submit", "--pretend", "-o", "equilibrate",
         *args],
        cwd=root, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout


def test_hoomd_gpu_script(tmp_path, fake_slurm):
    script = render(tmp_path / "p", fake_slurm, "engine=hoomd", "device=gpu",
                    "walltime_hours=2.5", args=("-n", "1", "--partition", "gpu",
                                                "--account", "proj42"))  # fmt: skip
    lines = script.splitlines()
    assert "#SBATCH --gpus=1" in lines
    assert "#SBATCH --partition=gpu" in lines
    assert "#SBATCH --account=proj42" in lines
    assert "#SBATCH -t 02:30:00" in lines
    assert "#SBATCH --ntasks=1" in lines
    assert any(line.startswith("export SOFTNESS_ENTROPY_DEADLINE=") and "9000" in line
               for line in lines)  # fmt: skip
    assert f"export PATH={Path(sys.executable).parent}:$PATH" in lines
    assert any("project.py run -o equilibrate -j" in line for line in lines)


def test_lammps_mpi_and_threads_script(tmp_path, fake_slurm):
    script = render(tmp_path / "p", fake_slurm, "engine=lammps", "mpi_ranks=4", "threads=2",
                    args=("-n", "1"))  # fmt: skip
    lines = script.splitlines()
    assert not any("--gpus" in line for line in lines)
    # 4 ranks × 2 threads = 8 cores, as 4 tasks of 2 CPUs (not 8 tasks of 2)
    assert "#SBATCH --ntasks=4" in lines
    assert "#SBATCH --cpus-per-task=2" in lines
    # the job runs `project.py run`, which forks the operation's command: the srun
    # prefix and the thread count (a fork directive makes flow launch, not call, it)
    assert any("export OMP_NUM_THREADS=2; srun --ntasks=4" in line for line in lines), script
    import signac

    from softness_entropy.workflow.directives import fork

    project = signac.get_project(tmp_path / "p")
    assert all(fork(job) for job in project)


def test_bundled_parallel_script(tmp_path, fake_slurm):
    script = render(tmp_path / "p", fake_slurm, "engine=lammps",
                    args=("--bundle", "2", "--parallel"))  # fmt: skip
    runs = [line for line in script.splitlines() if "project.py run -o equilibrate" in line]
    assert len(runs) == 2 and all(line.endswith("&") for line in runs)
    assert "wait" in script.splitlines()


def test_pretend_renders_scripts_without_any_slurm(tmp_path):
    """The promise of docs/workflow.md on a machine without SLURM: no squeue, no sbatch, no fake."""
    import shutil

    bare = tmp_path / "bin"
    bare.mkdir()
    # a PATH with the interpreter only: SLURM's tools are certainly absent
    (bare / "python").symlink_to(sys.executable)
    env = dict(os.environ, PATH=str(bare), SOFTNESS_ENTROPY_SCHEDULER="slurm")
    assert shutil.which("squeue", path=env["PATH"]) is None
    script = render(tmp_path / "p", env, "engine=hoomd", "device=gpu", args=("-n", "1"))
    assert "#SBATCH --gpus=1" in script.splitlines()
    assert "project.py run -o equilibrate" in script
