"""Project-level analysis and figures on the smoke profile."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_system_analysis_records(smoke):
    files = sorted(Path(smoke.path, "analysis").glob("system_*.json"))
    systems = {(j.cached_statepoint["delta"], j.cached_statepoint["rho"]) for j in smoke}
    assert len(files) == len(systems)
    for f in files:
        rec = json.loads(f.read_text())
        for key in ("S", "s2"):
            assert len(rec[key]["edges"]) == 6 and len(rec[key]["energy"]) == 5
            pr = np.array(rec[key]["P_R"], dtype=float)
            assert pr.shape == (len(rec["temperatures"]), 5)
            assert np.all((pr >= 0) & (pr <= 1))
        assert len(rec["grouped_rdf"]["s2"]) == 5
        assert all(v < 0 for v in rec["grouped_rdf"]["s2"])
        assert -1 <= rec["pearson_S_s2"] <= 1


def test_figures_and_results_table(smoke):
    root = Path(smoke.path)
    for k in range(1, 7):
        for ext in ("png", "pdf"):
            path = root / "figures" / f"figure{k}.{ext}"
            assert path.stat().st_size > 10_000, path
    with open(root / "results" / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(smoke.doc["results"]) == 2
    assert {float(r["delta"]) for r in rows} == {0.0, 0.4}
