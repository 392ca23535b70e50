"""The simulation stages on the smoke profile: cascade, production, inherent structures,
idempotence, and kill -9 / walltime resumption with no lost or duplicated frames."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest
import signac
from conftest import ROOT, assert_inherent_structures_are_minima, init_smoke, project_cmd

from softness_entropy.gsd_io import from_frame, read_configuration
from softness_entropy.runs.common import configuration_digest, gsd_frame_count

pytestmark = pytest.mark.slow


def params_of(project) -> dict:
    return dict(project.doc["parameters"])


def test_every_job_completed(smoke):
    for job in smoke:
        for key in ("equilibration", "production", "inherent_structures"):
            assert key in job.doc, (job.id, key)
        assert job.doc["equilibration"]["engine"] in ("hoomd", "lammps")
        assert job.doc["equilibration"]["seed"] > 0
        assert np.isfinite(job.doc["equilibration"]["tau_alpha"])


def test_cascade_starts_each_temperature_from_the_hotter_final_state(smoke):
    chains: dict[tuple, list] = {}
    for job in smoke:
        sp = job.cached_statepoint
        chains.setdefault((sp["delta"], sp["rho"], sp["replica"]), []).append(job)
    for jobs in chains.values():
        jobs.sort(key=lambda j: -j.cached_statepoint["T"])
        assert jobs[0].doc["equilibration"]["started_from"] == "lattice"
        assert jobs[0].doc["equilibration"]["melted"] is True
        for hot, cold in itertools.pairwise(jobs):
            rec = cold.doc["equilibration"]
            assert rec["started_from"] == hot.id
            # checked from the files: the start of T_k is T_{k-1}'s stored final state
            hot_final = read_configuration(hot.fn("equilibrated.gsd"))
            assert rec["start_digest"] == configuration_digest(hot_final)
            assert hot.doc["equilibration"]["final_digest"] == rec["start_digest"]


def test_equilibration_waited_the_required_tau_alpha(smoke):
    params = params_of(smoke)
    for job in smoke:
        rec = job.doc["equilibration"]
        required = max(params["min_equilibration_time"], rec["wait_tau_alpha"] * rec["tau_alpha"])
        assert rec["time"] >= required - 1e-9
        assert params["wait_tau_alpha_cold"] <= rec["wait_tau_alpha"]
        assert rec["wait_tau_alpha"] <= params["wait_tau_alpha_hot"]
    # colder states relax more slowly
    for delta in {j.cached_statepoint["delta"] for j in smoke}:
        jobs = sorted(smoke.find_jobs({"delta": delta}), key=lambda j: j.cached_statepoint["T"])
        taus = [j.doc["equilibration"]["tau_alpha"] for j in jobs]
        assert taus[0] > taus[-1]


def test_production_frames_and_thermodynamics(smoke):
    params = params_of(smoke)
    frame_steps = round(params["frame_interval"] / params["dt"])
    for job in smoke:
        T = job.cached_statepoint["T"]
        # the inherent-structure window follows the state's τα (dynamics record)
        tau = job.doc["dynamics"]["tau_alpha"]
        window = max(params["production_time"],
                     np.ceil(params["is_window_tau_alpha"] * tau / params["frame_interval"])
                     * params["frame_interval"])  # fmt: skip
        assert job.doc["production"]["window"] == pytest.approx(window)
        n_frames = round(window / params["frame_interval"]) + 1
        with gsd.hoomd.open(job.fn("trajectory.gsd")) as traj:
            assert len(traj) == n_frames
            steps = [int(f.configuration.step) for f in traj]
            assert steps == [k * frame_steps for k in range(n_frames)]
            confs = [from_frame(f) for f in traj]
        # image flags make the trajectory continuous: every frame-to-frame step of the
        # unwrapped positions is the minimum-image step (no jump by a box length)
        L = confs[0].box_length
        step = np.diff(np.stack([c.unwrapped_positions() for c in confs]), axis=0)
        np.testing.assert_allclose(step, step - L * np.round(step / L), atol=1e-4)
        assert any(np.any(c.image != 0) for c in confs)  # particles did cross the box
        rec = job.doc["production"]
        assert rec["frames"] == n_frames
        assert rec["kinetic_temperature"] == pytest.approx(T, rel=0.05)


def test_inherent_structures_are_minima_below_the_thermal_frames(smoke):
    assert_inherent_structures_are_minima(smoke)


def test_second_run_does_nothing(smoke):
    before = {job.id: (json.dumps(job.doc(), sort_keys=True)) for job in smoke}
    mtimes = {p: p.stat().st_mtime_ns for p in Path(smoke.path, "workspace").rglob("*.gsd")}
    out = project_cmd("run", cwd=Path(smoke.path))
    assert "Execute operation" not in out.stdout + out.stderr
    after = {job.id: (json.dumps(job.doc(), sort_keys=True)) for job in smoke}
    assert before == after
    assert mtimes == {p: p.stat().st_mtime_ns for p in mtimes}


# -- kill -9 and walltime ---------------------------------------------------------
def clone_job(smoke, tmp_path: Path, keys: tuple[str, ...], files: tuple[str, ...]):
    """A fresh smoke data space holding one job with some of the fixture's outputs."""
    source = min(smoke, key=lambda j: (j.cached_statepoint["delta"], -j.cached_statepoint["T"]))
    project = init_smoke(tmp_path / "clone")
    job = project.open_job(dict(source.cached_statepoint))
    for name in files:
        shutil.copy2(source.fn(name), job.fn(name))
    for key in keys:
        job.doc[key] = dict(source.doc[key])
    return source, project, job


def run_and_kill(project, job, operation: str, output: str, after_frames: int) -> int:
    """Start an operation, kill -9 it once ``output`` holds ``after_frames`` frames."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "project.py"), "exec", operation, job.id],
        cwd=project.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    frames = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                frames = gsd_frame_count(job.fn(output))
            except RuntimeError:
                frames = 0  # caught mid-write: try again
            if frames >= after_frames:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the operation ended before it could be killed"
    return frames


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_production_resumes_after_kill_without_lost_or_duplicate_frames(smoke, tmp_path, seed):
    source, project, job = clone_job(
        smoke, tmp_path, ("equilibration", "dynamics"), ("equilibrated.gsd",)
    )
    after = int(np.random.default_rng(seed).integers(2, 26))  # a random moment of the run
    killed_at = run_and_kill(project, job, "production", "trajectory.gsd", after_frames=after)
    assert job.isfile("production.ckpt.npz")
    assert "production" not in job.doc
    project_cmd("exec", "production", job.id, cwd=Path(project.path))
    params = params_of(project)
    frame_steps = round(params["frame_interval"] / params["dt"])
    n_frames = round(job.doc["production"]["window"] / params["frame_interval"]) + 1
    with (
        gsd.hoomd.open(job.fn("trajectory.gsd")) as traj,
        gsd.hoomd.open(source.fn("trajectory.gsd")) as ref,
    ):
        assert [int(f.configuration.step) for f in traj] == [
            k * frame_steps for k in range(n_frames)
        ]
        # frames written before the kill are bitwise those of the uninterrupted run
        for k in range(killed_at - 1):
            np.testing.assert_array_equal(traj[k].particles.position, ref[k].particles.position)
    assert not job.isfile("production.ckpt.npz")
    assert job.doc["production"]["frames"] == n_frames


@pytest.mark.parametrize("seed", [1, 2])
def test_dynamics_window_resumes_after_kill_on_its_schedule(smoke, tmp_path, seed):
    from softness_entropy.analysis.dynamics import frames_up_to, log_periodic_offsets

    source, project, job = clone_job(smoke, tmp_path, ("equilibration",), ("equilibrated.gsd",))
    after = int(np.random.default_rng(seed).integers(5, 200))  # inside some block
    killed_at = run_and_kill(project, job, "dynamics", "dynamics.gsd", after_frames=after)
    assert job.isfile("dynamics.ckpt.npz") and "dynamics" not in job.doc
    project_cmd("exec", "dynamics", job.id, cwd=Path(project.path))
    run = job.doc["dynamics_window"]
    offsets = log_periodic_offsets(
        run["block_steps"], params_of(project)["dynamics_frames_per_decade"]
    )
    with (
        gsd.hoomd.open(job.fn("dynamics.gsd")) as traj,
        gsd.hoomd.open(source.fn("dynamics.gsd")) as ref,
    ):
        steps = [int(f.configuration.step) for f in traj]
        # every scheduled frame exactly once, none lost or repeated across the kill
        blocks = steps[-1] // run["block_steps"]
        expected = [b * run["block_steps"] + int(o) for b in range(blocks) for o in offsets]
        assert steps == [*expected, blocks * run["block_steps"]]
        assert len(steps) == frames_up_to(steps[-1], run["block_steps"], offsets)
        # frames before the block the kill interrupted are bitwise the uninterrupted run's
        for k in range(min(killed_at - len(offsets) - 1, len(ref))):
            np.testing.assert_array_equal(traj[k].particles.position, ref[k].particles.position)
    assert not job.isfile("dynamics.ckpt.npz")
    rec = job.doc["dynamics"]
    assert (
        rec["target_reached"] and rec["msd_from_start"] >= params_of(project)["dynamics_msd_target"]
    )
    assert np.isfinite(rec["D_A"]) and np.isfinite(rec["tau_alpha"])


@pytest.mark.parametrize("seed", [1, 2])
def test_inherent_structures_resume_after_kill(smoke, tmp_path, seed):
    source, project, job = clone_job(
        smoke,
        tmp_path,
        ("equilibration", "production"),
        ("equilibrated.gsd", "trajectory.gsd"),
    )
    after = int(np.random.default_rng(seed).integers(1, 25))
    run_and_kill(project, job, "fire_minimize", "inherent.gsd", after_frames=after)
    project_cmd("exec", "fire_minimize", job.id, cwd=Path(project.path))
    with (
        gsd.hoomd.open(job.fn("inherent.gsd")) as inh,
        gsd.hoomd.open(source.fn("inherent.gsd")) as ref,
    ):
        assert len(inh) == len(ref)
        assert [f.configuration.step for f in inh] == [f.configuration.step for f in ref]
        for a, b in zip(inh, ref, strict=True):  # deterministic minimiser: same minima
            np.testing.assert_allclose(a.particles.position, b.particles.position, atol=1e-5)
            assert a.log["is/potential_energy"][0] == pytest.approx(
                b.log["is/potential_energy"][0], abs=1e-9
            )


def test_walltime_stops_cleanly_and_resumes(smoke, tmp_path):
    source, project, job = clone_job(
        smoke, tmp_path, ("equilibration", "dynamics"), ("equilibrated.gsd",)
    )
    env = dict(os.environ, SOFTNESS_ENTROPY_DEADLINE=str(time.time() + 120.5))
    out = project_cmd("exec", "production", job.id, cwd=Path(project.path), env=env, check=False)
    assert out.returncode != 0
    assert "WalltimeReached" in out.stderr
    assert job.isfile("production.ckpt.npz") and "production" not in job.doc
    project_cmd("exec", "production", job.id, cwd=Path(project.path))
    assert job.doc["production"]["frames"] == source.doc["production"]["frames"]


def test_equilibration_guard_is_a_recorded_failure(tmp_path):
    root = tmp_path / "guard"
    root.mkdir()
    subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--profile", "smoke", "--set",
         "max_equilibration_time=0.5", "--set", "min_equilibration_time=0.5"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    project = signac.get_project(root)
    job = max(project.find_jobs({"delta": 0.0}), key=lambda j: j.cached_statepoint["T"])
    out = project_cmd("exec", "equilibrate", job.id, cwd=root, check=False)
    assert out.returncode != 0 and "EquilibrationFailed" in out.stderr
    assert "max_equilibration_time" in job.doc["equilibration_failure"]
    assert "equilibration" not in job.doc and not job.isfile("equilibrated.gsd")
    assert job.isfile("equilibration.ckpt.npz")  # a longer limit can continue from here


def test_an_operation_cannot_run_twice_on_one_job(smoke, tmp_path):
    """signac-flow does not lock: a second process finds the first's lock and skips."""
    from softness_entropy.workflow.storage import operation_lock

    _, project, job = clone_job(
        smoke, tmp_path, ("equilibration", "dynamics"), ("equilibrated.gsd",)
    )
    with operation_lock(job.path, "production"):
        out = project_cmd("exec", "production", job.id, cwd=Path(project.path))
    assert "skipped" in out.stderr and "already running" in out.stderr
    assert "production" not in job.doc
    assert gsd_frame_count(job.fn("trajectory.gsd")) == 0  # it wrote nothing
    project_cmd("exec", "production", job.id, cwd=Path(project.path))  # lock released
    assert "production" in job.doc
