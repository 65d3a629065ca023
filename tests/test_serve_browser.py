"""``bibtools serve`` driven in a real headless browser (Debian's chromium + chromium-driver
through Selenium): paste, pick a style, read the preview, edit, copy, merge, and a hostile
title that must stay text. One browser serves every test of the module."""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bibtools.api import load_file
from bibtools.cli import main
from conftest import CORPORA
from servetools import live

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401
except ImportError:  # the test extra installs it
    selenium = None
if selenium is None or not CHROMIUM or not CHROMEDRIVER:
    pytest.skip("needs selenium and Debian's chromium + chromium-driver (.ci/run installs them)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--window-size=1280,1600")
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("library") / "library.bib"
    path.write_text("% the user's own library\n@book{kept, author = {Ann Author}, title = {Kept As It Is}, publisher = {P}, year = {2001}}\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(library) -> Iterator[str]:
    with live(library) as (url, _):
        yield url


def wait_for(condition: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def open_page(browser, site: str) -> None:
    browser.get(site)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#style option"))
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": site.rstrip("/"), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})


def pick_style(browser, name: str) -> None:
    search = browser.find_element(By.ID, "style-search")
    search.clear()
    search.send_keys(name)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, f'#style option[value="{name}"]'))
    Select(browser.find_element(By.ID, "style")).select_by_value(name)


def paste(browser, text: str, *, replace: bool = True) -> str:
    browser.execute_script("arguments[0].value = arguments[1]; document.getElementById('status').textContent = '';",
                           browser.find_element(By.ID, "paste"), text)
    browser.find_element(By.ID, "replace" if replace else "parse").click()
    return wait_for(lambda: (s := browser.find_element(By.ID, "status").text) not in ("", "Reading…") and s)


def preview_lines(browser) -> list[str]:
    return [" ".join(e.text.split()) for e in browser.find_elements(By.CSS_SELECTOR, "#preview .csl-entry")]


def printed(style: str, source: Path) -> list[str]:
    out = CliRunner().invoke(main, ["format", "--style", style, str(source)]).stdout
    return [" ".join(line.split()) for line in out.splitlines()]


def clipboard(browser, kind: str = "text/plain") -> str:
    return browser.execute_async_script("""
        const [kind, done] = arguments;
        navigator.clipboard.read().then(async (items) => {
          for (const item of items) if (item.types.includes(kind)) { done(await (await item.getType(kind)).text()); return; }
          done("");
        }, (err) => done("ERROR " + err));""", kind)


@pytest.mark.corpus
def test_paste_bib_and_ris_preview_as_bibtools_format_in_ieee_then_apa(browser, site, tmp_path_factory):
    open_page(browser, site)
    pick_style(browser, "ieee")
    bib = CORPORA / "reference" / "xampl.bib"
    assert paste(browser, bib.read_text(encoding="utf-8")).startswith("Read 36 record(s) as bibtex")
    assert preview_lines(browser) == printed("ieee", bib)
    ris = CORPORA / "ris" / "asysd-scopus.ris"
    assert paste(browser, ris.read_text(encoding="utf-8-sig")).startswith("Read 10 record(s) as ris")
    assert preview_lines(browser) == printed("ieee", ris)
    browser.execute_script("document.getElementById('status').textContent = ''")
    pick_style(browser, "apa")
    wait_for(lambda: browser.find_element(By.ID, "status").text == "Preview in apa.")
    assert preview_lines(browser) == printed("apa", ris)
    shot = tmp_path_factory.getbasetemp() / "bibtools-serve.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_copy_rich_list_edit_key_copy_bibtex_and_merge(browser, site, library):
    open_page(browser, site)
    pick_style(browser, "ieee")
    text = ("@article{first, author = {Grace Hopper}, title = {The Education of a Computer}, journal = {Proceedings of the ACM}, year = {1952}}\n"
            "@article{second, author = {Alan Turing}, title = {Computing Machinery and Intelligence}, journal = {Mind}, volume = {59}, year = {1950}}\n")
    paste(browser, text)
    entries = preview_lines(browser)
    assert len(entries) == 2 and entries[0].startswith("[1]")
    browser.find_element(By.ID, "copy-list").click()
    wait_for(lambda: browser.find_element(By.ID, "copy-status").text)
    assert browser.find_element(By.ID, "copy-status").text.startswith("Copied"), browser.find_element(By.ID, "copy-status").text
    assert clipboard(browser, "text/plain").splitlines() == entries
    assert "<i>Mind</i>" in clipboard(browser, "text/html")  # italics survive a paste into a word processor
    # edit a key: the entry re-renders in place, the BibTeX follows
    browser.execute_script("document.querySelectorAll('#preview .entry').forEach((e) => { e.mark = 'drawn before the edit'; })")
    key = browser.find_elements(By.CSS_SELECTOR, "#records input.key")[1]
    key.clear()
    key.send_keys("turing1950")
    wait_for(lambda: key.get_attribute("data-saved") == "turing1950")
    marks = browser.execute_script("return [...document.querySelectorAll('#preview .entry')].map((e) => e.mark || null)")
    assert marks == ["drawn before the edit", None]  # only the edited entry was re-rendered
    assert preview_lines(browser) == entries
    Select(browser.find_element(By.ID, "export-format")).select_by_value("bibtex")
    browser.find_element(By.ID, "copy-export").click()
    wait_for(lambda: browser.find_element(By.ID, "export-status").text)
    assert "@article{turing1950," in clipboard(browser).lower()
    assert clipboard(browser) == browser.find_element(By.ID, "export-text").get_attribute("value")
    # merge: the diff first, then the write
    browser.find_element(By.ID, "merge-preview").click()
    diff = wait_for(lambda: browser.find_element(By.ID, "diff").text)
    assert "+@article{turing1950," in diff.lower() and "kept" not in load_file(library).keys()[1:]
    assert len(load_file(library)) == 1  # nothing written yet
    browser.find_element(By.ID, "merge-confirm").click()
    wait_for(lambda: browser.find_element(By.ID, "merge-status").text.startswith("Written"))
    assert load_file(library).keys() == ["kept", "first", "turing1950"]
    assert library.read_text(encoding="utf-8").startswith("% the user's own library\n@book{kept,")


def test_a_hostile_title_is_shown_as_text_and_runs_no_script(browser, site):
    open_page(browser, site)
    pick_style(browser, "apa")
    paste(browser, "@article{evil, author = {Mallory}, title = {" + HOSTILE + "}, journal = {J}, year = {2020}}\n")
    entry = browser.find_element(By.CSS_SELECTOR, "#preview .csl-entry")
    assert "<script>window.__pwned = 1</script>" in entry.text and "onerror=" in entry.text
    assert browser.execute_script("return window.__pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "#preview script, #preview img, #records script, #records img")
    assert browser.find_element(By.CSS_SELECTOR, "#records input.title").get_attribute("value") == HOSTILE
