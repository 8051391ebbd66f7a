"""The projector page in a real browser: Debian's Chromium, headless, through selenium.

It must change within a second of a throw from elsewhere (a POST), a key
press on the page must add a throw, and so must a tap on the phone page.
Skipped, with the reason, where Chromium or its driver is not installed
(``scripts/install.sh --test`` installs both as root).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
import pytest
from live_helpers import CODE, serving, throw

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (scripts/install.sh --test installs them)",
)

#: Chromium as a test wants it: no window, no sandbox (root in CI), nothing from the network.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,720"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for(driver, script: str, expected: str, timeout: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``script`` returns ``expected`` in the page (fails after ``timeout``)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if driver.execute_script(script) == expected:
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"{script} never returned {expected!r}: {driver.execute_script(script)!r}")


def test_the_projector_page_follows_throws_and_takes_keys(tmp_path: Path, browser):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains

    log = tmp_path / "class.csv"
    n = "return document.getElementById('n').textContent"
    with serving(log, tmp_path / "server") as server:
        browser.get(server.url + "/")
        _wait_for(browser, n, "0", 15)
        _wait_for(browser, "return String(document.querySelectorAll('#bars rect').length)", "6", 5)
        time.sleep(0.3)  # the event stream is open
        assert throw(httpx, server.url, 5, client="phone-1", source="phone").status_code == 201
        assert _wait_for(browser, n, "1", 5) < 1.0
        assert "−log" in browser.find_element("id", "latest").text
        ActionChains(browser).send_keys("3").perform()  # a key press on the projector page
        _wait_for(browser, n, "2", 5)
        severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        browser.get(f"{server.url}/throw?code={CODE}")  # a phone taps 6
        browser.find_element("css selector", "button[data-face='6']").click()
        sent = "return document.getElementById('result').textContent"
        _wait_for(browser, sent, "Sent: 6", 5)
        assert server.stop() == 0
    assert not severe, severe
    rows = log.read_text().splitlines()
    assert rows[1].startswith("5,") and rows[1].endswith(",phone")
    assert rows[2].startswith("3,") and rows[2].endswith(",key")
    assert rows[3].startswith("6,") and rows[3].endswith(",phone") and len(rows) == 4
