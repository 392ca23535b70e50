"""The dashboard in a real headless Chromium (Debian chromium + chromium-driver,
installed by .ci/run): log in with the token, open the project page, check that the six
figures load, and save a screenshot."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401

    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER and HAVE_SELENIUM),
        reason="needs Debian's chromium and chromium-driver and the selenium package",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(smoke):
    port, token = free_port(), "browser-test-token"
    code = (
        "from softness_entropy.workflow.dashboard import make_dashboard; "
        f"make_dashboard(config={{'ACCESS_TOKEN': {token!r}, 'PORT': {port}}}).run()"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=smoke.path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://localhost:{port}", token
    proc.terminate()
    proc.wait(timeout=10)


def test_figures_render_in_a_real_browser(server, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    url, token = server
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1800",
                 f"--user-data-dir={tmp_path / 'chrome'}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(f"{url}/login?token={token}")
        driver.get(f"{url}/project/")
        deadline = time.monotonic() + 30
        loaded = []
        while time.monotonic() < deadline:
            images = driver.find_elements(By.CSS_SELECTOR, "img")
            loaded = sorted(
                {
                    img.get_attribute("src").rsplit("/", 1)[-1]
                    for img in images
                    if "figures/figure" in (img.get_attribute("src") or "")
                    and driver.execute_script("return arguments[0].naturalWidth", img) > 100
                }
            )
            if len(loaded) == 6:
                break
            time.sleep(0.5)
        shot = tmp_path / "dashboard_project.png"
        driver.save_screenshot(str(shot))
        keep = os.environ.get("DASHBOARD_SCREENSHOT")
        if keep:
            shutil.copy(shot, keep)
        assert loaded == [f"figure{k}.png" for k in range(1, 7)], loaded
        assert shot.stat().st_size > 20_000
    finally:
        driver.quit()
