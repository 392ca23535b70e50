"""The one-state-point API and CLI."""

import json
import subprocess
import sys

import pytest
from conftest import requires_lammps

from softness_entropy.simulate import simulate_state_point


@requires_lammps
def test_simulate_state_point_lammps():
    res = simulate_state_point(0.0, 1.2, 2.0, 250, 1000, equilibration_steps=500, engine="lammps")
    assert res.engine == "lammps" and res.N == 250 and res.steps == 1000
    # the hot KA liquid at rho = 1.2, T = 2: U/N is about -4.6, P about 19 (N = 250 noise)
    assert -5.2 < res.potential_energy < -4.0
    assert 15 < res.pressure < 24
    assert res.kinetic_temperature == pytest.approx(2.0, rel=0.1)
    assert res.particle_steps_per_second > 0


def test_simulate_rejects_bad_input_before_compute():
    with pytest.raises(ValueError, match="too small"):
        simulate_state_point(0.0, 1.2, 2.0, 50, 100)
    with pytest.raises(ValueError, match="delta"):
        simulate_state_point(0.7, 1.2, 2.0, 500, 100)
    with pytest.raises(ValueError, match="steps"):
        simulate_state_point(0.0, 1.2, 2.0, 500, 0)


@requires_lammps
def test_simulate_cli_json():
    out = subprocess.run(
        [sys.executable, "-m", "softness_entropy.simulate", "--delta", "0.2", "--rho", "1.16",
         "--T", "3.0", "--N", "250", "--steps", "400", "--engine", "lammps", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert data["delta"] == 0.2 and data["engine"] == "lammps"
    bad = subprocess.run(
        [sys.executable, "-m", "softness_entropy.simulate", "--delta", "0.2", "--rho", "1.16",
         "--T", "-3.0", "--N", "250", "--steps", "400"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "T must be a positive number" in bad.stderr
