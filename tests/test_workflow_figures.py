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


def test_validation_report_on_the_smoke_profile(smoke):
    """Every claim has a row; the smoke profile (two systems, three liquid
    temperatures each) cannot test the cross-system claims and says so."""
    root = Path(smoke.path)
    text = (root / "results" / "validation.md").read_text()
    rows = smoke.doc["validation"]
    assert [r["claim"] for r in rows] == list(range(1, 10))
    verdicts = {r["claim"]: r["verdict"] for r in rows}
    assert set(verdicts.values()) <= {"agree", "disagree", "not testable"}
    for claim in (3, 4, 7, 8):  # need ≥ 3 systems or supercooled states
        assert verdicts[claim] == "not testable", claims_text(rows, claim)
    assert "How the open conventions move the results" in text
    for convention in ("phop window labelled by its start", "authors' P_R analysis"):
        assert convention in text
    with open(root / "results" / "validation.csv") as f:
        assert len(list(csv.DictReader(f))) == len(rows)


def claims_text(rows, claim):
    return next(r for r in rows if r["claim"] == claim)
