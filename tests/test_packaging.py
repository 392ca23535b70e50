"""The package works installed as it does in a checkout: a wheel carries its study files
(package data) and finds them with importlib.resources."""

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_a_wheel_ships_and_finds_the_studies(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("softness_entropy-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    studies = sorted(n for n in names if n.startswith("softness_entropy/studies/"))
    assert "softness_entropy/studies/smoke.toml" in studies, studies
    # run from the wheel itself (zip import), outside the checkout
    listing = subprocess.run(
        [sys.executable, "-c",
         "import softness_entropy, sys; assert softness_entropy.__file__.startswith(sys.argv[1]);"
         "from softness_entropy.workflow.studies import get_profile, profile_names;"
         "print(profile_names(), get_profile('smoke').name)", str(wheel)],
        check=True, capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(wheel), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert listing.stdout.strip() == "['demo', 'paper', 'smoke', 'workstation'] smoke"
