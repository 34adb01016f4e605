"""The PDF reader on layouts it was not written around: the whole compendium rendered in
every layout of ``scripts/make_fixture_pdf.py`` reads word for word as the text does.

Each render is kept in the pytest cache under a key of everything it depends on.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

import pytest

from conftest import REPO
from gcm_open.pages import PagedText
from gcm_open.parse import Compendium, parse_compendium
from gcm_open.pdf import read_pdf_pages

sys.path.insert(0, str(REPO / "scripts"))
from make_fixture_pdf import LAYOUTS, make_pdf, render_key
from pdf_parity import FIELDS, compare

pytestmark = pytest.mark.slow

# Differences the layouts cannot avoid, with the reason.
KNOWN = {
    # The text prints a space inside a URL ("...%20un%20mi grante%20como..."); a URL
    # wrapped over lines in a PDF is read without one, as a URL cannot hold a space.
    "footnote 13 text",
}
_HYPHEN_KEPT = re.compile(r"'(\w+)-(\w+)' is broken at the line end")


@dataclass(frozen=True)
class Read:
    layout: str
    paged: PagedText
    compendium: Compendium


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def read(request: pytest.FixtureRequest) -> Read:
    layout = request.param
    cache = request.config.cache
    assert cache is not None
    pdf = cache.mkdir("gcm-open") / f"compendio-{layout}-{render_key(layout)}.pdf"
    if not pdf.exists():
        earlier = re.compile(rf"compendio-{re.escape(layout)}-[0-9a-f]{{16}}\.pdf")
        for stale in pdf.parent.iterdir():
            if earlier.fullmatch(stale.name):
                stale.unlink(missing_ok=True)  # a render of an earlier renderer or text
        # Rendered aside and moved in: parallel workers may render the same layout.
        partial = pdf.with_suffix(f".{os.getpid()}.partial")
        make_pdf(partial, layout=layout)
        partial.replace(pdf)
    paged = read_pdf_pages(pdf, jobs=2, use_cache=False)
    return Read(layout, paged, parse_compendium(paged, 2022))


def test_every_layout_reads_as_the_text_word_for_word(read: Read, compendium: Compendium) -> None:
    layout, from_pdf = read.layout, read.compendium
    parity = compare(from_pdf, compendium)

    assert parity.error is None
    assert parity.practices == parity.expected == 346
    assert parity.titles == (46, 46), parity.differences
    assert parity.annex == (60, 60), parity.differences
    # A word whose hyphen the reader kept, and said so, reads with its hyphen.
    kept = [
        match.groups()
        for warning in from_pdf.warnings
        if warning.code == "hyphen-kept"
        for match in [_HYPHEN_KEPT.search(warning.message)]
        if match
    ]
    unexplained = [
        difference
        for difference in parity.differences
        if not any(difference.startswith(known) for known in KNOWN)
        and not any(f"{head}-{tail}" in difference for head, tail in kept)
    ]
    assert unexplained == [], f"{layout}: {len(unexplained)} differences"
    practice_differences = [d for d in parity.differences if d.startswith("2022-")]
    assert sum(parity.exact[name] for name in FIELDS) == len(FIELDS) * 346 - len(
        practice_differences
    )


def test_every_layout_tells_its_furniture_apart(read: Read) -> None:
    layout, warnings = read.layout, read.compendium.warnings
    codes = {warning.code for warning in warnings}
    assert "text-outside-practice" not in codes, layout
    dividers = sum(warning.code == "divider-page" for warning in warnings)
    # The page layouts print the text's one page that holds nothing but a header.
    assert dividers == (46 if layout == "divider" else 0 if LAYOUTS[layout].flow else 1)
    assert ("repeated-objective-header" in codes) == layout.startswith("running-head")


def test_every_layout_reads_the_printed_page_numbers(read: Read) -> None:
    # Every layout prints PDF page N as page N, where it prints a number at all (not on
    # covers, blank pages or divider pages).
    numbered = [page for page in read.paged.pages if page.printed_number is not None]
    assert all(page.printed_number == page.number for page in numbered), read.layout
    with_text = [page for page in read.paged.pages if any(line.text.strip() for line in page.body)]
    assert {page.number for page in with_text} <= {page.number for page in numbered}
