"""The pictures of the web page in docs/ (使用说明.md, README): headless Chromium over a campaign
with the Pingdingshan examples sent as a county would name them. Run from the repository root:
`python docs/screenshots.py` (`… unit-link` for docs/unit-link.png alone; needs chromium,
chromedriver and selenium, as the browser tests)."""

import shutil
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).parent
sys.path.insert(0, str(DOCS.parent / "tests"))

from test_serve_browser import EXAMPLES, PDS, served, upload, wait  # noqa: E402

WIDTH = 1200
SENT = [  # 叶县's drafts, the one with a slip last; then 鲁山's own layout
    (f"{PDS}_valid.xlsx", "叶县送温暖统计表.xlsx"),
    (f"{PDS}_missing.xlsx", "叶县送温暖统计表（二）.xlsx"),
    (f"{PDS}_late-no-person.xlsx", "叶县送温暖统计表（三）.xlsx"),
    (f"{PDS}_identity.xlsx", "叶县送温暖统计表（改）.xlsx"),
    ("own-layouts/鲁山_自制表_有错.xlsx", "鲁山县送温暖统计表.xlsx"),
]


def save(image, name: str) -> None:
    """A screenshot as a small PNG: 128 colours are plenty for a page of text."""
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(image)).convert("RGB")
    picture.quantize(128, dither=Image.Dither.NONE).save(DOCS / name, optimize=True)


def whole(driver, name: str) -> None:
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(WIDTH, min(height + 140, 2600))
    save(driver.get_screenshot_as_png(), name)
    driver.set_window_size(WIDTH, 1000)


def part(driver, css: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(WIDTH, 2600)
    save(driver.find_element(By.CSS_SELECTOR, css).screenshot_as_png, name)
    driver.set_window_size(WIDTH, 1000)


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={WIDTH},1000")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "收到的报表"
        files.mkdir()
        for example, name in SENT:
            shutil.copy(EXAMPLES / example, files / name)
        try:
            with served(Path(tmp) / "送温暖2010", None) as url:
                driver.get(url + "/")
                whole(driver, "guide-start.png")
                upload(driver, [files / name for _, name in SENT])
                whole(driver, "guide-campaign.png")
                shutil.copy(DOCS / "guide-campaign.png", DOCS / "serve-campaign.png")
                driver.find_element(By.LINK_TEXT, "叶县").click()
                wait(lambda: driver.find_elements(By.ID, "unit-name"))
                part(driver, "main > section:nth-of-type(1)", "guide-unit.png")
                part(driver, "main > section:nth-of-type(2)", "guide-findings.png")
                driver.execute_script(
                    "document.querySelector('.sheet-wrap').scrollTop ="
                    " document.querySelector('td.marked').offsetTop - 120"
                )
                part(driver, "main > section:nth-of-type(3)", "guide-preview.png")
                part(driver, "main > section:nth-of-type(4)", "guide-history.png")
                whole(driver, "serve-unit.png")
                driver.get(url + "/")
                part(driver, "main > section:last-of-type", "guide-total.png")
                driver.find_element(By.ID, "make-total").click()
                wait(lambda: driver.find_elements(By.ID, "message-lines"))
                part(driver, "main", "guide-refused.png")
        finally:
            driver.quit()


def unit_link() -> None:
    """docs/unit-link.png: 鲁山's own page on a phone after it sent its return with a slip."""
    from selenium.webdriver.common.by import By
    from test_unit_links_browser import phone

    from wenuan.web.campaign import Campaign

    driver = phone()
    with tempfile.TemporaryDirectory() as tmp:
        links = Campaign(Path(tmp), PDS).links("http://x")
        token = next(k.url for k in links if k.unit == "鲁山").rsplit("/", 1)[1]
        try:
            with served(Path(tmp), PDS) as url:
                driver.get(f"{url}/u/{token}")
                driver.find_element(By.ID, "files").send_keys(str(EXAMPLES / SENT[-1][0]))
                driver.find_element(By.ID, "send").click()
                wait(lambda: driver.find_elements(By.ID, "received"))
                height = driver.execute_script("return document.body.scrollHeight")
                driver.set_window_size(390, height + 140)
                save(driver.get_screenshot_as_png(), "unit-link.png")
        finally:
            driver.quit()


if __name__ == "__main__":
    if sys.argv[1:] != ["unit-link"]:  # `python docs/screenshots.py unit-link`: only that one
        main()
    unit_link()
