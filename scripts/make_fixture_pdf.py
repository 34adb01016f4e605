"""Render the bundled compendium text as a PDF, in one of several layouts.

The original PDF is not available, so tests read PDFs made from the text. Each layout
prints the same compendium in another way, so that the PDF reader is proven on layouts it
was not written around:

- page layouts print one PDF page per page of the text's page model, with the text's
  own line breaks (blank pages where the numbering skips, so that PDF page N is printed
  page N unless the layout adds pages);
- flow layouts reflow the practices into their own pages, lines and paragraphs, with the
  objective headers inside the flow.

Every layout prints footnotes in small type at the foot of the page where their marker
is, markers as superscripts, the pages' links as link annotations, and the annexes
(participating states, glossary).

    python scripts/make_fixture_pdf.py OUT.pdf [--layout NAME] [--pages FIRST-LAST ...]
    python scripts/make_fixture_pdf.py --list
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from gcm_open.annex import Annex
from gcm_open.pages import PagedText, SourceLine, read_text_pages
from gcm_open.parse import Compendium, parse_compendium
from gcm_open.sources import bundled_source

_DEJAVU = "/usr/share/fonts/truetype/dejavu"
_LIBERATION = "/usr/share/fonts/truetype/liberation"
_VERA = Path(reportlab.__file__).parent / "fonts"
# Font families with every character of the text (bullets, dashes, quotes), from Debian's
# fonts-dejavu-core and fonts-liberation; Vera, which reportlab ships, stands in for any
# that is missing.
FONT_FAMILIES = {
    "dejavu-sans": (f"{_DEJAVU}/DejaVuSans.ttf", f"{_DEJAVU}/DejaVuSans-Bold.ttf"),
    "dejavu-serif": (f"{_DEJAVU}/DejaVuSerif.ttf", f"{_DEJAVU}/DejaVuSerif-Bold.ttf"),
    "liberation-sans": (
        f"{_LIBERATION}/LiberationSans-Regular.ttf",
        f"{_LIBERATION}/LiberationSans-Bold.ttf",
    ),
    "liberation-serif": (
        f"{_LIBERATION}/LiberationSerif-Regular.ttf",
        f"{_LIBERATION}/LiberationSerif-Bold.ttf",
    ),
}
_FALLBACK = (str(_VERA / "Vera.ttf"), str(_VERA / "VeraBd.ttf"))
DOCUMENT_TITLE = "Compendio General 2022 · Programas y buenas prácticas del PMM"
# A footnote marker travels through the text as one private-use character per footnote.
_MARK_BASE = 0xE000
_MARK = re.compile("[\ue000-\ue0ff]")
# A glossary row in two columns: the cells apart, and a name's further lines hanging.
_CELL, _HANGS = "\t", "\v"
_ACRONYM_COLUMN, _HANG = 90.0, 12.0


@dataclass(frozen=True)
class Layout:
    """How a PDF prints the compendium."""

    name: str
    summary: str
    page_size: tuple[float, float] = LETTER
    family: str = "dejavu-sans"
    body_size: float = 8.2
    leading: float = 9.6
    left: float = 54
    top: float = 60
    bottom: float = 70
    header_size: float = 13
    # "top": objective headers open the page they head, above the tail of the previous
    # objective; "flow": inside the text, where the objective starts; "divider" (a flow
    # layout): on a page of their own before the objective.
    headers: str = "top"
    wrap_headers: bool = False
    # "none", or the objective in force repeated at the top of every page: "regular" 8pt
    # or "bold" 9pt.
    running_head: str = "none"
    # "bottom-centre", "top-right" or "footer" (the document's title over "Página N").
    page_number: str = "bottom-centre"
    note_size: float = 6.2
    # "inline": "9 AFORE: ..."; "raised": the number as a superscript.
    note_marker: str = "inline"
    flow: bool = False
    justify: bool = False
    hyphenate: bool = False
    # Words drawn one by one at their positions: no space glyphs in the PDF.
    word_by_word: bool = False
    # Every n-th page landscape (a wide MediaBox), every m-th page with /Rotate 90.
    landscape_every: int = 0
    rotate_every: int = 0
    glossary_as_table: bool = True
    # A flow layout's glossary as two columns without rules, rows set solid: the acronym
    # first at the left, the name beside it, hanging under its first line.
    glossary_columns: bool = False
    # A flow layout set in this many columns: objective headers and glossary rows span
    # the page, footnotes run across its foot.
    columns: int = 1
    column_gap: float = 18
    # Bold drawn as the regular face filled and stroked (text rendering mode 2), as for
    # a font that has no bold face: the font's name does not say bold.
    stroked_bold: bool = False
    # A thumb index down the outer edge: boxed numbers 1-23, the objective in force
    # filled (with the running head's objective).
    thumb_index: bool = False

    @property
    def width(self) -> float:
        return self.page_size[0]

    @property
    def height(self) -> float:
        return self.page_size[1]


LAYOUTS = {
    layout.name: layout
    for layout in [
        Layout("classic", "Letter, DejaVu Sans 8.2pt, headers at the top, number at the foot"),
        Layout(
            "top-number",
            "A4, Liberation Sans 8.5pt, page number at the top right, wrapped 12pt headers",
            page_size=A4,
            family="liberation-sans",
            body_size=8.5,
            leading=10,
            left=60,
            top=70,
            bottom=60,
            header_size=12,
            wrap_headers=True,
            page_number="top-right",
        ),
        Layout(
            "two-line-footer",
            "Letter, DejaVu Serif, a footer of two lines (title, page) right under the notes",
            family="dejavu-serif",
            bottom=52,
            page_number="footer",
            note_marker="raised",
        ),
        Layout(
            "running-head",
            "A4, Liberation Serif 8.6pt, a bold 9pt running head 'Objetivo N. ...' on every page",
            page_size=A4,
            family="liberation-serif",
            body_size=8.6,
            leading=10,
            left=50,
            top=78,
            running_head="bold",
            wrap_headers=True,
        ),
        Layout(
            "running-head-light",
            "Letter, DejaVu Sans, a regular 8pt running head on every page, number top right, "
            "a thumb index of boxed objective numbers down the outer edge",
            running_head="regular",
            page_number="top-right",
            top=72,
            wrap_headers=True,  # a thumb index stands where long headers would run
            thumb_index=True,
        ),
        Layout(
            "divider",
            "Letter, Liberation Sans 9pt reflowed, a divider page in 22pt opens each objective, "
            "the glossary in two columns without rules (acronym first, names hanging)",
            family="liberation-sans",
            body_size=9,
            leading=11,
            headers="divider",
            header_size=22,
            wrap_headers=True,
            flow=True,
            glossary_as_table=False,
            glossary_columns=True,
        ),
        Layout(
            "flow",
            "Letter, DejaVu Serif 9.5pt reflowed, 14pt bold headers in the flow, raised notes",
            family="dejavu-serif",
            body_size=9.5,
            leading=12,
            left=72,
            top=72,
            bottom=72,
            header_size=14,
            headers="flow",
            wrap_headers=True,
            note_size=7,
            note_marker="raised",
            flow=True,
            glossary_as_table=False,
        ),
        Layout(
            "justified",
            "A4, Liberation Serif 10pt reflowed, justified, hyphenated, words placed one by one",
            page_size=A4,
            family="liberation-serif",
            body_size=10,
            leading=12.5,
            left=66,
            top=64,
            bottom=64,
            header_size=12,
            headers="flow",
            wrap_headers=True,
            note_size=7.5,
            page_number="footer",
            flow=True,
            justify=True,
            hyphenate=True,
            word_by_word=True,
            glossary_as_table=False,
        ),
        Layout(
            "columns",
            "Letter, DejaVu Sans 8pt reflowed in two columns, 12pt headers across the page, "
            "raised notes across the foot, page number top right",
            body_size=8,
            leading=9.8,
            left=50,
            header_size=12,
            headers="flow",
            wrap_headers=True,
            page_number="top-right",
            note_marker="raised",
            flow=True,
            glossary_as_table=False,
            columns=2,
        ),
        Layout(
            "three-columns",
            "A4 landscape, Liberation Serif 8.5pt reflowed in three columns, 11pt headers "
            "across the page, bold as stroked regular type, a footer of title and page",
            page_size=(A4[1], A4[0]),
            family="liberation-serif",
            body_size=8.5,
            leading=10.2,
            left=42,
            top=50,
            bottom=56,
            header_size=11,
            headers="flow",
            wrap_headers=True,
            page_number="footer",
            note_size=6.5,
            flow=True,
            glossary_as_table=False,
            columns=3,
            column_gap=14,
            stroked_bold=True,
        ),
        Layout(
            "rotated",
            "Letter, DejaVu Sans, every 7th page landscape, every 5th /Rotate 90 or 270",
            landscape_every=7,
            rotate_every=5,
        ),
    ]
}


class _Fonts:
    """The layout's family, and DejaVu Sans for the characters the family lacks (arrows,
    some bullets), as a layout program substitutes them."""

    def __init__(self, layout: Layout) -> None:
        regular, bold = FONT_FAMILIES[layout.family]
        if not Path(regular).exists():
            regular, bold = _FALLBACK
        self.regular, self.bold = f"{layout.family}", f"{layout.family}-Bold"
        self.stroked_bold = layout.stroked_bold
        faces = []
        for name, file in (
            (self.regular, regular),
            (self.bold, bold),
            ("substitute", FONT_FAMILIES["dejavu-sans"][0]),
        ):
            font = TTFont(name, file if Path(file).exists() else _FALLBACK[0])
            pdfmetrics.registerFont(font)
            faces.append(set(font.face.charToGlyph))
        self._covered = faces[0] & faces[1]

    def runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """``text`` in runs of one font each: (font name, text)."""
        main = self.bold if bold and not self.stroked_bold else self.regular
        runs: list[tuple[str, str]] = []
        for char in text:
            font = main if ord(char) in self._covered or char == " " else "substitute"
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def width(self, text: str, bold: bool, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(text, bold))


@dataclass
class _Source:
    """The compendium read from the text, with footnote markers kept in the text."""

    paged: PagedText
    compendium: Compendium
    annex: Annex
    notes: dict[int, str]  # footnote number -> text
    page_of_line: dict[int, int]
    first_practice_line: int
    states_lines: set[int]
    glossary_lines: set[int]
    glossary_by_page: dict[int, list[list[str]]]
    # Footnote markers printed on a practice's "Resultados" or "Retos" heading.
    heading_marks: dict[tuple[str, str], list[int]]


_HEADING = re.compile(r"^\s*(Resultados|Retos)\s*[:.]?\s*$")


def _marked(paged: PagedText) -> tuple[PagedText, dict[int, list[int]]]:
    """The page model with each footnote marker put back into its line as one character,
    except on a "Resultados"/"Retos" heading, which would then no longer read as one:
    those are returned apart (line -> footnote numbers)."""
    cuts: dict[int, dict[int, int]] = {}
    for note in paged.footnotes():
        if note.marker_line is not None:
            cuts.setdefault(note.marker_line, {})[note.marker_offset or 0] = note.number
    on_headings: dict[int, list[int]] = {}
    pages = []
    for page in paged.pages:
        body = []
        for line in page.body:
            text = line.text
            if _HEADING.match(text) and line.line_no in cuts:
                on_headings[line.line_no] = sorted(cuts[line.line_no].values())
                body.append(line)
                continue
            for offset in sorted(cuts.get(line.line_no, {}), reverse=True):
                mark = chr(_MARK_BASE + cuts[line.line_no][offset])
                text = text[:offset] + mark + text[offset:]
            body.append(SourceLine(line.line_no, line.page, text))
        pages.append(replace(page, body=tuple(body)))
    return replace(paged, pages=tuple(pages)), on_headings


def _source() -> _Source:
    text = bundled_source()
    paged, on_headings = _marked(read_text_pages(text.text))
    compendium = parse_compendium(paged, text.manifest.edition)
    assert compendium.annex is not None
    heading_marks: dict[tuple[str, str], list[int]] = {}
    for note, owner in zip(compendium.footnotes, compendium.footnote_practices, strict=True):
        if owner is not None and note.marker_line in on_headings:
            heading = _HEADING.match(paged_line(paged, note.marker_line))
            assert heading is not None
            heading_marks[(owner, heading.group(1))] = on_headings[note.marker_line]
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
    by_page: dict[int, list[list[str]]] = {}
    for entry in compendium.annex.glossary:
        by_page.setdefault(page_of_line[entry.line_no], []).append(
            [entry.name, "/".join(entry.acronyms)]
        )
    return _Source(
        paged=paged,
        compendium=compendium,
        annex=compendium.annex,
        notes={note.number: note.text for note in paged.footnotes()},
        page_of_line=page_of_line,
        first_practice_line=compendium.blocks[0].first_line,
        states_lines=set(range(states_first, glossary_heading)),
        glossary_lines=set(range(glossary_columns, closing)),
        glossary_by_page=by_page,
        heading_marks=heading_marks,
    )


def paged_line(paged: PagedText, line_no: int) -> str:
    return next(line.text for line in paged.body_lines() if line.line_no == line_no)


class _Writer:
    """Draws pages: furniture, rotation, words, superscript markers and footnotes."""

    def __init__(self, path: Path, layout: Layout, notes: dict[int, str]) -> None:
        self.layout = layout
        self.notes_text = notes
        self.fonts = _Fonts(layout)
        self.canvas = Canvas(str(path), pagesize=layout.page_size, invariant=True)
        self.canvas.setTitle(f"Compendio General 2022 (rendered from the text: {layout.name})")
        self.sheet = 0  # PDF pages written
        self.running: str | None = None

    # --- a page ---------------------------------------------------------------------

    def begin(self) -> None:
        layout, canvas = self.layout, self.canvas
        self.sheet += 1
        width, height = layout.page_size
        canvas.setPageSize(layout.page_size)
        canvas.setPageRotation(0)  # the canvas keeps a rotation from page to page
        if layout.landscape_every and self.sheet % layout.landscape_every == 0:
            # A wide page: the portrait page scaled down to its height, centred.
            canvas.setPageSize((height, width))
            canvas.saveState()
            scale = width / height
            canvas.translate((height - width * scale) / 2, 0)
            canvas.scale(scale, scale)
        elif layout.rotate_every and self.sheet % layout.rotate_every == 0:
            # Stored landscape and shown upright by /Rotate 90, as scanners and some
            # layout programs write pages.
            canvas.setPageSize((height, width))
            canvas.saveState()
            if (self.sheet // layout.rotate_every) % 2:
                canvas.setPageRotation(90)
                canvas.translate(height, 0)
                canvas.rotate(90)
            else:
                canvas.setPageRotation(270)
                canvas.translate(0, width)
                canvas.rotate(-90)
        else:
            canvas.saveState()

    def end(
        self,
        printed: int | None,
        notes: Sequence[int],
        links: Sequence[tuple[str, float] | tuple[str, float, float]],
    ) -> None:
        """Finish a page: its footnotes, running head, page number and link annotations
        (each at the height, and the left, of the line that prints it)."""
        layout, canvas = self.layout, self.canvas
        width, height = layout.page_size
        y = layout.bottom
        for number in reversed(notes):
            y = self._draw_note(number, y)
        if self.running and layout.running_head != "none":
            bold = layout.running_head == "bold"
            size = 9 if bold else 8
            font = self.fonts.bold if bold else self.fonts.regular
            # Set smaller where the objective's title would run past the margin.
            size = min(size, size * self.text_width / canvas.stringWidth(self.running, font, size))
            canvas.setFont(font, size)
            canvas.drawString(layout.left, height - layout.top + 26, self.running)
        if printed is not None:
            canvas.setFont(self.fonts.regular, 8)
            if layout.page_number == "top-right":
                canvas.drawRightString(width - layout.left, height - 34, str(printed))
            elif layout.page_number == "footer":
                canvas.setFont(self.fonts.regular, layout.note_size)
                canvas.drawString(layout.left, 30, DOCUMENT_TITLE)
                canvas.drawString(layout.left, 30 - layout.note_size * 1.3, f"Página {printed}")
            else:
                canvas.drawCentredString(width / 2, 30, str(printed))
        if layout.thumb_index and self.running:
            self._draw_thumb_index(int(self.running.split()[1].rstrip(".")))
        for url, y, *at in links:
            x = at[0] if at else layout.left
            canvas.linkURL(url, (x, y, x + 30, y + 8), relative=1, thickness=0)
        canvas.restoreState()
        canvas.showPage()

    def _draw_thumb_index(self, in_force: int) -> None:
        """Boxes 1-23 down the outer edge (the right on odd sheets), level with lines of
        text, the objective in force white on black."""
        canvas, (width, height) = self.canvas, self.layout.page_size
        x = width - 26 if self.sheet % 2 else 8
        step = (height - 140) / 23
        for number in range(1, 24):
            y = height - 70 - number * step
            current = number == in_force
            canvas.setFillColor(colors.black if current else colors.white)
            canvas.rect(x, y, 18, step - 3, stroke=1, fill=1)
            canvas.setFillColor(colors.white if current else colors.black)
            canvas.setFont(self.fonts.regular, 7)
            canvas.drawCentredString(x + 9, y + (step - 3) / 2 - 2.5, str(number))
        canvas.setFillColor(colors.black)

    def blank(self) -> None:
        self.begin()
        self.canvas.restoreState()
        self.canvas.showPage()

    def save(self) -> None:
        self.canvas.save()

    # --- text -----------------------------------------------------------------------

    def notes_height(self, notes: Sequence[int]) -> float:
        return sum(len(self._note_lines(number)) for number in notes) * self.layout.note_size * 1.3

    def _note_lines(self, number: int) -> list[str]:
        text = self.notes_text[number]
        prefix = "" if self.layout.note_marker == "raised" else f"{number} "
        return _wrap(f"{prefix}{text}", self._measure, self.text_width - 8, self.layout.note_size)

    def _draw_note(self, number: int, y: float) -> float:
        lines = self._note_lines(number)
        size = self.layout.note_size
        for position, line in enumerate(reversed(lines)):
            at = y + position * size * 1.3
            x = self.layout.left
            if self.layout.note_marker == "raised" and position == len(lines) - 1:
                self.canvas.setFont(self.fonts.regular, size * 0.7)
                self.canvas.drawString(x, at + size * 0.4, str(number))
                x += self.fonts.width(str(number), False, size * 0.7) + 1.5
            self._pieces(x, at, line, size, bold=False, marked=[])
        return y + len(lines) * size * 1.3

    @property
    def text_width(self) -> float:
        return self.layout.width - 2 * self.layout.left

    def _measure(self, text: str, size: float, bold: bool = False) -> float:
        plain = _MARK.sub("", text)
        return self.fonts.width(plain, bold, size) + 3 * len(text) - 3 * len(plain)

    def line(
        self,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        justify_to: float | None = None,
        x: float | None = None,
    ) -> list[int]:
        """Draw one line at ``y`` (from ``x``, the left margin by default); markers as
        superscripts. Returns the footnotes marked."""
        layout = self.layout
        words = text.split(" ") if (layout.word_by_word or justify_to) else [text]
        gap = self.fonts.width(" ", bold, size)
        if justify_to and len(words) > 1:
            natural = sum(self._measure(word, size, bold) for word in words)
            gap = (justify_to - natural) / (len(words) - 1)
        x = layout.left if x is None else x
        marked: list[int] = []
        for word in words:
            x = self._pieces(x, y, word, size, bold=bold, marked=marked)
            x += gap
        return marked

    def _pieces(
        self, x: float, y: float, text: str, size: float, *, bold: bool, marked: list[int]
    ) -> float:
        for piece in re.split(f"({_MARK.pattern})", text):
            if not piece:
                continue
            if _MARK.fullmatch(piece):
                number = ord(piece) - _MARK_BASE
                marked.append(number)
                mark_size = size * 0.62
                self.canvas.setFont(self.fonts.regular, mark_size)
                self.canvas.drawString(x, y + size * 0.4, str(number))
                x += self.fonts.width(str(number), False, mark_size)
            else:
                stroked = bold and self.layout.stroked_bold
                for font, run in self.fonts.runs(piece, bold):
                    text = self.canvas.beginText(x, y)
                    text.setFont(font, size)
                    if stroked:
                        # The mode belongs to the graphics state: saved and restored.
                        self.canvas.saveState()
                        self.canvas.setLineWidth(size * 0.04)
                        text.setTextRenderMode(2)
                    text.textOut(run)
                    self.canvas.drawText(text)
                    if stroked:
                        self.canvas.restoreState()
                    x += pdfmetrics.stringWidth(run, font, size)
        return x


Measure = Callable[[str, float, bool], float]


def _wrap(
    text: str,
    measure: Measure,
    width: float,
    size: float,
    *,
    bold: bool = False,
    hyphenate: bool = False,
) -> list[str]:
    """Greedy line breaking; long words split with a hyphen when ``hyphenate``."""
    lines: list[str] = []
    current = ""
    words = text.split()
    index = 0
    while index < len(words):
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if not current and measure(word, size, bold) > width:
            # A URL longer than the line: broken after a "/" (or another of its
            # separators) that fits, as typesetters break them, with no hyphen.
            cut = _url_split(word, lambda head: measure(head, size, bold) <= width)
            if cut:
                lines.append(word[:cut])
                words[index] = word[cut:]
                continue
        if measure(candidate, size, bold) <= width or not current:
            current = candidate
            index += 1
            continue
        room = width - measure(f"{current} -", size, bold)
        split = (
            _hyphen_split(word, room, lambda head: measure(head, size, bold)) if hyphenate else None
        )
        if split:
            lines.append(f"{current} {split[0]}-")
            words[index] = split[1]
        else:
            lines.append(current)
        current = ""
    if current:
        lines.append(current)
    return lines


_VOWELS = set("aeiouáéíóúü")


def _url_split(word: str, fits: Callable[[str], bool]) -> int | None:
    """Where to break a word too long for its line: after the last separator of a URL
    that fits, else after the last character that fits."""
    fitting = [at for at in range(4, len(word) - 2) if fits(word[:at])]
    if not fitting:
        return None
    separators = [at for at in fitting if word[at - 1] in "/?&=_-"]
    return separators[-1] if separators else fitting[-1]


def _hyphen_split(word: str, room: float, width: Callable[[str], float]) -> tuple[str, str] | None:
    """Break a long lower-case word after a vowel followed by a consonant, as far along
    as fits on ``line``, with at least three letters on each side."""
    if len(word) < 8 or not word.isalpha() or not word.islower():
        return None
    for at in range(len(word) - 3, 2, -1):
        if word[at - 1] in _VOWELS and word[at] not in _VOWELS and width(word[:at]) <= room:
            return word[:at], word[at:]
    return None


# --- page layouts ----------------------------------------------------------------------


def _page_layout(writer: _Writer, source: _Source, selection: list[tuple[int, int]] | None) -> None:
    layout = writer.layout
    pages = [
        page
        for page in source.paged.pages
        if selection is None or any(low <= page.number <= high for low, high in selection)
    ]
    block_pages = _block_starts(source)
    expected = 1
    for page in pages:
        while selection is None and expected < page.number:
            writer.blank()  # a page the text does not show: the covers, a hidden page
            expected += 1
        headers = [f"Objetivo {header.objective_id}. {header.title}" for header in page.headers]
        writer.running = block_pages.get(page.number)
        writer.begin()
        y = layout.height - layout.top
        header_lines = [
            text
            for header in headers
            for text in (
                _wrap(header, writer._measure, writer.text_width, layout.header_size, bold=True)
                if layout.wrap_headers
                else [header]
            )
        ]
        notes = [note.number for note in page.footnotes]
        # A page with more lines than fit gets a tighter leading and a smaller type:
        # PDF page N stays printed page N.
        room = (
            y
            - layout.bottom
            - 30
            - layout.header_size * 1.3 * len(header_lines)
            - writer.notes_height(notes)
        )
        leading = min(layout.leading, room / max(1, len(page.body)))
        size = min(layout.body_size, leading * 0.85)
        for index, text in enumerate(header_lines):
            writer.line(y, text, layout.header_size, bold=True)
            y -= layout.header_size * (1.3 if index + 1 < len(header_lines) else 1.6)
        drawn: set[str] = set()
        for line in page.body:
            if line.line_no in source.states_lines:
                if "states" not in drawn:
                    rows = [
                        ["ENTIDADES FEDERATIVAS"],
                        *[[s] for s in source.annex.participating_states],
                    ]
                    y = _draw_table(writer, y, rows, [240])
                    drawn.add("states")
                continue
            if line.line_no in source.glossary_lines:
                if "glossary" not in drawn and page.number in source.glossary_by_page:
                    rows = [
                        ["Dependencias e Instituciones", "Acrónimo"],
                        # A ruled table's cell holds no superscript: the marker goes.
                        *[
                            [_MARK.sub("", cell) for cell in row]
                            for row in source.glossary_by_page[page.number]
                        ],
                    ]
                    y = _draw_table(writer, y, rows, [380, 120])
                    drawn.add("glossary")
                continue
            text = line.text.rstrip()
            if text:
                writer.line(y, text.lstrip(), size)
            y -= leading
        writer.end(page.number, notes, [(link.url, 12) for link in page.links])
        expected += 1


def _block_starts(source: _Source) -> dict[int, str]:
    """The running head of each page: the objective in force at its top."""
    starts = sorted(
        (source.page_of_line[block.first_line], block.first_line, block)
        for block in source.compendium.blocks
    )
    heads: dict[int, str] = {}
    annex_page = source.compendium.annex_lines[0].page
    pages = sorted({page.number for page in source.paged.pages})
    for number in pages:
        if number >= annex_page:
            break
        first_line = next(page.first_line for page in source.paged.pages if page.number == number)
        in_force = [block for page, line, block in starts if line < first_line]
        if in_force:
            block = in_force[-1]
            heads[number] = f"Objetivo {block.objective_id}. {block.printed_title}"
    return heads


def _draw_table(writer: _Writer, y: float, rows: list[list[str]], widths: list[float]) -> float:
    layout = writer.layout
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), writer.fonts.regular, layout.body_size - 1),
                ("FONT", (0, 0), (-1, 0), writer.fonts.bold, layout.body_size - 1),
            ]
        )
    )
    _width, height = table.wrapOn(writer.canvas, layout.width, layout.height)
    table.drawOn(writer.canvas, layout.left, y - height)
    return y - height - layout.leading


# --- flow layouts ----------------------------------------------------------------------


@dataclass
class _Paragraph:
    text: str
    kind: str = "body"  # "body", "header" (an objective), "heading" (bold, a part)
    space_before: float = 0.5  # in lines
    links: list[str] = field(default_factory=list)


def _paragraphs(source: _Source, glossary_columns: bool = False) -> Iterator[_Paragraph]:
    """The compendium as paragraphs: the introduction, each objective and its practices,
    then the annexes."""
    compendium = source.compendium
    intro = [
        line for line in source.paged.body_lines() if line.line_no < source.first_practice_line
    ]
    yield from _line_paragraphs(intro)
    links_of: dict[str, list[str]] = {}
    for link, owner in zip(compendium.links, compendium.link_practices, strict=True):
        if owner is not None:
            links_of.setdefault(owner, []).append(link.url)
    practices = iter(compendium.practices)
    for block in compendium.blocks:
        yield _Paragraph(
            f"Objetivo {block.objective_id}. {block.printed_title}", "header", space_before=1.5
        )
        if block.no_activities_line is not None:
            yield _Paragraph("No se reportaron actividades correspondientes a este objetivo.")
            continue
        for _ in range(block.practice_count):
            practice = next(practices)
            yield _Paragraph(
                f"{practice.number}. {practice.title} ({practice.lead_label})",
                "heading",
                space_before=1,
                links=links_of.get(practice.practice_id, []),
            )
            for part in practice.description.split("\n"):
                yield _Paragraph(part)
            for heading, text in (("Resultados", practice.results), ("Retos", practice.challenges)):
                if text is None:
                    continue
                marks = source.heading_marks.get((practice.practice_id, heading), [])
                yield _Paragraph(heading + "".join(chr(_MARK_BASE + n) for n in marks), "heading")
                for part in text.split("\n"):
                    yield _Paragraph(part)
    yield _Paragraph("ANEXOS", "heading", space_before=2)
    yield _Paragraph("1. Entidades federativas de la República Mexicana que participaron")
    yield _Paragraph("ENTIDADES FEDERATIVAS", "heading")
    for state in source.annex.participating_states:
        yield _Paragraph(state, space_before=0)
    yield _Paragraph(
        "1. Glosario con las dependencias de la APF, Órganos desconcentrados y organismos "
        "Autónomos del Gobierno de México, que colaboraron para el informe",
        space_before=1,
    )
    if glossary_columns:
        yield _Paragraph(f"Acrónimo{_CELL}Dependencias e Instituciones", "heading")
        for entry in source.annex.glossary:
            yield _Paragraph(f"{'/'.join(entry.acronyms)}{_CELL}{entry.name}", "glossary", 0)
        yield _Paragraph("Compendio General 2022", space_before=2)
        return
    yield _Paragraph("Dependencias e Instituciones Acrónimo", "heading")
    for entry in source.annex.glossary:
        yield _Paragraph(f"{entry.name} {'/'.join(entry.acronyms)}", "glossary")
    yield _Paragraph("Compendio General 2022", space_before=2)


def _line_paragraphs(lines: Sequence[SourceLine]) -> Iterator[_Paragraph]:
    text: list[str] = []
    for line in lines:
        if line.text.strip():
            text.append(line.text.strip())
        elif text:
            yield _Paragraph(" ".join(text))
            text = []
    if text:
        yield _Paragraph(" ".join(text))


FlowLine = tuple[
    str, str, float, bool
]  # (text, kind, space before in lines, last of its paragraph)


def _flow_lines(
    writer: _Writer, source: _Source, width: float
) -> tuple[list[FlowLine], dict[int, list[str]]]:
    """The compendium broken into lines ``width`` wide (headers and glossary rows across
    the page), and the links printed with each line, by position."""
    layout = writer.layout
    lines: list[FlowLine] = []
    links_at: dict[int, list[str]] = {}
    for paragraph in _paragraphs(source, layout.glossary_columns):
        bold = paragraph.kind in ("header", "heading")
        line_size = layout.header_size if paragraph.kind == "header" else layout.body_size
        wrapped = _wrap(
            paragraph.text,
            writer._measure,
            writer.text_width if paragraph.kind == "header" else width,
            line_size,
            bold=bold,
            hyphenate=layout.hyphenate and paragraph.kind == "body",
        )
        if paragraph.kind == "glossary":
            wrapped = [paragraph.text]
        if _CELL in paragraph.text:
            # Two columns: the acronym, then the name wrapped in its own column.
            acronym, name = paragraph.text.split(_CELL)
            column = writer.text_width - _ACRONYM_COLUMN - _HANG
            wrapped = _wrap(name, writer._measure, column, line_size, bold=bold)
            wrapped = [
                f"{acronym}{_CELL}{wrapped[0]}",
                *(f"{_HANGS}{more}" for more in wrapped[1:]),
            ]
        if paragraph.links:
            links_at[len(lines)] = paragraph.links
        for index, text in enumerate(wrapped):
            space = paragraph.space_before if index == 0 else 0.0
            lines.append((text, paragraph.kind, space, index == len(wrapped) - 1))
    return lines, links_at


def _flow_layout(writer: _Writer, source: _Source) -> None:
    layout = writer.layout
    size, leading = layout.body_size, layout.leading
    printed = 1
    lines, links_at = _flow_lines(writer, source, writer.text_width)
    position = 0
    while position < len(lines):
        if layout.headers == "divider" and lines[position][1] == "header":
            # The objective's own page: its header alone, in the middle of the page.
            writer.begin()
            y = layout.height / 2 + 40
            while position < len(lines) and lines[position][1] == "header":
                writer.line(y, lines[position][0], layout.header_size, bold=True)
                y -= layout.header_size * 1.3
                position += 1
            writer.end(None, [], [])
            printed += 1
            continue
        writer.begin()
        y = layout.height - layout.top
        notes: list[int] = []
        links: list[tuple[str, float]] = []
        first = True
        while position < len(lines):
            text, kind, space, last = lines[position]
            if kind == "header" and layout.headers == "divider" and not first:
                break
            line_size = layout.header_size if kind == "header" else size
            step = line_size * 1.25 if kind == "header" else leading
            gap = 0.0 if first else space * leading
            marks = [ord(char) - _MARK_BASE for char in _MARK.findall(text)]
            needed = gap + step + writer.notes_height([*notes, *marks])
            # A header stays on one page with its own lines and three lines of text.
            opens_header = kind == "header" and (
                position == 0 or lines[position - 1][1] != "header"
            )
            header_lines = 0
            while opens_header and lines[position + header_lines][1] == "header":
                header_lines += 1
            kept = header_lines * step + 3 * leading if opens_header else 0.0
            if not first and y - needed - kept < layout.bottom + 24:
                break
            y -= gap
            justify = writer.text_width if layout.justify and kind == "body" and not last else None
            bold = kind in ("header", "heading")
            if _CELL in text or text.startswith(_HANGS):
                acronym, _, name = text.rpartition(_CELL) if _CELL in text else ("", "", text[1:])
                indent = layout.left + _ACRONYM_COLUMN + (0 if acronym or bold else _HANG)
                writer.line(y, acronym, line_size, bold=True)
                writer.line(y, name, line_size, bold=bold, x=indent)
            else:
                writer.line(y, text, line_size, bold=bold, justify_to=justify)
            notes += marks
            links += [(url, y) for url in links_at.get(position, [])]
            y -= step
            position += 1
            first = False
        writer.end(printed, notes, links)
        printed += 1


def _column_layout(writer: _Writer, source: _Source) -> None:
    """Text in columns, balanced above each header that spans the page."""
    layout = writer.layout
    count, gap = layout.columns, layout.column_gap
    width = (writer.text_width - gap * (count - 1)) / count
    lines, links_at = _flow_lines(writer, source, width)
    leading = layout.leading
    spanning = ("header", "glossary")

    def height_of(band: Sequence[int]) -> float:
        """The height of a band balanced over the columns."""
        heights = [leading + lines[index][2] * leading for index in band]
        return sum(heights) / count + max(heights, default=0.0)

    printed, position = 1, 0
    while position < len(lines):
        writer.begin()
        y = layout.height - layout.top
        notes: list[int] = []
        links: list[tuple[str, float, float]] = []
        band: list[int] = []

        while position < len(lines):
            text, kind, space, _ = lines[position]
            marks = [ord(char) - _MARK_BASE for char in _MARK.findall(text)]
            foot = layout.bottom + 24 + writer.notes_height([*notes, *marks])
            if kind in spanning:
                # A header keeps its lines and a line of text on its page.
                step = layout.header_size * 1.25 if kind == "header" else leading
                run = 1
                while kind == "header" and lines[position + run][1] == "header":
                    run += 1
                before = space * leading if band or y < layout.height - layout.top else 0.0
                needed = height_of(band) + before + run * step + 2 * leading
                if y - needed < foot:
                    break
                y = (
                    _draw_band(
                        writer, lines, band, y=y, width=width, links_at=links_at, links=links
                    )
                    - before
                )
                band = []
                for _ in range(run):
                    text, kind, _, _ = lines[position]
                    line_size = layout.header_size if kind == "header" else layout.body_size
                    notes.extend(writer.line(y, text, line_size, bold=kind == "header"))
                    links.extend((url, y, layout.left) for url in links_at.get(position, []))
                    y -= step
                    position += 1
                continue
            if band and y - height_of([*band, position]) < foot:
                break
            band.append(position)
            notes.extend(marks)
            position += 1
        _draw_band(writer, lines, band, y=y, width=width, links_at=links_at, links=links)
        writer.end(printed, notes, links)
        printed += 1


def _draw_band(
    writer: _Writer,
    lines: Sequence[FlowLine],
    band: Sequence[int],
    *,
    y: float,
    width: float,
    links_at: dict[int, list[str]],
    links: list[tuple[str, float, float]],
) -> float:
    """Draw the lines of ``band`` from ``y`` down, balanced over the columns; returns the
    height under the lowest column. (Their footnotes were counted as the band filled.)"""
    layout = writer.layout
    count, leading = layout.columns, layout.leading
    if not band:
        return y
    steps = [leading + lines[index][2] * leading for index in band]
    target = sum(steps) / count
    chunks: list[list[int]] = [[]]
    filled = 0.0
    for index, step in zip(band, steps, strict=True):
        if chunks[-1] and filled + step / 2 > target and len(chunks) < count:
            chunks.append([])
            filled = 0.0
        chunks[-1].append(index)
        filled += step
    lowest = y
    for column, chunk in enumerate(chunks):
        x = layout.left + column * (width + layout.column_gap)
        at = y
        for number, index in enumerate(chunk):
            text, kind, space, _ = lines[index]
            at -= 0.0 if number == 0 else space * leading
            writer.line(at, text, layout.body_size, bold=kind == "heading", x=x)
            links.extend((url, at, x) for url in links_at.get(index, []))
            at -= leading
        lowest = min(lowest, at)
    return lowest


def render_key(layout: str) -> str:
    """A digest of everything a render in ``layout`` depends on: this renderer, the
    gcm_open modules it reads the compendium with (and those they import), the bundled
    text and reportlab's version. A render kept under this key is the one a fresh
    render would give."""
    package = Path(__file__).resolve().parents[1] / "src" / "gcm_open"
    digest = hashlib.sha256(f"{layout}\0reportlab {reportlab.Version}\0".encode())
    pending, seen = [Path(__file__).resolve()], set()
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                # "from gcm_open.x import y": y may be a module of package x.
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for name in names:
                parts = name.split(".")
                # The package's own __init__ is what a user imports, not what renders.
                if parts[0] == "gcm_open" and len(parts) > 1:
                    module = package.joinpath(*parts[1:])
                    pending += [module.with_suffix(".py"), module / "__init__.py"]
    for path in sorted(seen):
        digest.update(path.read_bytes())
    digest.update(bundled_source().text.encode())
    return digest.hexdigest()[:16]


def make_pdf(
    path: Path, selection: list[tuple[int, int]] | None = None, layout: str = "classic"
) -> Path:
    """Write the PDF of the pages in ``selection`` (printed page ranges; all by default)
    in the named layout."""
    chosen = LAYOUTS[layout]
    if chosen.flow and selection is not None:
        raise ValueError(f"the {layout} layout reflows the whole text: no page selection")
    source = _source()
    writer = _Writer(path, chosen, source.notes)
    if chosen.columns > 1:
        _column_layout(writer, source)
    elif chosen.flow:
        _flow_layout(writer, source)
    else:
        _page_layout(writer, source, selection)
    writer.save()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="classic")
    parser.add_argument("--list", action="store_true", help="list the layouts and stop")
    parser.add_argument(
        "--pages", nargs="*", default=None, help="printed page ranges, e.g. 6-8 159-160"
    )
    arguments = parser.parse_args()
    if arguments.list or arguments.out is None:
        for layout in LAYOUTS.values():
            print(f"{layout.name:20} {layout.summary}")
        return
    selection = None
    if arguments.pages:
        selection = [tuple(int(n) for n in item.split("-")) for item in arguments.pages]
    print(make_pdf(arguments.out, selection, arguments.layout))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
