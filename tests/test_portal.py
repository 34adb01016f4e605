"""The portal served by a real HTTP server on 127.0.0.1: releases validate by URL, and the
page renders in headless Chromium with its versions, downloads and chart."""

from __future__ import annotations

import hashlib
import html.parser
import http.server
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PUBLISHER, serving
from gcm_open.building import BuildResult
from gcm_open.release import publish
from gcm_open.schemas import TABLE_NAMES
from gcm_open.validation import validate
from test_release import _correct_a_title

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def portal(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal with two releases: 1.0.0 and a corrected 1.0.1."""
    root = tmp_path_factory.mktemp("portal")
    package = root / "package"
    shutil.copytree(built.out_dir, package)
    portal = root / "site"
    publish(
        "1.0.0",
        package=package,
        portal=portal,
        released="2022-10-05",
        **PUBLISHER,
        notes="First release",
    )
    _correct_a_title(package)
    publish(
        "1.0.1",
        package=package,
        portal=portal,
        released="2022-11-01",
        **PUBLISHER,
        notes="Corrected a title",
    )
    return portal


@pytest.fixture(scope="module")
def server(portal: Path) -> Iterator[str]:
    class Portal(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(portal), **kwargs)

    with serving(Portal) as url:
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "releases/1.0.0/datapackage.json",
        "releases/1.0.1/datapackage.json",
        "releases/1.0.1/gcm-open-compendio-2022-1.0.1.zip",
        "releases/1.0.0/gcm-open-compendio-2022-1.0.0.zip",
        "latest/datapackage.json",
    ],
)
def test_every_release_validates_by_url(server: str, path: str) -> None:
    report = validate(f"{server}/{path}")
    assert report.valid, report.to_dict()["findings"][:3]


def _sums(portal: Path, version: str) -> dict[str, str]:
    lines = (portal / "releases" / version / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"]
        )
        try:
            yield launched
        finally:
            launched.close()


def test_the_page_renders_in_a_browser(
    portal: Path, server: str, tmp_path: Path, browser: Any
) -> None:
    page = browser.new_page(accept_downloads=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server}/index.html")
    assert page.locator("#latest-version").inner_text() == "1.0.1"
    versions = page.locator("#versions li.version")
    assert versions.count() == 2
    assert page.locator("#versions").inner_html().count("Corrected a title") == 1
    assert page.locator("#downloads a.download").count() == 2 * len(TABLE_NAMES)
    bars = page.locator("#chart rect.bar")
    assert bars.count() == 46
    widths = [float(bars.nth(i).get_attribute("width") or 0) for i in range(bars.count())]
    assert max(widths) == 300 and sum(w > 1 for w in widths) == 43
    # Every bar carries its value as text, and the table says the same.
    table = page.locator("#objectives-table tbody tr")
    assert table.count() == 23
    assert page.locator(".tiles a").count() == 32
    with page.expect_download() as waiting:
        page.locator("a#zip").click()
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    assert digest == _sums(portal, "1.0.1")["gcm-open-compendio-2022-1.0.1.zip"]
    page.screenshot(path=str(tmp_path / "portal.png"), full_page=True)
    # The explorer's search under the pages' own Content-Security-Policy.
    page.goto(f"{server}/latest/explorar/index.html?q=salud&estado=MX-CHP")
    for _ in range(100):
        if page.evaluate("document.querySelector('#results').ariaBusy") == "false":
            break
        page.wait_for_timeout(50)
    shown = int(page.locator("#shown").inner_text())
    assert 0 < shown < 346
    assert page.locator("#results > li:not([hidden])").count() == shown
    assert problems == []


AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "index": "index.html",
    "index-en": "en/index.html",
    "explorer": "latest/explorar/index.html",
    "explorer-en": "latest/en/explorar/index.html",
    "practice": "latest/practicas/2022-F-07-04.html",
    "practice-en": "latest/en/practicas/2022-S-04-16.html",
    "release": "releases/1.0.1/index.html",
    "release-en": "releases/1.0.1/en/index.html",
    "changelog": "releases/1.0.1/CHANGELOG.html",
}


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_is_wider_than_the_screen_and_axe_finds_nothing(
    server: str, browser: Any, name: str, viewport: tuple[int, int]
) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci, which scripts/check.sh runs)")
    width, height = viewport
    # axe is injected as a script of the test's own; the pages' policy would refuse it.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/{PAGES[name]}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run()")
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results["violations"]
        ]
        assert violations == []
    finally:
        context.close()


def _practice_counts(portal: Path, where: str) -> int:
    import duckdb

    folder = portal / "releases" / "1.0.1" / "data"
    query = f"""
        SELECT count(DISTINCT p.practice_id) FROM read_csv('{folder}/practices.csv') p
        WHERE {where}"""
    return int(duckdb.sql(query).fetchall()[0][0])


def _page(browser: Any) -> Any:
    """A page whose policy lets the test wait on expressions (Playwright evaluates them)."""
    return browser.new_context(bypass_csp=True).new_page()


def test_a_filter_address_restores_its_view(portal: Path, server: str, browser: Any) -> None:
    page = _page(browser)
    page.goto(f"{server}/latest/explorar/index.html?seccion=state&objetivo=15")
    page.wait_for_function("document.querySelector('#f-objetivo').value === '15'")
    expected = _practice_counts(portal, "p.section = 'state' AND p.objective_id = 15")
    assert expected > 0
    page.wait_for_function(f"document.querySelector('#shown').textContent === '{expected}'")
    assert page.locator("#f-seccion").input_value() == "state"
    assert page.locator("#results > li:not([hidden])").count() == expected


def test_a_known_phrase_finds_its_practice(server: str, browser: Any) -> None:
    page = _page(browser)
    page.goto(f"{server}/latest/explorar/index.html")
    started = page.evaluate("performance.now()")
    # Typed without its accents and in other inflections than printed ("Impulso normativo
    # para la atención del Desplazamiento Forzado Interno").
    page.locator("#f-q").fill("impulsos normativos atencion desplazamientos forzados")
    page.wait_for_function("new URL(location).searchParams.get('q') !== null")
    page.wait_for_function("document.querySelector('#results > li:not([hidden])') !== null")
    assert page.evaluate("performance.now()") - started < 5000
    first = page.locator("#results > li:not([hidden])").first
    assert first.get_attribute("id") == "2022-F-07-04"
    page.wait_for_function("document.querySelector('#results > li:not([hidden]) .excerpt mark')")
    assert "q=impulsos+normativos+atencion+desplazamientos+forzados" in page.url


def test_search_and_filters_work_from_the_keyboard(portal: Path, server: str, browser: Any) -> None:
    page = _page(browser)
    page.goto(f"{server}/latest/explorar/index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-q":
            break
    assert page.evaluate("document.activeElement.id") == "f-q"
    page.keyboard.type("salud")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the objective
    page.keyboard.press("Tab")  # the section
    assert page.evaluate("document.activeElement.id") == "f-seccion"
    page.keyboard.press("ArrowDown")  # federal
    page.wait_for_function("new URL(location).searchParams.get('seccion') === 'federal'")
    shown = page.locator("#results > li:not([hidden])")
    page.wait_for_function("document.querySelectorAll('#results > li:not([hidden])').length > 0")
    assert all(
        (shown.nth(i).get_attribute("data-seccion") or "") == "federal"
        for i in range(shown.count())
    )
    federal = _practice_counts(portal, "p.section = 'federal'")
    assert 0 < shown.count() < federal


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("mailto:", "#")):
                self.links.append(value)


def test_every_link_of_every_page_resolves(server: str) -> None:
    base = PUBLISHER["base_url"]
    start = f"{server}/index.html"
    seen, queue, broken = {start}, [start], []
    pages = 0
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url) as response:
                kind = response.headers.get_content_type()
                body = response.read() if kind == "text/html" else b""
        except urllib.error.HTTPError as error:
            broken.append(f"{url}: {error.code}")
            continue
        if kind != "text/html":
            continue
        pages += 1
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urllib.parse.urljoin(url, link).split("#")[0]
            if target.startswith(base):
                target = server + target.removeprefix(base)
            if target.startswith(server):
                target = target.split("?")[0]
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
            elif not target.startswith(("http://", "https://")):
                broken.append(f"{url}: {link}")
    assert broken == []
    # Both languages' pages of every practice of both releases, and the rest.
    assert pages > 4 * 346


def test_the_check_instructions_pass_as_written(tmp_path: Path, package: Path) -> None:
    """A portal served at the URL it was published for, so that the page's commands run
    unchanged; a script reads them from the page and runs them one by one."""
    site = tmp_path / "site"

    class Portal(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

    with serving(Portal) as url:
        publisher = {**PUBLISHER, "base_url": url}
        publish("1.0.0", package=package, portal=site, released="2022-10-05", **publisher)
        script = Path(__file__).parent.parent / "scripts" / "follow_check_instructions.py"
        environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        for page in ("index.html", "releases/1.0.0/en/index.html"):
            done = subprocess.run(
                [sys.executable, str(script), f"{url}/{page}", "--installed"],
                capture_output=True,
                text=True,
                env=environment,
                check=False,
            )
            assert done.returncode == 0, done.stdout
            assert "gcm-open-compendio-2022-1.0.0.zip: OK" in done.stdout
            assert "$ gcm-open validate gcm-open-compendio-2022-1.0.0.zip\nVALID: " in done.stdout
