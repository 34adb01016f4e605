"""Measure the portal against its budgets, on a portal published from the bundled package.

    python scripts/portal_budgets.py [--runs 3]

Prints the median of several runs of each figure:
- publishing a first release (validation, zip, database, every page, the search index);
- the front page gzipped, with what it loads (stylesheet, icon), the search index aside;
- the explorer in headless Chromium (Debian's chromium): from the start of the page's
  load until its first results are shown, for an address with a search and one with a
  filter only, and until the search's excerpts are shown too.

Budgets: publish < 10 s; front page < 100 KB gzipped; first results < 1 s.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from gcm_open.building import build
from gcm_open.release import publish

PUBLISHER = {
    "base_url": "https://datos.example.org/gcm-open",
    "contact_name": "Unidad de Política Migratoria",
    "contact_email": "datos@example.org",
}
CHROMIUM = "/usr/bin/chromium"
# The first results are shown when the explorer has applied the address to the list (it
# is then no longer busy) and a practice is in it; a search then shows their excerpts.
_RESULTS = """() => document.querySelector('#results').getAttribute('aria-busy') === 'false'
  && document.querySelector('#results > li:not([hidden])') !== null"""
_EXCERPT = "() => document.querySelector('#results > li:not([hidden]) .excerpt:not([hidden])')"


def time_publish(package: Path, scratch: Path, runs: int) -> tuple[list[float], Path]:
    timings = []
    portal = scratch / "portal-0"
    for run in range(runs):
        portal = scratch / f"portal-{run}"
        start = time.perf_counter()
        publish("1.0.0", package=package, portal=portal, released="2022-11-01", **PUBLISHER)
        timings.append(time.perf_counter() - start)
    return timings, portal


def front_page_bytes(portal: Path) -> tuple[int, int]:
    """The front page gzipped, alone and with the files it loads."""
    page = gzip.compress((portal / "index.html").read_bytes(), mtime=0)
    loaded = sum(
        len(gzip.compress((portal / "assets" / name).read_bytes(), mtime=0))
        for name in ("portal.css", "favicon.svg")
    )
    return len(page), len(page) + loaded


def time_explorer(portal: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(portal))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/latest/explorar/index.html"
    addresses = {
        "search ?q=salud": f"{base}?q=salud",
        "filter ?estado=MX-CHP": f"{base}?estado=MX-CHP",
    }
    timings: dict[str, list[float]] = {name: [] for name in addresses}
    excerpts: list[float] = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--headless"]
            )
            for _ in range(runs):
                for name, address in addresses.items():
                    # A new context each time: nothing cached from the run before.
                    context = browser.new_context(bypass_csp=True)
                    page = context.new_page()
                    page.goto(address)
                    page.wait_for_function(_RESULTS, polling=10)
                    timings[name].append(page.evaluate("performance.now()") / 1000)
                    if "?q=" in address:
                        page.wait_for_function(_EXCERPT, polling=10)
                        excerpts.append(page.evaluate("performance.now()") / 1000)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return {**timings, "search, with its excerpts": excerpts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        package = build(out=scratch / "package").out_dir
        publish_times, portal = time_publish(package, scratch, runs)
        page, with_assets = front_page_bytes(portal)
        explorer = time_explorer(portal, runs)
    print(f"runs per figure: {runs} (median shown)")
    print(f"publish a first release:   {statistics.median(publish_times):.2f} s   budget < 10 s")
    print(
        f"front page, gzipped:       {page / 1024:.1f} KB ({with_assets / 1024:.1f} KB with its "
        "stylesheet and icon)   budget < 100 KB"
    )
    for name, values in explorer.items():
        print(f"explorer first results, {name}: {statistics.median(values):.2f} s   budget < 1 s")


if __name__ == "__main__":
    main()
