"""The portal served by a real HTTP server on 127.0.0.1: releases validate by URL, and the
page renders in headless Chromium with its versions, downloads and chart."""

from __future__ import annotations

import hashlib
import http.server
import shutil
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


def test_the_page_renders_in_a_browser(portal: Path, server: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"]
        )
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(f"{server}/index.html")
            assert page.locator("#latest-version").inner_text() == "1.0.1"
            versions = page.locator("#versions li.version")
            assert versions.count() == 2
            assert (
                "Corrected a title" in versions.nth(0).inner_text()
                or page.locator("#versions").inner_html().count("Corrected a title") == 1
            )
            assert page.locator("#downloads a.download").count() == 2 * len(TABLE_NAMES)
            bars = page.locator("#chart rect.bar")
            assert bars.count() == 46
            heights = [float(bars.nth(i).get_attribute("height") or 0) for i in range(bars.count())]
            assert max(heights) > 100 and sum(h > 0 for h in heights) == 43
            box = page.locator("#chart").bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            assert page.locator("#states tbody tr").count() == 20
            with page.expect_download() as waiting:
                page.locator("a#zip").click()
            download = waiting.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            digest = hashlib.sha256(saved.read_bytes()).hexdigest()
            assert digest == _sums(portal, "1.0.1")["gcm-open-compendio-2022-1.0.1.zip"]
            page.screenshot(path=str(tmp_path / "portal.png"), full_page=True)
        finally:
            browser.close()
