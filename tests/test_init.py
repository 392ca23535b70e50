"""init.py and the shipped studies: state points, validation, idempotence, growth,
project.py status."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import signac

from softness_entropy import model
from softness_entropy.configuration import validate_statepoint
from softness_entropy.workflow.parameters import (
    DEFAULT_PARAMETERS,
    validate_parameters,
)
from softness_entropy.workflow.setup import init_data_space
from softness_entropy.workflow.studies import get_profile, load_study, profile_names

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "signac.rc"


def test_paper_ladders_span_the_authors_ranges():
    # paper §II.A: "0.56–2.51, 0.73–3.25, 0.99–4.39 and 1.42–6.29" for Δ = 0.1 … 0.4;
    # the authors ran 20 rungs of each (docs/authors_conventions.md §1)
    ranges = {0.0: (0.45, 2.0), 0.1: (0.56, 2.51), 0.2: (0.73, 3.25), 0.3: (0.99, 4.39),
              0.4: (1.42, 6.29)}  # fmt: skip
    paper = get_profile("paper")
    for delta, (lo, hi) in ranges.items():
        temps = paper.temperatures(delta)
        assert temps[0] == hi and temps[-1] == lo and len(temps) == 20
        assert temps == sorted(temps, reverse=True)


def test_shipped_studies():
    assert profile_names() == ["demo", "paper", "smoke", "workstation"]


@pytest.mark.parametrize("name", ["demo", "paper", "smoke", "workstation"])
def test_profile_statepoints(name):
    profile = get_profile(name)
    points = profile.statepoints()
    n_temps = sum(len(s.temperatures) for s in profile.systems)
    assert len(points) == n_temps * profile.replicas
    assert {(sp["delta"], sp["rho"]) for sp in points} == {s.key for s in profile.systems}
    assert len({json.dumps(sp, sort_keys=True) for sp in points}) == len(points)
    profile.run_parameters()


def test_workstation_ends_on_the_authors_rung_0_51_in_every_system():
    ws = get_profile("workstation")
    # T_ref = 0.51 on the authors' printed ladders (docs/authors_conventions.md §1)
    assert [ws.temperatures(d)[-1] for d in (0.0, 0.1, 0.2, 0.3, 0.4)] == [
        0.51, 0.64, 0.83, 1.12, 1.60
    ]  # fmt: skip
    assert {len(s.temperatures) for s in ws.systems} == {11}


def test_paper_profile_is_the_paper():
    paper = get_profile("paper")
    assert tuple(s.key for s in paper.systems) == model.PAPER_SYSTEMS
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
    smoke = get_profile("smoke")
    project, created = init_data_space(tmp_path, smoke, CONFIG)
    assert created == len(project) == len(smoke.statepoints())
    assert (tmp_path / ".signac" / "config").read_text() == CONFIG.read_text()
    assert project.doc["profile"] == "smoke"
    assert project.doc["parameters"]["dt"] == smoke.run_parameters()["dt"]
    _, again = init_data_space(tmp_path, smoke, CONFIG)
    assert again == 0 and len(signac.get_project(tmp_path)) == created
    with pytest.raises(ValueError, match="other run parameters"):
        init_data_space(tmp_path, get_profile("demo"), CONFIG)
    with pytest.raises(ValueError, match=r"dt: 0.002 → 0.001.*every result"):
        init_data_space(tmp_path, smoke, CONFIG, {"dt": 0.001})
    with pytest.raises(ValueError, match=r"p_soft.*analysis results"):
        init_data_space(tmp_path, smoke, CONFIG, {"p_soft": 0.3})
    # how a run is executed may change
    init_data_space(tmp_path, smoke, CONFIG, {"walltime_hours": 2.0})
    assert signac.get_project(tmp_path).doc["parameters"]["walltime_hours"] == 2.0


SMOKE_PARAMETERS = """
[parameters]
dt = 0.002
production_time = 30.0
dynamics_max_time = 300.0
melt_time = 10.0
max_equilibration_time = 300.0
checkpoint_seconds = 30.0
"""


def write_study(path, systems, replicas=1, extra=""):
    path.write_text(
        f"N = 432\nreplicas = {replicas}\n[ladder]\nreference = [2.0, 1.0, 0.8]\n"
        + "".join(f"[[systems]]\n{s}\n" for s in systems) + extra + SMOKE_PARAMETERS
    )  # fmt: skip
    return load_study(path)


def test_a_study_that_extends_the_data_space_adds_jobs(tmp_path):
    root = tmp_path / "space"
    a = "delta = 0.0\nrho = 1.2\nt_max = 2.0"
    b = "delta = 0.4\nrho = 1.12\nt_max = 6.29"
    project, created = init_data_space(root, write_study(tmp_path / "a.toml", [a, b]), CONFIG)
    assert created == 6
    before = {job.id for job in project}
    # a colder temperature, a second replica and a third system
    colder = a + "\ncolder = [0.7]"
    c = "delta = 0.2\nrho = 1.16\ntemperatures = [3.25, 1.5]"
    grown = write_study(tmp_path / "b.toml", [colder, b, c], replicas=2)
    project, created = init_data_space(root, grown, CONFIG)
    assert created == 2 * (4 + 3 + 2) - 6 and before <= {job.id for job in project}
    assert project.doc["profile"] == "b"
    assert sorted({j.sp.T for j in project.find_jobs({"delta": 0.0})}) == [0.7, 0.8, 1.0, 2.0]


def test_a_temperature_above_a_quenched_state_is_refused(tmp_path):
    root = tmp_path / "space"
    a = "delta = 0.0\nrho = 1.2\nt_max = 2.0"
    project, _ = init_data_space(root, write_study(tmp_path / "a.toml", [a]), CONFIG)
    next(iter(project.find_jobs({"T": 0.8}))).doc["equilibration"] = {"tau_alpha": 1.0}
    inserted = "delta = 0.0\nrho = 1.2\ntemperatures = [2.0, 1.0, 0.9, 0.8]"
    with pytest.raises(ValueError, match=r"T=0.9 .* lies above T=0.8.*cold end"):
        init_data_space(root, write_study(tmp_path / "b.toml", [inserted]), CONFIG)
    assert len(signac.get_project(root)) == 3


@pytest.mark.parametrize(
    "text, match",
    [
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\n", "no temperatures"),
        ("N = 432\nsystems = []\n", "at least one"),
        ("N = 432\nbogus = 1\n[[systems]]\n", "unknown key 'bogus'"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[mixture]\nepsilon = 1.0\n", "mixture.epsilon must be a table"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[mixture]\nfraction_a = \"0.8\"\n", r"mixture.fraction_a must lie in \(0, 1\)"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[mixture]\nsigma = { AA = 2.0, AB = 1.0, BB = 1.0 }\n", "sigma.AA must be 1"),
        ("N = 100\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n",
         "N=100 is too small"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0, 1.2]\n",
         r"systems\[0\].temperatures must decrease strictly"),
        ("N = 432\n[[systems]]\ndelta = 0.7\nrho = 1.2\ntemperatures = [1.0]\n",
         r"systems\[0\].delta must lie in"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = -1\ntemperatures = [1.0]\n",
         r"systems\[0\].rho must be a positive"),
        ("N = 432\n[ladder]\nreference = [2.0, 1.0]\n[[systems]]\ndelta = 0.0\n"
         "rho = 1.2\nt_max = 2.0\ncolder = [1.5]\n", "colder must lie below"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n", "more than once"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[parameters]\nmu_max = 3.4\n", "beyond half the box"),
        ("N = 432\n[[systems]]\ndelta = 0.0\nrho = 1.2\ntemperatures = [1.0]\n"
         "[parameters]\nbogus = 1\n", "unknown parameters"),
        ("N = [432\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_study_file_errors_name_the_file_and_the_key(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=match) as err:
        load_study(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"p_soft": 0.01}, r"p_hard=0.05 must be below p_soft=0.01"),
        ({"t_r": 3.0}, r"t_r=3.0 gives a phop half-window t_r/2 of 1.5 frames"),
        ({"frame_interval": 0.3}, r"t_r=10.0 gives a phop half-window t_r/2 of 16.7 frames"),
        ({"mu_max": 0.2}, r"mu_max=0.2 must exceed mu_min=0.4"),
        ({"hard_separation": 5.0}, r"hard_separation=5.0 must be .* at least t_r=10.0"),
        ({"production_time": 10.5}, r"production_time=10.5 must be a whole number"),
        ({"frame_interval": 0.0015}, r"frame_interval=0.0015 must be a whole number"),
        ({"strata_bins": 1}, r"strata_bins=1 must be at least 2"),
        ({"svm_test_fraction": 1.5}, r"svm_test_fraction=1.5 must be below 1"),
        ({"min_equilibration_time": 2e5}, r"min_equilibration_time=200000.0 exceeds"),
    ],
)
def test_parameters_are_checked_against_each_other(change, match):
    with pytest.raises(ValueError, match=match) as err:
        validate_parameters({**DEFAULT_PARAMETERS, **change})
    assert "\n" not in str(err.value)


def test_init_validates_before_writing(tmp_path):
    with pytest.raises(ValueError, match="dt"):
        init_data_space(tmp_path, get_profile("smoke"), CONFIG, {"dt": -1})
    assert not (tmp_path / ".signac").exists()


def test_signac_reads_the_installed_config(tmp_path):
    project, _ = init_data_space(tmp_path, get_profile("smoke"), CONFIG)
    assert int(project.config["flow"]["eligible_jobs_max_lines"]) == 40


def run(args, cwd):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_init_cli_and_status(tmp_path):
    out = run([str(ROOT / "init.py"), "--profile", "smoke"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "6 jobs created" in out.stdout and "study 'smoke'" in out.stdout
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
