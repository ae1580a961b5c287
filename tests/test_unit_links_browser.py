"""Units' own links in a real browser on a phone-sized window (390×844), and the city's page:
one unit uploads, one types its return in; both fix what is wrong; the city sees both.
Debian's chromium and chromium-driver as installed; without them the test skips."""

import io
import urllib.request
from pathlib import Path

import openpyxl
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LUSHAN = EXAMPLES / "own-layouts" / "鲁山_自制表_有错.xlsx"


def figures(path: Path) -> dict[str, str]:
    from wenuan.checking.validate import Options, validate_file
    from wenuan.forms.model import Library

    return {k: str(v) for k, v in validate_file(path, Library(None), Options()).values.items()}


def test_two_units_send_through_their_links_and_the_city_sees_both(tmp_path):
    """Three actors: 鲁山 uploads on its phone, sees its error and sends the fixed file; 叶县
    types its return in, sees an error under 05B, fixes it, submits and explains a warning; the
    city sees both, with how each came, and makes the total."""
    from selenium.webdriver.common.by import By
    from test_serve import corrected_lushan

    links = {k.unit: k.url.rsplit("/", 1)[1] for k in Campaign(tmp_path, PDS).links("http://x")}
    driver = phone()
    try:
        with served(tmp_path, PDS) as url:
            # 鲁山: uploads, sees the slip, uploads the fixed file
            driver.get(f"{url}/u/{links['鲁山']}")
            assert driver.find_element(By.ID, "unit-state").text == "未报送"
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= driver.execute_script("return window.innerWidth")  # one column
            driver.find_element(By.ID, "files").send_keys(str(LUSHAN))
            driver.find_element(By.ID, "send").click()
            wait(lambda: driver.find_elements(By.ID, "received"))
            (finding,) = driver.find_elements(By.CSS_SELECTOR, ".unit-findings li.sev-error")
            assert "报表 D17 可能应为 38.50" in finding.text
            driver.find_element(By.ID, "files").send_keys(str(corrected_lushan(tmp_path)))
            driver.find_element(By.ID, "send").click()
            wait(lambda: driver.find_elements(By.ID, "no-findings"))

            # 叶县: types it in, sees the error under 05B, fixes it, submits
            driver.get(f"{url}/u/{links['叶县']}")
            driver.find_element(By.ID, "type-in").click()
            wait(lambda: driver.find_elements(By.ID, "figures"))
            values = {**figures(EXAMPLES / f"{PDS}_valid.xlsx"), "swn:08B[名]": "400"}
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
            assert "38.05 疑为 38.50" in shown[0].text and shown[0].text.startswith("错误：")
            field.clear()
            field.send_keys("38.50")
            wait(lambda: not driver.find_elements(By.CSS_SELECTOR, note), 20)
            driver.find_element(By.ID, "submit-figures").click()
            wait(lambda: driver.current_url == f"{url}/u/{links['叶县']}", 20)
            assert driver.find_element(By.ID, "unit-state").text.startswith("逾期")
            history = driver.find_element(By.ID, "history").text
            assert "叶县_在线填报.xlsx　0 个错误，2 个警告（单位在线填写）（以此为准）" in history

            # 叶县 explains the warning on 08B
            (warning,) = driver.find_elements(By.CSS_SELECTOR, ".unit-findings li.sev-warning")
            warning.find_element(By.NAME, "text").send_keys("08A 只填了非农民工职工")
            warning.find_element(By.TAG_NAME, "button").click()
            said = wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".explained"))
            assert said[0].text == "已说明：08A 只填了非农民工职工"
            logged = driver.get_log("browser")
            errors = [e for e in logged if e["level"] == "SEVERE" and "favicon" not in e["message"]]
            assert errors == []  # nothing the page's policy refused

            # the city: both units, how each came, the explanation, the total
            driver.set_window_size(1280, 1000)
            driver.get(f"{url}/")
            states = {
                row.get_attribute("data-unit"): row.get_attribute("data-state")
                for row in driver.find_elements(By.CSS_SELECTOR, "#roster tbody tr")
            }
            assert (states["叶县"], states["鲁山"], states["郏县"]) == ("late", "ok", "missing")
            driver.get(f"{url}/unit/叶县")
            assert "单位的核实说明：08A 只填了非农民工职工" in driver.page_source
            assert driver.find_element(By.CSS_SELECTOR, "td.via").text == "单位在线填写"
            got = driver.execute_async_script(
                "fetch('/total.xlsx?allow_errors=0').then(r => arguments[0]("
                "[r.status, r.headers.get('content-type')]))"
            )
            assert got == [200, XLSX]
            with urllib.request.urlopen(f"{url}/total.xlsx") as response:
                total = openpyxl.load_workbook(io.BytesIO(response.read()))
            sources = [str(c.value) for row in total["来源"].iter_rows() for c in row]
            assert "叶县_在线填报.xlsx" in sources and "鲁山_改正.xlsx" in sources
    finally:
        driver.quit()
