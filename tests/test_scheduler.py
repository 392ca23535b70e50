"""``project.py run``'s scheduler (workflow/scheduler.py): a worker takes the next
eligible operation the moment it frees, whatever flow pass it would belong to; nothing
runs twice or is skipped; a worker killed with SIGKILL loses nothing; the run counts
what is left; a dynamics window's ETA comes from its MSD, not its cap."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
import signac
from conftest import ROOT, init_smoke
from test_faults import analysis_copy, assert_same_analysis

from softness_entropy.runs.dynamics_window import window_end_estimate

# A plain signac-flow project whose operations sleep and log when they start and end:
# ``slow`` (one job, 3 s) and a chain ``first`` → ``second`` (another job, 0.2 s each).
# flow's passes would start ``second`` only after ``slow`` ended; the scheduler starts
# it as soon as ``first`` has, while ``slow`` still runs.
TOY = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path

    from flow import FlowProject

    from softness_entropy.workflow.scheduler import run_pulling


    class Toy(FlowProject):
        pass


    def note(job, event):
        with open(Path(job.project.path) / "events.jsonl", "a") as f:
            f.write(json.dumps([event, job.sp["name"], os.getpid(), time.time()]) + "\\n")


    def work(job, name, seconds):
        note(job, f"start {name}")
        time.sleep(seconds)
        Path(job.fn(name)).touch()
        note(job, f"end {name}")


    @Toy.pre(lambda job: job.sp["name"] == "long")
    @Toy.post.isfile("slow")
    @Toy.operation
    def slow(job):
        work(job, "slow", float(os.environ.get("TOY_SLOW", "3")))


    @Toy.pre(lambda job: job.sp["name"] == "chain")
    @Toy.post.isfile("first")
    @Toy.operation
    def first(job):
        work(job, "first", 0.2)


    @Toy.pre.after(first)
    @Toy.post.isfile("second")
    @Toy.operation
    def second(job):
        work(job, "second", 0.2)


    if __name__ == "__main__":
        import logging

        logging.basicConfig(level=logging.INFO)
        toy = Toy.get_project()
        stats = run_pulling(toy, toy._convert_jobs_to_aggregates(None), list(toy.operations),
                            2, __import__("flow").IgnoreConditions.NONE, lambda: [])
        print(json.dumps({"done": stats.done, "restarted": stats.restarted}))
    """
)


@pytest.fixture
def toy(tmp_path) -> Path:
    project = signac.init_project(tmp_path)
    for name in ("long", "chain"):
        project.open_job({"name": name}).init()
    (tmp_path / "toy.py").write_text(TOY)
    return tmp_path


def run_toy(root: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "toy.py"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, **env},
    )  # fmt: skip


def events(root: Path) -> list[list]:
    path = root / "events.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_freed_worker_takes_the_next_operation_at_once(toy):
    proc = run_toy(toy)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    seen = {e[0]: e[3] for e in events(toy)}
    # ``second`` became eligible in what flow would run as its second pass; it started
    # (and ended) while ``slow`` of the first pass was still running
    assert seen["start second"] >= seen["end first"]
    assert seen["end second"] < seen["end slow"], seen
    counts = Counter(e[0] for e in events(toy))
    ops = ("slow", "first", "second")
    assert counts == {f"{when} {op}": 1 for op in ops for when in ("start", "end")}
    assert json.loads(out.strip().splitlines()[-1]) == {"done": 3, "restarted": 0}


def test_a_worker_killed_with_sigkill_loses_nothing(toy):
    proc = run_toy(toy, TOY_SLOW="4")
    deadline = time.monotonic() + 30
    while not any(e[0] == "start slow" for e in events(toy)):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    worker = next(e[2] for e in events(toy) if e[0] == "start slow")
    assert worker != proc.pid
    os.kill(worker, signal.SIGKILL)
    # the run goes on: the chain completes while ``slow`` is started again
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "its worker was killed (signal 9)" in err and "starting it again" in err
    counts = Counter(e[0] for e in events(toy))
    assert counts["start slow"] == 2 and counts["end slow"] == 1  # killed once, redone
    assert counts["start first"] == counts["start second"] == 1  # nothing run twice
    assert all((toy / "workspace" / j.id / name).exists()
               for j in signac.get_project(toy) for name in (["slow"] if j.sp["name"] == "long"
                                                             else ["first", "second"]))  # fmt: skip
    assert json.loads(out.strip().splitlines()[-1]) == {"done": 3, "restarted": 1}


def test_remaining_operations_of_a_new_data_space(tmp_path):
    """The smoke study: 2 systems × 3 temperatures, propensity at the coldest state of
    each: every operation on the aggregates it is for, and no other."""
    init_smoke(tmp_path)
    code = (
        "import runpy, json, sys; sys.argv = ['project.py']; "
        f"ns = runpy.run_path({str(ROOT / 'project.py')!r}); "
        "print(json.dumps(ns['Project'].get_project().remaining_operations()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)  # fmt: skip
    counts = Counter(json.loads(out.stdout))
    jobs, systems, states = 6, 2, 2
    per_job = ("dynamics", "production", "fire_minimize", "compute_phop",
               "build_structure_functions", "compute_softness_and_s2")  # fmt: skip
    expected = {name: jobs for name in per_job}
    expected |= {"equilibrate": systems, "quench": jobs - systems, "train_svm": systems,
                 "fit_arrhenius_barriers": systems, "make_figures": 1,
                 "isoconfigurational_ensemble": states, "score_propensity": states,
                 "summarize_propensity": 1}  # fmt: skip
    assert counts == expected


def test_nothing_remains_after_the_smoke_run(smoke):
    from softness_entropy.workflow.flowproject import Project

    assert Project.get_project(smoke.path).remaining_operations() == []


@pytest.mark.slow
def test_a_killed_worker_of_a_real_run_is_resumed_to_the_same_results(smoke, tmp_path):
    """SIGKILL of the worker running an analysis stage of the smoke data space: the run
    ends normally and its results equal the uninterrupted run's."""
    project = analysis_copy(smoke, tmp_path / "killed")
    root = Path(project.path)
    log = root / "run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "project.py"), "run", "--parallel",
                                 "2"], cwd=root, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        text = log.read_text()
        if "running compute_softness_and_s2" not in text:
            continue
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                  text=True).stdout.split()  # fmt: skip
        if children:
            killed = int(children[0])
            os.kill(killed, signal.SIGKILL)
    assert killed is not None, log.read_text()
    assert proc.wait(timeout=600) == 0, log.read_text()
    text = log.read_text()
    assert "its worker was killed (signal 9)" in text, text
    assert "core utilisation" in text
    assert_same_analysis(project, smoke)


def test_dynamics_window_end_from_a_diffusive_msd():
    """MSD = 6 D t (D = 0.01 σ²/τ): a 6 σ² target is reached at t = 100 τ, rounded up
    to a block end, never beyond the cap, never before the τα minimum."""
    d, block = 0.01, 7.0
    for elapsed in (10.0, 35.0, 70.0):
        end = window_end_estimate(elapsed, 6 * d * elapsed, 6.0, 20.0, 1e4, block)
        assert end == pytest.approx(105.0)  # 15 blocks: the first block end ≥ 100 τ
    assert window_end_estimate(10.0, 0.06, 6.0, 20.0, 50.0, block) == 50.0  # the cap
    assert window_end_estimate(10.0, 7.0, 6.0, 20.0, 1e4, block) == 21.0  # τα minimum
    assert window_end_estimate(10.0, 0.0, 6.0, 20.0, 1e4, block) == 1e4  # no motion yet
