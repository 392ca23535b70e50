"""The signac-dashboard on the smoke data space, through Flask's test client."""

import re

import pytest

from softness_entropy.workflow.dashboard import make_dashboard

pytestmark = pytest.mark.slow


@pytest.fixture
def client(smoke):
    dashboard = make_dashboard(smoke, {"ACCESS_TOKEN": "secret-token"})
    assert dashboard.config["HOST"] == "localhost"  # safe default: not on the network
    return dashboard.app.test_client()


def test_requires_the_token(client):
    assert client.get("/jobs/").status_code == 401
    client.get("/login?token=wrong")
    assert client.get("/jobs/").status_code == 401  # a wrong token does not log in


def test_jobs_job_and_project_pages(client, smoke):
    assert client.get("/login?token=secret-token").status_code == 302
    page = client.get("/jobs/")
    assert page.status_code == 200
    assert b"replica 0" in page.data  # jobs titled by their state point
    job = min(smoke, key=lambda j: j.cached_statepoint["T"])
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    for needle in (b"dynamics.png", b"rearrangements.png"):
        assert needle in page.data, needle
    # the physical results as a table with units, the digests folded away
    text = page.data.decode()
    for label in ("τα (τ)", "D_A (σ²/τ)", "e_IS per particle (ε)", "P(S &gt; 0 | R)"):
        assert f"<td>{label}</td>" in text, label
    tau = job.doc["dynamics"]["tau_alpha"]
    assert f"<td>{tau:.4g}</td>" in text
    assert "sha256" not in text and job.doc["production"]["sha256"]
    image = re.search(rb'src="([^"]*rearrangements\.png)"', page.data)
    assert image and client.get(image.group(1).decode()).status_code == 200
    project_page = client.get("/project/")
    assert project_page.status_code == 200
    figures = set(re.findall(rb"figures/(figure\d)\.png", project_page.data))
    assert figures == {f"figure{k}".encode() for k in range(1, 7)}
    # the validation report is on the project page, as a table (not escaped text)
    assert b"The paper&#39;s claims, checked" in project_page.data or (
        b"The paper's claims, checked" in project_page.data
    )
    assert project_page.data.count(b"<tr>") >= 2 + len(smoke.doc["validation"]) + 2
    page_text = project_page.data.decode()
    assert "<th>T_A from S</th>" in page_text and "Results by system" in page_text
    for row in smoke.doc["results"]:  # one row per system, T_A with its error
        assert f"<td>{row['delta']:.4g}</td>" in page_text
    assert b"not testable" in project_page.data
    # the propensity figure and its table (every predictor of every chosen state)
    assert b"figures/propensity.png" in project_page.data
    assert "Pearson at t ≈ τα" in page_text
    for row in smoke.doc["propensity"]:
        assert f"<td>{row['predictor']}</td>" in page_text
