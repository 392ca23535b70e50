"""A data space that grows: an extended study adds jobs, the cascade continues from the
coldest equilibrated state, and exactly the outputs that depend on the new jobs are
recomputed (workflow/provenance.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import signac
from conftest import ROOT, project_cmd

from softness_entropy.files import file_digest
from softness_entropy.workflow.products import system_file

pytestmark = pytest.mark.slow


def snapshot(project) -> dict:
    """Digests of every per-job and per-system output."""
    out = {}
    for job in project:
        T, delta = job.sp.T, job.sp.delta
        doc = job.doc()  # a plain copy: signac's synced views would follow the file
        for record in ("production", "inherent_structures", "phop", "softness", "softness_model"):
            out[(delta, T, record)] = json.dumps(doc.get(record, {}).get("sha256"))
        out[(delta, "system")] = file_digest(system_file(job))
    out["figures"] = json.dumps(project.doc().get("figures_made_from", {}), sort_keys=True)
    return out


def test_an_extended_study_recomputes_only_what_depends_on_the_new_jobs(smoke, tmp_path):
    root = tmp_path / "grown"
    shutil.copytree(smoke.path, root, symlinks=True)
    before = snapshot(signac.get_project(root))
    # the smoke study with one colder temperature for Δ = 0 (reference T = 0.7)
    text = (ROOT / "src" / "softness_entropy" / "studies" / "smoke.toml").read_text()
    assert text.count("t_max = 2.0\n") == 1
    study = tmp_path / "smoke-colder.toml"
    study.write_text(text.replace("t_max = 2.0\n", "t_max = 2.0\ncolder = [0.7]\n"))
    out = subprocess.run(
        [sys.executable, str(ROOT / "init.py"), "--study", str(study)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "1 jobs created, 7 in all" in out.stdout

    status = project_cmd("status", cwd=root).stdout
    assert "quench" in status
    project_cmd("run", "--parallel", "2", cwd=root)
    project = signac.get_project(root)
    after = snapshot(project)

    (new,) = project.find_jobs({"delta": 0.0, "T": 0.7})
    (coldest,) = project.find_jobs({"delta": 0.0, "T": 0.8})
    assert new.doc["equilibration"]["started_from"] == coldest.id
    assert all(new.doc.get(k) for k in ("dynamics", "phop", "softness", "softness_model"))
    old_cold = [j for j in project.find_jobs({"delta": 0.0}) if j.id != new.id]
    for job in old_cold:  # simulations and phop kept; model retrained, S recomputed
        T = job.sp.T
        for record in ("production", "inherent_structures", "phop"):
            assert after[(0.0, T, record)] == before[(0.0, T, record)], (T, record)
        assert after[(0.0, T, "softness_model")] != before[(0.0, T, "softness_model")]
        assert after[(0.0, T, "softness")] != before[(0.0, T, "softness")]
        assert job.doc["softness_model"]["trained_on_T"] == [0.7, 0.8, 1.0]
    for key, value in before.items():  # Δ = 0.4: every output kept as it was
        if isinstance(key, tuple) and key[0] == 0.4:
            assert after[key] == value, key
    assert after[(0.0, "system")] != before[(0.0, "system")]
    assert after["figures"] != before["figures"]
    assert len(json.loads(after["figures"])) == 2
    system = json.loads(system_file(new).read_text())
    assert system["temperatures"] == [0.7, 0.8, 1.0, 2.0]
    # running again recomputes nothing
    project_cmd("run", "--parallel", "2", cwd=root)
    assert snapshot(signac.get_project(root)) == after
