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
    for needle in (b"dynamics.png", b"rearrangements.png", b"tau_alpha", b"D_A"):
        assert needle in page.data, needle
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
    assert project_page.data.count(b"<tr>") >= 1 + len(smoke.doc["validation"])
    assert b"not testable" in project_page.data
