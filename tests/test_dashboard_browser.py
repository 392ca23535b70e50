"""The dashboard in a real headless Chromium (Debian chromium + chromium-driver,
installed by .ci/run) at a laptop's window size: log in with the token, open the project
page, check that the six figures load and that the results and claims tables can be
read (every cell at least as wide as its widest word, the tables across the page), and
save a screenshot."""

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


#: per full-width card: its title, width (px) and, per table cell, the widest word's
#: rendered width in the cell's font and the room the cell gives its text (px)
READABLE_TABLES = """
const probe = document.createElement('span');
probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
document.body.appendChild(probe);
const cards = [...document.querySelectorAll('.wide-card')].map(card => {
  const cells = [...card.querySelectorAll('th, td')].map(cell => {
    const style = getComputedStyle(cell);
    probe.style.font = style.font;
    let word = 0;
    for (const w of cell.innerText.split(/\\s+/).filter(Boolean)) {
      probe.textContent = w;
      word = Math.max(word, probe.getBoundingClientRect().width);
    }
    const room = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    return {text: cell.innerText.slice(0, 40), word: word, room: room};
  });
  return {title: card.querySelector('.card-header-title').innerText.trim(),
          width: card.getBoundingClientRect().width, cells: cells};
});
probe.remove();
return cards;
"""


def test_figures_render_in_a_real_browser(server, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    url, token = server
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1366,768",
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
        assert loaded == [f"figure{k}.png" for k in range(1, 7)], loaded
        cards = driver.execute_script(READABLE_TABLES)
        main = driver.execute_script(
            "return document.querySelector('section.section').getBoundingClientRect().width"
        )
        titles = [c["title"] for c in cards]
        assert "Results by system" in titles and "The paper's claims, checked" in titles, titles
        for card in cards:
            print(f"{card['title']}: card {card['width']:.0f} px of {main:.0f} px, "
                  f"{len(card['cells'])} cells")  # fmt: skip
            assert card["width"] > 0.9 * main, card["title"]  # across the page
            squeezed = [c for c in card["cells"] if c["room"] + 0.5 < c["word"]]
            assert not squeezed, (card["title"], squeezed[:5])
        driver.execute_script(
            "document.querySelector('.wide-card').scrollIntoView({block: 'start'})"
        )
        shot = tmp_path / "dashboard_project.png"
        driver.save_screenshot(str(shot))
        keep = os.environ.get("DASHBOARD_SCREENSHOT")
        if keep:
            shutil.copy(shot, keep)
        assert shot.stat().st_size > 20_000
    finally:
        driver.quit()
