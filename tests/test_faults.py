"""Fault injection: kill -9 at random moments, two runs at once, corrupt and edited
files, a full disk, bad input.  Nothing may be lost or silently wrong.

The reference is the smoke fixture, run once without interruption.  The analysis
stages are deterministic, so after kills or concurrent runs their results must equal
the fixture's exactly; the MD stages resume from checkpoints with a fresh thermostat
variable (the docstring of softness_entropy.runs.common), so their states must agree
within thermal fluctuations.
Each test prints what it injected and what happened (``pytest -s`` shows it).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest
import scipy.stats
import signac
from conftest import ROOT, init_smoke, project_cmd, requires_lammps

from softness_entropy.files import read_h5
from softness_entropy.gsd_io import read_configuration
from softness_entropy.runs.common import configuration_digest

pytestmark = pytest.mark.slow

ANALYSIS_FILES = (
    "dynamics.npz",
    "phop.h5",
    "training.h5",
    "softness.h5",
    "dynamics.png",
    "rearrangements.png",
)
ANALYSIS_RECORDS = ("dynamics", "phop", "training_set", "softness_model", "softness")
PROJECT_OUTPUTS = ("models", "analysis", "figures", "results")


# the chance that a correct run fails a statistical check of this file
FALSE_ALARM = 1e-6


# -- helpers --------------------------------------------------------------------------
def canonical_kinetic_temperature_range(
    temperature: float, n: int, alarm: float
) -> tuple[float, float]:
    """Central ``1 − alarm`` range of the instantaneous kinetic temperature of ``n``
    particles in the canonical ensemble at ``temperature`` (ε/k_B): with the total
    momentum fixed, 2K/k_BT is χ² with 3n − 3 degrees of freedom, and
    T_kin = 2K / ((3n − 3) k_B)."""
    dof = 3 * n - 3
    law = scipy.stats.chi2(dof, scale=temperature / dof)
    return float(law.ppf(alarm / 2)), float(law.isf(alarm / 2))


def copy_project(smoke, dest: Path) -> signac.Project:
    shutil.copytree(smoke.path, dest, symlinks=True)
    return signac.get_project(dest)


def analysis_copy(smoke, dest: Path) -> signac.Project:
    """A copy of the smoke data space with the simulations done and no analysis."""
    project = copy_project(smoke, dest)
    for job in project:
        for name in ANALYSIS_FILES:
            Path(job.fn(name)).unlink(missing_ok=True)
        for key in ANALYSIS_RECORDS:
            job.doc.pop(key, None)
    for name in PROJECT_OUTPUTS:
        shutil.rmtree(dest / name, ignore_errors=True)
    project.doc.pop("results", None)
    return project


def without_digests(record):
    if isinstance(record, dict):
        return {k: without_digests(v) for k, v in record.items() if k != "sha256"}
    return record


def canonical(record) -> str:
    """JSON text of a record without file digests (NaN-safe equality)."""
    return json.dumps(without_digests(record), sort_keys=True)


def assert_same_analysis(project, reference) -> None:
    """Every analysis result of ``project`` equals the reference's, bit for bit."""
    for job in project:
        ref = reference.open_job(id=job.id)
        for key in ANALYSIS_RECORDS:
            assert canonical(job.doc[key]()) == canonical(ref.doc[key]()), (job.id, key)
        for name in ("phop.h5", "training.h5", "softness.h5"):
            ours, theirs = read_h5(job.fn(name), "-"), read_h5(ref.fn(name), "-")
            assert ours.keys() == theirs.keys()
            for key in ours:
                np.testing.assert_array_equal(ours[key], theirs[key], err_msg=f"{name}:{key}")
        with np.load(job.fn("dynamics.npz")) as a, np.load(ref.fn("dynamics.npz")) as b:
            for key in b.files:
                np.testing.assert_array_equal(a[key], b[key])
    root, ref_root = Path(project.path), Path(reference.path)
    systems = sorted(p.name for p in (ref_root / "analysis").glob("*.json"))
    assert systems == sorted(p.name for p in (root / "analysis").glob("*.json"))
    for name in systems:
        ours = json.loads((root / "analysis" / name).read_text())
        theirs = json.loads((ref_root / "analysis" / name).read_text())
        assert canonical(ours) == canonical(theirs), name
    csv = "results/results.csv"
    assert (root / csv).read_text() == (ref_root / csv).read_text()
    assert canonical(project.doc["results"]()) == canonical(reference.doc["results"]())
    leftovers = [p for p in root.rglob("*") if ".tmp" in p.name]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def start_run(root: Path, *args: str, log: Path | None = None, **popen) -> subprocess.Popen:
    out = open(log, "w") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, str(ROOT / "project.py"), "run", *args],
        cwd=root,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **popen,
    )


def kill_at_random(root: Path, seeds, window: tuple[float, float], *args: str) -> list[dict]:
    """``project.py run`` killed (SIGKILL, whole process group) at a random moment, once
    per seed; returns what was done when each kill landed."""
    report = []
    for seed in seeds:
        delay = float(np.random.default_rng(seed).uniform(*window))
        proc = start_run(root, *args)
        try:
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        done = sorted(
            {key for job in signac.get_project(root) for key in job.doc} - {"equilibration_failure"}
        )
        report.append({"seed": seed, "after_s": round(delay, 2), "killed": killed, "done": done})
    print(json.dumps(report, indent=1))
    return report


def final_error(stderr: str) -> str:
    """The last line of a failed run: the error the user reads."""
    return [line for line in stderr.strip().splitlines() if line.strip()][-1]


def assert_clear_failure(out, *needles: str) -> str:
    """A failed command whose final error names every needle and chains no library
    traceback."""
    assert out.returncode != 0, out.stdout + out.stderr
    message = final_error(out.stderr)
    for needle in needles:
        assert needle in message, (needle, message)
    assert "direct cause of the following exception" not in out.stderr
    print(message)
    return message


# -- kill -9 --------------------------------------------------------------------------
def test_analysis_stages_survive_random_kills(smoke, tmp_path):
    project = analysis_copy(smoke, tmp_path / "killed")
    report = kill_at_random(Path(project.path), (1, 2, 3, 4, 5), (2.0, 14.0))
    assert sum(r["killed"] for r in report) >= 3
    project_cmd("run", cwd=Path(project.path))
    assert_same_analysis(project, smoke)


def test_equilibration_cascade_survives_random_kills(smoke, tmp_path):
    root = tmp_path / "cascade"
    root.mkdir()
    subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--profile", "smoke",
         "--set", "checkpoint_seconds=0.5"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    args = ("-o", "equilibrate", "quench", "-f", "delta", "0.0")
    report = kill_at_random(root, (11, 12, 13), (3.0, 12.0), *args)
    assert sum(r["killed"] for r in report) >= 2
    project_cmd("run", *args, cwd=root)
    project = signac.get_project(root)
    jobs = sorted(project.find_jobs({"delta": 0.0}), key=lambda j: -j.cached_statepoint["T"])
    params = dict(project.doc["parameters"])
    for hot, cold in itertools.pairwise(jobs):
        # each quench started from the final stored state of the hotter run
        final = configuration_digest(read_configuration(hot.fn("equilibrated.gsd")))
        assert hot.doc["equilibration"]["final_digest"] == final
        assert cold.doc["equilibration"]["start_digest"] == final
    resumes = 0
    alarm = FALSE_ALARM / (2 * len(jobs))  # two checks per state
    for job in jobs:  # hottest first
        rec = job.doc["equilibration"]
        ref = smoke.open_job(dict(job.cached_statepoint))
        resumes += rec["resumes"]  # of this state and every hotter one
        assert not job.isfile("equilibration.ckpt.npz")
        required = max(params["min_equilibration_time"], rec["wait_tau_alpha"] * rec["tau_alpha"])
        assert rec["time"] >= required - 1e-9
        # same thermodynamic state as the uninterrupted run, judged on one instantaneous
        # sample each (false-alarm rate FALSE_ALARM over the whole test, Bonferroni):
        # the kinetic temperature against its exact canonical law, the potential energy
        # against the uninterrupted run's sample (σ of the difference √2 σ_U, σ_U from
        # the reference production)
        t = job.cached_statepoint["T"]
        low, high = canonical_kinetic_temperature_range(t, job.cached_statepoint["N"], alarm)
        assert low < rec["kinetic_temperature"] < high, (t, rec["kinetic_temperature"])
        sigma_u = np.sqrt(2.0) * ref.doc["production"]["potential_energy_std"]
        du = rec["potential_energy"] - ref.doc["equilibration"]["potential_energy"]
        assert abs(du) < scipy.stats.norm.isf(alarm / 2) * sigma_u, (t, du, sigma_u)
        if resumes == 0:  # no resume up the cascade: deterministic, the very same state
            assert rec["final_digest"] == ref.doc["equilibration"]["final_digest"]
    print(f"resumed from a checkpoint {resumes} times")
    assert resumes >= 1


# -- two runs at once -----------------------------------------------------------------
def test_two_concurrent_runs_do_each_operation_once(smoke, tmp_path):
    project = analysis_copy(smoke, tmp_path / "both")
    root = Path(project.path)
    logs = [tmp_path / "run0.log", tmp_path / "run1.log"]
    procs = [start_run(root, log=log) for log in logs]
    assert [p.wait(timeout=900) for p in procs] == [0, 0]
    runs = [
        line.split("running ", 1)[1]
        for log in logs
        for line in log.read_text().splitlines()
        if "softness_entropy.workflow.guard: running " in line
    ]
    skipped = sum(log.read_text().count("skipped: ") for log in logs)
    print(f"{len(runs)} operations run, {skipped} skipped as running elsewhere")
    assert len(runs) == len(set(runs)), "an operation ran twice on one job"
    project_cmd("run", cwd=root)  # whatever both left (a skipped operation's successors)
    assert_same_analysis(project, smoke)


# -- corrupt and edited files ---------------------------------------------------------
@pytest.fixture
def full_copy(smoke, tmp_path) -> signac.Project:
    return copy_project(smoke, tmp_path / "copy")


def some_job(project, delta: float = 0.0):
    return min(project.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])


def truncate(path: str, fraction: float = 0.5) -> None:
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(int(size * fraction))


def scribble(path: str) -> None:
    """Overwrite bytes in the middle of a file (bit rot: same size, different content)."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(bytes(range(256)) * 4)


def redo(project, job, operation: str, record: str, name: str):
    """Undo an operation's result on one job and run it again (``exec``)."""
    Path(job.fn(name)).unlink()
    job.doc.pop(record)
    return project_cmd("exec", operation, job.id, cwd=Path(project.path), check=False)


def test_truncated_trajectory_is_named_with_its_fix(full_copy):
    job = some_job(full_copy)
    truncate(job.fn("dynamics.gsd"))
    out = redo(full_copy, job, "dynamics", "dynamics", "dynamics.npz")
    assert_clear_failure(out, "dynamics.gsd", "'dynamics'")
    assert not job.isfile("dynamics.npz") and "dynamics" not in job.doc
    truncate(job.fn("trajectory.gsd"))
    out = redo(full_copy, job, "fire_minimize", "inherent_structures", "inherent.gsd")
    assert_clear_failure(out, "trajectory.gsd", "'production'")
    assert not job.isfile("inherent.gsd") and "inherent_structures" not in job.doc


def test_damaged_inherent_structures_are_named_with_their_fix(full_copy):
    job = some_job(full_copy)
    scribble(job.fn("inherent.gsd"))
    out = redo(full_copy, job, "compute_phop", "phop", "phop.h5")
    assert_clear_failure(out, "inherent.gsd", "'fire_minimize'")


def test_truncated_hdf5_is_named_with_its_fix(full_copy):
    job = some_job(full_copy)
    truncate(job.fn("phop.h5"))
    out = redo(full_copy, job, "build_structure_functions", "training_set", "training.h5")
    assert_clear_failure(out, "phop.h5", "'compute_phop'")


def test_replaced_or_damaged_model_is_named_with_its_fix(full_copy):
    job = some_job(full_copy)
    model = Path(full_copy.path) / "models" / job.doc["softness_model"]["path"]
    other = some_job(full_copy, delta=0.4)
    other_model = Path(full_copy.path) / "models" / other.doc["softness_model"]["path"]
    shutil.copy(other_model, model)  # a valid model of another system
    out = redo(full_copy, job, "compute_softness_and_s2", "softness", "softness.h5")
    assert_clear_failure(out, model.name, "'train_svm'")
    model.write_bytes(b"PK\x03\x04 not a model")
    # without the digest to compare against, loading itself reports the damage
    job.doc["softness_model"] = {
        k: v for k, v in job.doc["softness_model"].items() if k != "sha256"
    }
    out = project_cmd(
        "exec", "compute_softness_and_s2", job.id, cwd=Path(full_copy.path), check=False
    )
    assert_clear_failure(out, model.name, "train_svm")


def test_corrupt_checkpoint_is_named_with_its_fix(full_copy):
    job = some_job(full_copy)
    (Path(job.fn("production.ckpt.npz"))).write_bytes(b"\x00" * 100)
    out = redo(full_copy, job, "production", "production", "trajectory.gsd")
    assert_clear_failure(out, "production.ckpt.npz", "delete it")


def test_job_document_that_is_not_json_is_named(full_copy):
    job = some_job(full_copy)
    path = Path(job.fn("signac_job_document.json"))
    path.write_text(path.read_text()[:-40])  # cut off mid-file
    for args in (("run",), ("exec", "dynamics", job.id)):
        out = project_cmd(*args, cwd=Path(full_copy.path), check=False)
        assert_clear_failure(out, str(path), "not valid JSON")


def test_record_edited_by_hand_is_named_with_its_fix(full_copy):
    job = some_job(full_copy)
    record = dict(job.doc["dynamics"])
    record["D_A"] = "fast"
    job.doc["dynamics"] = record
    for path in (Path(full_copy.path) / "analysis").glob("*.json"):
        path.unlink()
    out = project_cmd("run", "-o", "fit_arrhenius_barriers", cwd=Path(full_copy.path), check=False)
    assert_clear_failure(out, "'D_A'", "'fast'", "'dynamics'", "signac_job_document.json")


def test_damaged_equilibrated_state_stops_the_quench(full_copy):
    jobs = sorted(full_copy.find_jobs({"delta": 0.0}), key=lambda j: -j.cached_statepoint["T"])
    hot, cold = jobs[0], jobs[1]
    scribble(hot.fn("equilibrated.gsd"))
    out = redo(full_copy, cold, "quench", "equilibration", "equilibrated.gsd")
    assert_clear_failure(out, "equilibrated.gsd", "'equilibrate'")  # the hottest wrote it


# -- full disk ------------------------------------------------------------------------
def run_with_file_size_limit(root: Path, limit: int, *args: str):
    """``project.py *args`` with writes beyond ``limit`` bytes per file failing (EFBIG,
    as on a full disk).  MPI is started before the limit is set: its shared-memory
    segments are files too, and they are not what this test is about."""
    code = (
        "import resource, runpy, signal, sys\n"
        "from softness_entropy.engines.lammps_engine import load_lammps\n"
        "load_lammps().lammps(cmdargs=['-log', 'none', '-screen', 'none']).close()\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        f"sys.argv = ['project.py', *{list(args)!r}]\n"
        f"runpy.run_path({str(ROOT / 'project.py')!r}, run_name='__main__')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )


@requires_lammps
def test_full_disk_fails_cleanly_and_resumes(smoke, tmp_path):
    source = some_job(smoke)
    project = init_smoke(tmp_path / "disk")
    job = project.open_job(dict(source.cached_statepoint))
    shutil.copy2(source.fn("equilibrated.gsd"), job.fn("equilibrated.gsd"))
    job.doc["equilibration"] = dict(source.doc["equilibration"])
    job.doc["dynamics"] = dict(source.doc["dynamics"])  # production sizes its window by τα
    reference = source.fn("trajectory.gsd")
    with gsd.hoomd.open(reference) as traj:
        n_frames = len(traj)
        steps = [int(f.configuration.step) for f in traj]
    per_frame = os.path.getsize(reference) / n_frames
    limit = int(6.5 * per_frame)  # room for about six frames (the checkpoint is smaller)
    out = run_with_file_size_limit(Path(project.path), limit, "exec", "production", job.id)
    message = assert_clear_failure(out, "trajectory.gsd", "File too large", "'production'")
    assert "resumes" in message
    with gsd.hoomd.open(job.fn("trajectory.gsd")) as traj:
        kept = len(traj)
    assert 2 <= kept < n_frames and "production" not in job.doc
    project_cmd("exec", "production", job.id, cwd=Path(project.path))  # space freed
    with gsd.hoomd.open(job.fn("trajectory.gsd")) as traj:
        assert [int(f.configuration.step) for f in traj] == steps  # none lost or doubled
        with gsd.hoomd.open(reference) as ref:  # frames before the failure: bitwise
            for k in range(kept):
                np.testing.assert_array_equal(traj[k].particles.position, ref[k].particles.position)
    print(f"disk full after {kept} of {n_frames} frames; resumed to {n_frames}")


# -- bad input ------------------------------------------------------------------------
def test_parameters_edited_by_hand_are_rejected_before_any_compute(tmp_path):
    project = init_smoke(tmp_path / "params")
    params = dict(project.doc["parameters"])
    params["dt"] = "fast"
    project.doc["parameters"] = params
    out = project_cmd("run", cwd=Path(project.path), check=False)
    assert_clear_failure(out, "dt", "signac_project_document.json")
    assert all(sorted(os.listdir(job.path)) == ["signac_statepoint.json"] for job in project)


def test_state_point_added_by_hand_is_rejected_before_any_compute(tmp_path):
    project = init_smoke(tmp_path / "statepoint")
    bad = project.open_job({"delta": 0.7, "rho": 1.2, "T": 2.0, "replica": 0, "N": 432}).init()
    out = project_cmd("exec", "equilibrate", bad.id, cwd=Path(project.path), check=False)
    assert_clear_failure(out, bad.id, "invalid state point", "delta")
    assert sorted(os.listdir(bad.path)) == ["signac_statepoint.json"]


def test_no_code_is_executed_from_data(tmp_path):
    """Nothing evaluates, unpickles or shells out on data: models load without pickle."""
    forbidden = ("eval(", "exec(", "pickle", "allow_pickle=True", "shell=True", "yaml.load(")
    sources = [*Path(ROOT, "src").rglob("*.py"), ROOT / "project.py", ROOT / "init.py"]
    for path in sources:
        text = path.read_text()
        for word in forbidden:
            assert word not in text, f"{path}: {word}"
    from softness_entropy.analysis.softness import SoftnessModel

    evil = tmp_path / "evil.npz"
    np.savez(evil, meta=np.array([{"intercept": 0}], dtype=object), mean=np.zeros(2))
    with pytest.raises(ValueError, match="not a softness model"):
        SoftnessModel.load(evil)
