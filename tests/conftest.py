"""Shared fixtures: the bundled compendium read once per session, and a built package."""

from __future__ import annotations

import http.server
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gcm_open.building import BuildResult, build
from gcm_open.pages import PagedText, read_text_pages
from gcm_open.parse import Compendium, Practice, parse_compendium
from gcm_open.sources import SourceDocument, bundled_source

REPO = Path(__file__).resolve().parents[1]

# A shell starts a background job with Ctrl-C ignored, and processes inherit that: the
# tests of Ctrl-C (here and in the processes they start) need it to interrupt, wherever
# the suite is run from.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Who publishes the test portals, and where: the first publish of a portal needs them.
PUBLISHER = {
    "base_url": "https://datos.example.org/gcm-open",
    "contact_name": "Unidad de Política Migratoria",
    "contact_email": "datos@example.org",
}
PUBLISHER_OPTIONS = (
    *("--base-url", PUBLISHER["base_url"]),
    *("--contact-name", PUBLISHER["contact_name"]),
    *("--contact-email", PUBLISHER["contact_email"]),
)


@pytest.fixture(scope="session")
def source() -> SourceDocument:
    return bundled_source()


@pytest.fixture(scope="session")
def paged(source: SourceDocument) -> PagedText:
    return read_text_pages(source.text)


@pytest.fixture(scope="session")
def compendium(paged: PagedText) -> Compendium:
    return parse_compendium(paged, 2022)


@pytest.fixture(scope="session")
def practices_by_id(compendium: Compendium) -> dict[str, Practice]:
    return {practice.practice_id: practice for practice in compendium.practices}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled compendium built once into a temporary package directory."""
    return build(out=tmp_path_factory.mktemp("build") / "datapackage")


@pytest.fixture
def package(built: BuildResult, tmp_path: Path) -> Path:
    """A copy of the built package that a test may change."""
    copy = tmp_path / "package"
    shutil.copytree(built.out_dir, copy)
    return copy


def file_contents(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def source_lines(source: SourceDocument) -> list[str]:
    return source.text.split("\n")


@contextmanager
def serving(handler: Any) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 with ``handler``, quiet, for as long as the block runs;
    yields its base URL."""

    class Quiet(handler):  # type: ignore[misc,valid-type]
        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
