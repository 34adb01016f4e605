"""Render the bundled compendium text as a PDF laid out like the original.

The original PDF is not available, so tests read one made from the text: one PDF page
per page of the text's page model, numbered as printed (blank pages where the numbering
skips, so that PDF page N is printed page N); the objective headers at the top of their
page in a larger bold type; body lines below in reading order; footnotes in small type
at the bottom with superscript markers in the text; the page number in the footer; the
page's links as link annotations; and the annexes (participating states, glossary) as
ruled tables.

    python scripts/make_fixture_pdf.py OUT.pdf [--pages FIRST-LAST ...]
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from gcm_open.annex import read_annex
from gcm_open.pages import Page, read_text_pages
from gcm_open.parse import parse_compendium
from gcm_open.sources import bundled_source

WIDTH, HEIGHT = LETTER
LEFT, TOP, BOTTOM = 54, 60, 70
BODY_SIZE, LEADING = 8.2, 9.6
HEADER_SIZE = 13
# A font with every character of the text (bullets, dashes, quotes): DejaVu from the
# system (Debian's fonts-dejavu-core), else Vera, which reportlab ships.
_FONTS = [
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"),
        str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
    ),
]
_REGULAR, _BOLD = next(pair for pair in _FONTS if Path(pair[0]).exists())
pdfmetrics.registerFont(TTFont("Body", _REGULAR))
pdfmetrics.registerFont(TTFont("Body-Bold", _BOLD))
BODY, HEADER = "Body", "Body-Bold"
NOTE_SIZE, MARK_SIZE = 6.2, 5


@dataclass
class _Document:
    pages: list[Page]
    markers: dict[int, dict[int, int]]  # line -> {offset: footnote number}
    states: list[str]
    states_lines: set[int]
    glossary: dict[int, list[list[str]]]  # page -> rows
    glossary_lines: set[int]


def _document(selection: list[tuple[int, int]] | None) -> _Document:
    source = bundled_source()
    paged = read_text_pages(source.text)
    compendium = parse_compendium(paged, source.manifest.edition)
    annex = read_annex(compendium.annex_lines)
    lines = compendium.annex_lines

    def first(pattern: str, after: int = 0) -> int:
        return next(
            line.line_no
            for line in lines
            if line.line_no > after and re.match(pattern, line.text.strip())
        )

    states_first = first(r"ENTIDADES$")
    glossary_heading = first(r"1\. Glosario", states_first)
    glossary_columns = first(r"Dependencias e Instituciones", glossary_heading)
    closing = first(r"Compendio General \d{4}$", glossary_columns)
    page_of_line = {line.line_no: page.number for page in paged.pages for line in page.body}
    glossary: dict[int, list[list[str]]] = {}
    for entry in annex.glossary:
        glossary.setdefault(page_of_line[entry.line_no], []).append(
            [entry.name, "/".join(entry.acronyms)]
        )
    markers: dict[int, dict[int, int]] = {}
    for footnote in paged.footnotes():
        if footnote.marker_line is not None and footnote.marker_line < states_first:
            markers.setdefault(footnote.marker_line, {})[footnote.marker_offset or 0] = (
                footnote.number
            )
    pages = [
        page
        for page in paged.pages
        if selection is None or any(low <= page.number <= high for low, high in selection)
    ]
    return _Document(
        pages,
        markers,
        list(annex.participating_states),
        set(range(states_first, glossary_heading)),
        glossary,
        set(range(glossary_columns, closing)),
    )


def _draw_line(canvas: Canvas, y: float, text: str, markers: dict[int, int], size: float) -> None:
    """A body line; footnote markers as superscripts at their offsets."""
    x = LEFT
    position = 0
    mark_size = size * MARK_SIZE / BODY_SIZE
    for offset in sorted(markers):
        piece = text[position:offset]
        canvas.setFont(BODY, size)
        canvas.drawString(x, y, piece)
        x += canvas.stringWidth(piece, BODY, size)
        mark = str(markers[offset])
        canvas.setFont(BODY, mark_size)
        canvas.drawString(x, y + size * 0.4, mark)
        x += canvas.stringWidth(mark, BODY, mark_size)
        position = offset
    canvas.setFont(BODY, size)
    canvas.drawString(x, y, text[position:])


def _draw_table(canvas: Canvas, y: float, rows: list[list[str]], widths: list[float]) -> float:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), BODY, BODY_SIZE - 1),
                ("FONT", (0, 0), (-1, 0), HEADER, BODY_SIZE - 1),
            ]
        )
    )
    _width, height = table.wrapOn(canvas, WIDTH, HEIGHT)
    table.drawOn(canvas, LEFT, y - height)
    return y - height - LEADING


def make_pdf(path: Path, selection: list[tuple[int, int]] | None = None) -> Path:
    """Write the PDF of the pages in ``selection`` (printed page ranges; all by default)."""
    document = _document(selection)
    canvas = Canvas(str(path), pagesize=LETTER, invariant=True, pageCompression=1)
    canvas.setTitle("Compendio General 2022 (fixture rendered from the text)")
    expected = 1
    for page in document.pages:
        while selection is None and expected < page.number:
            canvas.showPage()  # a page the text does not show: the covers, a hidden page
            expected += 1
        y = HEIGHT - TOP
        # A page with more lines than fit gets a tighter leading and a smaller type:
        # PDF page N stays printed page N.
        room = y - BOTTOM - 30 - HEADER_SIZE * 1.6 * len(page.headers) - NOTE_SIZE * 1.4 * 4
        leading = min(LEADING, room / max(1, len(page.body)))
        size = min(BODY_SIZE, leading * 0.85)
        for header in page.headers:
            canvas.setFont(HEADER, HEADER_SIZE)
            canvas.drawString(LEFT, y, f"Objetivo {header.objective_id}. {header.title}")
            y -= HEADER_SIZE * 1.6
        drawn: set[str] = set()
        for line in page.body:
            if line.line_no in document.states_lines:
                if "states" not in drawn:
                    rows = [["ENTIDADES FEDERATIVAS"], *[[state] for state in document.states]]
                    y = _draw_table(canvas, y, rows, [240])
                    drawn.add("states")
                continue
            if line.line_no in document.glossary_lines:
                if "glossary" not in drawn and page.number in document.glossary:
                    rows = [
                        ["Dependencias e Instituciones", "Acrónimo"],
                        *document.glossary[page.number],
                    ]
                    y = _draw_table(canvas, y, rows, [380, 120])
                    drawn.add("glossary")
                continue
            text = line.text.rstrip()
            if text:
                _draw_line(canvas, y, text, document.markers.get(line.line_no, {}), size)
            y -= leading
        note_y = BOTTOM
        for footnote in reversed(page.footnotes):
            canvas.setFont(BODY, NOTE_SIZE)
            canvas.drawString(LEFT, note_y, f"{footnote.number} {footnote.text}")
            note_y += NOTE_SIZE * 1.4
        for link in page.links:
            canvas.linkURL(link.url, (LEFT, 12, LEFT + 30, 20), relative=0, thickness=0)
        canvas.setFont(BODY, 8)
        canvas.drawCentredString(WIDTH / 2, 30, str(page.number))
        canvas.showPage()
        expected += 1
    canvas.save()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--pages", nargs="*", default=None, help="printed page ranges, e.g. 6-8 159-160"
    )
    arguments = parser.parse_args()
    selection = None
    if arguments.pages:
        selection = [tuple(int(n) for n in item.split("-")) for item in arguments.pages]
    print(make_pdf(arguments.out, selection))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
