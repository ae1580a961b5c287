"""A unit's own link in a real browser on a phone-sized window (390×844): it types its return
in, sees the error under its field, fixes it and submits; its page then shows what it sent.
Debian's chromium and chromium-driver as installed; without them the test skips."""

from pathlib import Path

import pytest
from test_serve_browser import (
    CHROMIUM,
    DRIVER,
    EXAMPLES,
    PDS,
    pytestmark,  # noqa: F401 - skipped without chromium, as those
    served,
    wait,
)

from wenuan.web.campaign import Campaign

selenium = pytest.importorskip("selenium", reason="selenium is not installed (test extras)")


def phone():
    """Headless Chromium the size of a phone."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_argument("--window-size=390,844")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


def figures(path: Path) -> dict[str, str]:
    from wenuan.checking.validate import Options, validate_file
    from wenuan.forms.model import Library

    return {k: str(v) for k, v in validate_file(path, Library(None), Options()).values.items()}


def test_a_unit_types_its_return_on_a_phone_fixes_the_error_and_submits(tmp_path):
    from selenium.webdriver.common.by import By

    (link,) = [k for k in Campaign(tmp_path, PDS).links("http://x") if k.unit == "叶县"]
    token = link.url.rsplit("/", 1)[1]
    driver = phone()
    try:
        with served(tmp_path, PDS) as url:
            driver.get(f"{url}/u/{token}")
            assert driver.find_element(By.ID, "unit-state").text == "未报送"
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= driver.execute_script("return window.innerWidth")  # one column
            driver.find_element(By.ID, "type-in").click()
            wait(lambda: driver.find_elements(By.ID, "figures"))
            values = {**figures(EXAMPLES / f"{PDS}_valid.xlsx"), "swn:05B": "38.05"}
            driver.execute_script(  # the figures a clerk would type, but 05B by the keys
                "for (const [k, v] of Object.entries(arguments[0]))"
                " document.querySelector(`input[data-key='${k}']`).value = v;",
                {k: v for k, v in values.items() if k != "swn:05B"},
            )
            for name, text in (("person", "王芳"), ("phone", "13803751234")):
                driver.find_element(By.NAME, name).send_keys(text)
            field = driver.find_element(By.NAME, "swn:05B")
            field.send_keys("38.05")
            note = 'div.notes[data-for="swn:05B"] .note.sev-error'
            shown = wait(lambda: driver.find_elements(By.CSS_SELECTOR, note), 20)
            assert "改为 38.50" in shown[0].text and shown[0].text.startswith("错误：")
            field.clear()
            field.send_keys("38.50")
            wait(lambda: not driver.find_elements(By.CSS_SELECTOR, note), 20)
            driver.find_element(By.ID, "submit-figures").click()
            wait(lambda: driver.current_url == f"{url}/u/{token}", 20)
            assert driver.find_element(By.ID, "unit-state").text.startswith("逾期")
            history = driver.find_element(By.ID, "history").text
            assert "叶县_在线填报.xlsx　0 个错误，1 个警告（单位在线填写）（以此为准）" in history
            logged = driver.get_log("browser")
            errors = [e for e in logged if e["level"] == "SEVERE" and "favicon" not in e["message"]]
            assert errors == []  # nothing the page's policy refused
    finally:
        driver.quit()
