"""wenuan serve in a real browser: headless Chromium driven by Selenium, against uvicorn on a free
port. Debian's chromium and chromium-driver are used as installed (never downloaded); without
them the tests skip.
The pictures in docs/ are made by docs/screenshots.py."""

import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from wenuan.checking import consolidate, validate
from wenuan.forms import model as forms

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
EXAMPLES = Path(__file__).parents[1] / "examples"
PDS = "pingdingshan-2010"
PDS_TITLE, EZHOU_TITLE = "平顶山市 2010年 送温暖工程统计表", "鄂州市 2022年 送温暖统计表"
FIRST = [  # 叶县's returns, the one with an identity error last, then 鲁山's with its own
    EXAMPLES / f"{PDS}_valid.xlsx",
    EXAMPLES / f"{PDS}_missing.xlsx",
    EXAMPLES / f"{PDS}_typed.xlsx",
    EXAMPLES / f"{PDS}_late-no-person.xlsx",
    EXAMPLES / f"{PDS}_yuan-for-wanyuan.xlsx",
    EXAMPLES / "own-layouts" / "叶县_自制表.xlsx",
    EXAMPLES / f"{PDS}_identity.xlsx",
    EXAMPLES / "own-layouts" / "鲁山_自制表_有错.xlsx",
]

selenium = pytest.importorskip("selenium", reason="selenium is not installed (test extras)")
pytestmark = pytest.mark.skipif(
    not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)),
    reason=f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {DRIVER})",
)


@contextmanager
def served(folder: Path, form: str | None):
    """A campaign served by uvicorn in a thread on a free port: its address."""
    import uvicorn

    from wenuan.web.app import Hosts, create_app
    from wenuan.web.campaign import Campaign

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Campaign(folder, form), hosts=Hosts.bound("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait(lambda: server.started, 10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium downloading into a folder of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # given, with the driver: selenium-manager downloads nothing
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to see policy violations
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver, downloads
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """The Pingdingshan campaign the tests below share, in order."""
    folder = tmp_path_factory.mktemp("campaign")
    with served(folder, PDS) as url:
        yield browser[0], url, browser[1], folder


def wait(condition, seconds: float = 60):
    """The condition's value once true; a page between two loads (its elements gone, or stale)
    is looked at again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    end = time.time() + seconds
    while time.time() < end:
        try:
            if value := condition():
                return value
        except (NoSuchElementException, StaleElementReferenceException):
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def upload(driver, paths):
    from selenium.webdriver.common.by import By

    before = driver.find_element(By.TAG_NAME, "body").get_attribute("data-uploaded")
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    wait(lambda: driver.find_element(By.TAG_NAME, "body").get_attribute("data-uploaded") != before)


def downloaded(folder: Path, suffix: str) -> Path:
    def done():
        got = [p for p in folder.iterdir() if p.suffix == suffix]
        partial = [p for p in folder.iterdir() if p.suffix == ".crdownload"]
        return got[0] if got and not partial else None

    path = wait(done)
    return path


def rows(driver):
    from selenium.webdriver.common.by import By

    return {
        r.get_attribute("data-unit"): r.get_attribute("data-state")
        for r in driver.find_elements(By.CSS_SELECTOR, "#roster tbody tr")
    }


def test_upload_the_examples_and_see_counts_and_states(site):
    from selenium.webdriver.common.by import By

    driver, url, _, _ = site
    driver.get(url + "/")
    upload(driver, FIRST)
    log = driver.find_elements(By.CSS_SELECTOR, "#upload-log li")
    assert len(log) == 8
    assert log[-1].text == "鲁山_自制表_有错.xlsx：鲁山，1 个错误，0 个警告"
    assert driver.find_element(By.ID, "progress-text").text == "已检查 8 个文件"
    counts = {
        b.get_attribute("data-count"): b.text
        for b in driver.find_elements(By.CSS_SELECTOR, "#counts b[data-count]")
    }
    assert counts == {"ok": "0", "errors": "2", "late": "0", "late_errors": "0", "missing": "21"}
    assert driver.find_element(By.ID, "total-errors").text == "2"
    states = rows(driver)
    assert (states["叶县"], states["鲁山"], states["卫东区"]) == ("errors", "errors", "missing")


def test_filter_and_sort_the_roster(site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver, url, _, _ = site
    driver.get(url + "/")
    Select(driver.find_element(By.ID, "filter-state")).select_by_value("errors")
    shown = [
        r.get_attribute("data-unit")
        for r in driver.find_elements(By.CSS_SELECTOR, "#roster tbody tr")
        if r.is_displayed()
    ]
    assert sorted(shown) == ["叶县", "鲁山"]
    Select(driver.find_element(By.ID, "filter-state")).select_by_value("")
    driver.find_element(By.ID, "filter-text").send_keys("卫东")
    shown = [
        r for r in driver.find_elements(By.CSS_SELECTOR, "#roster tbody tr") if r.is_displayed()
    ]
    assert [r.get_attribute("data-unit") for r in shown] == ["卫东区"]
    driver.find_element(By.ID, "filter-text").clear()
    driver.get(url + "/")
    count_header = driver.find_elements(By.CSS_SELECTOR, "#roster th")[6]  # 报送次数
    count_header.click()
    count_header.click()  # descending: 叶县 sent 7 times
    first = driver.find_element(By.CSS_SELECTOR, "#roster tbody tr")
    assert first.get_attribute("data-unit") == "叶县"


def test_unit_with_an_identity_error_shows_the_fix_and_the_annotated_copy(site):
    from selenium.webdriver.common.by import By

    driver, url, downloads, _ = site
    driver.get(url + "/")
    driver.find_element(By.LINK_TEXT, "叶县").click()
    assert driver.find_element(By.ID, "unit-name").text == "叶县"
    finding = driver.find_element(By.CSS_SELECTOR, "tr[data-kind=identity]")
    assert finding.find_element(By.CSS_SELECTOR, ".cell").text == "送温暖工程统计表 E19"
    assert (
        finding.find_element(By.CSS_SELECTOR, ".suggestion").text
        == "送温暖工程统计表 E20 改为 38.50"
    )
    marked = [
        td.get_attribute("data-place") for td in driver.find_elements(By.CSS_SELECTOR, "td.marked")
    ]
    assert marked == ["送温暖工程统计表 E19", "送温暖工程统计表 E20"]
    row = driver.find_element(By.CSS_SELECTOR, "td.marked").find_element(By.XPATH, "..")
    assert row.find_element(By.CSS_SELECTOR, "th.row").text == "19"  # beside its row number
    assert len(driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")) == 7
    driver.find_element(By.ID, "download-annotated").click()
    copy = downloaded(downloads, ".xlsx")
    assert copy.name == "叶县_标注.xlsx"
    ws = openpyxl.load_workbook(copy)["送温暖工程统计表"]
    assert ws["E20"].fill.fgColor.rgb.endswith("FFC7CE") and "疑为 38.50" in ws["E20"].comment.text
    copy.unlink()


def test_total_is_refused_then_corrected_returns_turn_green_and_add_up(site, tmp_path):
    from selenium.webdriver.common.by import By

    driver, url, downloads, _ = site
    driver.get(url + "/")
    driver.find_element(By.ID, "make-total").click()
    lines = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#message-lines li"))
    assert lines[0].text == "不能汇总，未写出任何文件："
    assert "pingdingshan-2010_identity.xlsx 有 1 个错误" in lines[1].text
    fixed = tmp_path / "鲁山_改正.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "own-layouts" / "鲁山_自制表_有错.xlsx")
    wb["报表"]["D17"] = 38.5  # the fix the page suggested
    wb.save(fixed)
    corrected = tmp_path / "叶县_改正.xlsx"
    shutil.copy(EXAMPLES / f"{PDS}_valid.xlsx", corrected)
    driver.get(url + "/")
    upload(driver, [corrected, fixed])
    states = rows(driver)
    assert (states["叶县"], states["鲁山"]) == ("ok", "ok")
    colour = driver.find_element(By.CSS_SELECTOR, "tr[data-unit=叶县] td.state")
    assert colour.value_of_css_property("color") == "rgba(27, 125, 47, 1)"  # green
    driver.find_element(By.ID, "make-total").click()
    total = downloaded(downloads, ".xlsx")
    assert total.name == "平顶山2010送温暖汇总表.xlsx"
    library = forms.Library()
    reports = [
        validate.validate_file(p, library, validate.Options(form_id=PDS))
        for p in (corrected, fixed)
    ]
    expected = consolidate.consolidate(reports, library, PDS)
    sheet = openpyxl.load_workbook(total)["各单位"]
    table = [[c.value for c in r] for r in sheet.iter_rows()]
    head = [str(h).split("（")[0] for h in table[0]]
    assert [r[0] for r in table[2:]] == ["叶县", "鲁山", "合计"]
    assert {k: float(v) for k, v in expected.total.items()} == {
        k: table[-1][head.index(k)] for k in expected.total
    }
    expected.close()
    total.unlink()
    driver.get(url + "/")
    driver.find_element(By.ID, "make-docx").click()
    report = downloaded(downloads, ".docx")
    assert report.name == "平顶山2010送温暖工作报告.docx"
    import docx

    text = "\n".join(p.text for p in docx.Document(report).paragraphs)
    assert "情况报告" in text and "以下数字据已报送的2个单位统计" in text
    assert "未报送" not in text  # who has not reported: in the cover note, not the report
    report.unlink()
    driver.find_element(By.ID, "report-to").send_keys("河南省总工会")
    driver.find_element(By.ID, "keep-words").click()
    wait(lambda: driver.current_url.endswith("/#report"))  # kept, and the page shown again
    driver.find_element(By.ID, "make-docx").click()
    report = downloaded(downloads, ".docx")
    assert docx.Document(report).paragraphs[1].text == "河南省总工会："


def test_the_pages_own_forms_post_and_its_script_runs_under_its_policy(site):
    """撤回 and the form select post with the page's Origin and pass; the page's script runs,
    a script injected inline does not (the content security policy), and nothing else is
    blocked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver, url, _, _ = site
    driver.get_log("browser")  # what earlier tests logged
    driver.get(url + "/unit/鲁山")
    driver.find_element(By.ID, "withdraw").click()
    wait(lambda: driver.find_elements(By.ID, "roster") and rows(driver).get("鲁山") == "missing")
    Select(driver.find_element(By.ID, "form-select")).select_by_visible_text(EZHOU_TITLE)
    driver.find_element(By.CSS_SELECTOR, "form.choose button").click()
    body = lambda: driver.find_element(By.TAG_NAME, "body")  # noqa: E731
    wait(lambda: body().get_attribute("data-form") == EZHOU_TITLE)
    assert driver.find_element(By.CSS_SELECTOR, "header .form-name").text == EZHOU_TITLE
    Select(driver.find_element(By.ID, "form-select")).select_by_visible_text(PDS_TITLE)
    driver.find_element(By.CSS_SELECTOR, "form.choose button").click()
    wait(lambda: body().get_attribute("data-form") == PDS_TITLE)
    assert driver.find_element(By.ID, "upload-button").get_attribute("hidden")  # the script ran
    driver.execute_script(
        "const s = document.createElement('script');"
        " s.textContent = 'document.body.dataset.inline = 1'; document.body.appendChild(s);"
    )
    assert body().get_attribute("data-inline") is None
    blocked = [
        e["message"] for e in driver.get_log("browser") if "Content Security" in e["message"]
    ]
    assert len(blocked) == 1 and "inline" in blocked[0], blocked


def test_drop_the_examples_folder_and_get_the_word_report(browser, tmp_path):
    """What the issue asks of a clerk: one command, the examples folder, the Word report."""
    from selenium.webdriver.common.by import By

    driver, downloads = browser
    for old in downloads.iterdir():
        old.unlink()
    with served(tmp_path, None) as url:
        driver.get(url + "/")
        assert not driver.find_elements(By.ID, "roster")  # no form yet: the first return names it
        before = driver.find_element(By.TAG_NAME, "body").get_attribute("data-uploaded")
        driver.find_element(By.ID, "folder").send_keys(str(EXAMPLES))
        wait(
            lambda: (
                driver.find_element(By.TAG_NAME, "body").get_attribute("data-uploaded") != before
            )
        )
        assert len(driver.find_elements(By.CSS_SELECTOR, "#upload-log li")) == 33
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-form") == EZHOU_TITLE
        states = rows(driver)
        assert states["鄂城区总工会"] in ("ok", "errors", "late_errors")
        driver.find_element(By.NAME, "allow_errors").click()
        driver.find_element(By.ID, "make-docx").click()
        report = downloaded(downloads, ".docx")
    import docx

    text = "\n".join(p.text for p in docx.Document(report).paragraphs)
    assert "情况报告" in text
