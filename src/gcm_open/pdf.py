"""PDF -> pages: the second reader of the page model, with pdfplumber.

Each page is extracted to plain data (lines with their type size, weight, position and
superscript digits; ruled tables; link annotations), in parallel processes and cached by
the PDF's sha256. A page set in columns is read column by column (``gcm_open.columns``;
a page with too little text to show its columns is read in the document's). The layout
is then read from evidence gathered over the whole document, not from fixed bands of
the page:

- the body type is the size most of the text is set in; objective headers
  ("Objetivo 7. ...", over as many lines as their type runs) are set larger or bold, or
  stand alone at the top of a page as a running head;
- running heads and feet are the lines at the top or bottom of pages, apart from the
  text, that repeat (digits masked, or by their first part) at the same height on many
  pages, mostly there and not in the text, or that print the page's number; page
  numbers are the numbers in those margins that rise with the pages; a thumb index down
  the outer edge is not text;
- each line keeps the parts it prints apart (their left edges), so that a glossary set
  in two columns without rules is read by its columns, and a side heading in the margin
  is a line of its own;
- footnotes are the block of smaller type at the foot of a page (of the document's
  footnote type on a page set small), each opened by its number (inline or raised), and
  their markers are superscript digits in the body;
- the body is every other line, top to bottom, with a blank line for each missing line
  of leading (tighter for smaller type), so that paragraphs and headers read as in the
  text path; a URL broken over two lines is joined when its pieces begin a link
  annotation's target or plainly go on (a host and path, a cut ``%20``); a hyphen that
  ends a line is dropped when the joined word is known (the document's own, or
  simplemma's Spanish dictionary).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from gcm_open.cache import cache_dir
from gcm_open.columns import Gutter, document_gutters, find_gutters, unfold
from gcm_open.diagnostics import BuildWarning, Progress, Stopwatch
from gcm_open.errors import SourceError
from gcm_open.pages import (
    Footnote,
    LinkAnnotation,
    ObjectiveHeader,
    Page,
    PagedText,
    SourceLine,
    breaks_word,
)
from gcm_open.rules import OBJECTIVE_COUNT
from gcm_open.spanish import SpanishWords

# Bump when the extracted data change, so that cached extractions are not reused.
EXTRACTOR_VERSION = "8"
# A gap wider than this share of the type size between two characters is a word space:
# PDFs that place words one by one have no space glyphs.
WORD_GAP_RATIO = 0.15
# "Objetivo 7. Title", or "Objetivo 7." alone with the title on the lines below; a
# layout may set headers in capitals ("OBJETIVO 7. ABORDAR ...").
_HEADER = re.compile(r"^(?:Objetivo|OBJETIVO)\s+(\d{1,2})\.(?:\s+(\S.*))?$")
# A running head that names the objective after other furniture ("Página 3 de 9 Objetivo 1. ...").
_RUNNING_OBJECTIVE = re.compile(r"\b(?:Objetivo|OBJETIVO)\s+(\d{1,2})\.\s+(\S.*)$")
_PAGE_WORD = re.compile(r"\bp[áa]g(?:ina|\.)?\s*(\d{1,4})(?:\s*(?:de|/)\s*\d{1,4})?", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_PAGE_NUMBER = re.compile(
    r"^(?:p[áa]gina|p[áa]g\.?|p\.)?\s*[-–—|·]?\s*(\d{1,4})\s*[-–—|·]?"
    r"(?:\s*(?:de|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\s*[|·–—-]?\s+\S|\S\s+[|·–—-]?\s*(\d{1,4})$")
_URL_END = re.compile(r"(?:://|^www\.)\S*[^.,;:)\s]$")
# Pieces of a URL: a line that ends inside one goes on with one of these.
_URL_CUT = re.compile(r"[/=&?#%_-]$")
_URL_PIECE = re.compile(r"%[0-9A-Fa-f]{2}|[=&/]")
_URL_START = re.compile(r"://|^www\.")
_HALF_ESCAPE = re.compile(r"%[0-9A-Fa-f]?$")
_JOINED_WORDS = re.compile(r"\w[-_.]\w")
_HOST_AND_PATH = re.compile(r"[\w%~-]*\.[\w.%~-]+/")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# A side heading in the margin is at most this many words.
_SIDE_HEADING_WORDS = 3
# Parts of a line further apart than this many type sizes (more than any word space,
# even of a loose justified line) are cells of a table.
_CELL_GAP = 1.0
# Lines at the top or bottom of a page looked at as possible running heads and feet.
_MARGIN_LINES = 3
# A running head or foot repeats on at least this many pages, and this share of them:
# a heading that happens to open a few pages ("Retos") is not one.
_MIN_REPEATS = 3
_MIN_REPEAT_SHARE = 0.15

log = logging.getLogger(__name__)


def is_pdf(path: Path) -> bool:
    """Whether ``path`` starts like a PDF."""
    with path.open("rb") as handle:
        return handle.read(5) == b"%PDF-"


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open(path: Path) -> Any:
    # pdfplumber is imported only to read a PDF: text builds do not pay for it.
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    encrypted = (PDFPasswordIncorrect, PDFEncryptionError)
    damaged = (PDFSyntaxError, PSException, MalformedPDFException, ValueError, KeyError, TypeError)
    try:
        document = pdfplumber.open(path)
        pages = len(document.pages)
    except (*encrypted, *damaged, PdfminerException) as error:
        # pdfplumber wraps pdfminer's errors; the cause says which one it was.
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, encrypted):
            raise SourceError(f"{path}: the PDF is encrypted; give an unencrypted copy") from None
        raise SourceError(f"{path}: a damaged or truncated PDF ({type(cause).__name__})") from None
    if pages == 0:
        document.close()
        raise SourceError(f"{path}: the PDF has no pages")
    return document


# Each worker process opens the PDF once and extracts the page ranges it is given.
_worker_document: Any = None


def _open_in_worker(path: str) -> None:
    global _worker_document  # noqa: PLW0603 - one open document per worker process
    _worker_document = _open(Path(path))


def _extract_range(first: int, last: int) -> list[dict[str, Any]]:
    """Plain data of pages ``first``..``last`` (0-based, inclusive) of the worker's PDF."""
    pages = []
    for index in range(first, last + 1):
        page = _worker_document.pages[index]
        pages.append(_extract_page(page, index + 1))
        # pdfplumber keeps every parsed page; a worker needs each one only once.
        page.close()
    return pages


def _displayed(page: Any) -> tuple[float, float, list[dict[str, Any]], bool, float]:
    """The page's displayed width and height, its characters in displayed geometry,
    whether it has ruling (lines, rectangles: a table may be drawn), and the shift
    applied to the characters.

    The characters are read from pdfminer's layout objects, with only the fields the
    reader uses: pdfplumber's own character dictionaries resolve every colour and
    graphic attribute, which costs more than the layout itself. pdfminer already turns
    the characters of a page with /Rotate upright, but pdfplumber keeps the stored width
    and height, and the /Rotate 270 transform shifts the characters by the difference of
    the two sides.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve

    _read_layout(page)
    width, height = float(page.width), float(page.height)
    rotation = int(page.rotation or 0) % 360
    shift = width - height if rotation == 270 else 0.0
    chars: list[dict[str, Any]] = []
    ruled = False
    pending = [page.layout]
    while pending:
        for item in pending.pop():
            if isinstance(item, LTChar):
                top = height - item.y1 + shift
                chars.append(
                    {
                        "text": item.get_text(),
                        "x0": item.x0 - shift,
                        "x1": item.x1 - shift,
                        "top": top,
                        "doctop": top,
                        "bottom": height - item.y0 + shift,
                        "size": item.size,
                        "fontname": item.fontname,
                        "upright": item.upright,
                        "stroked": getattr(item, _STROKED, False),
                    }
                )
            elif isinstance(item, LTCurve):
                ruled = True
            elif isinstance(item, LTContainer):
                pending.append(item)  # a form XObject's content
    if rotation in (90, 270):
        width, height = height, width
    return width, height, chars, ruled, shift


# A thumb index: at least this many numbers stacked down the outer edge of a page,
# within this share of the page's width from the edge.
_INDEX_MIN_MARKS = 5
_INDEX_EDGE_SHARE = 0.2
# Characters of the page that may stand farther out than a thumb index (a mark, a
# stray glyph); the text's own edge is not one: numbers there begin lines of text.
_INDEX_STRAY_CHARS = 3


def _shifted(
    bbox: tuple[float, float, float, float], shift: float
) -> tuple[float, float, float, float]:
    """pdfplumber's box of a thing on the page in the geometry the characters are read in
    (see :func:`_displayed`)."""
    x0, top, x1, bottom = bbox
    return x0 - shift, top + shift, x1 - shift, bottom + shift


class _IndexMark(NamedTuple):
    """A number of a possible thumb index, where it stands, and its characters."""

    middle: float
    top: float
    number: int
    x0: float
    x1: float
    bottom: float
    chars: list[dict[str, Any]]


def _thumb_index(
    chars: Sequence[dict[str, Any]], width: float
) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, top, x1, bottom) of a thumb index: numbers that rise one by one
    down the outer edge of the page (``1`` .. ``23``, one per objective), each alone at
    its height, as printed on every page beside the text. They are not text, and a
    number glued to the end of a line of text would be read as part of it."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted((char for char in chars if char["text"].strip()), key=lambda c: c["top"]):
        if rows and char["top"] - rows[-1][0]["top"] < 1:
            rows[-1].append(char)
        else:
            rows.append([char])
    row_tops = [row[0]["top"] for row in rows]
    marks: list[_IndexMark] = []
    for row in rows:
        runs: list[list[dict[str, Any]]] = [[]]
        for char in sorted(row, key=lambda char: char["x0"]):
            if runs[-1] and char["x0"] - runs[-1][-1]["x1"] >= char["size"] * 0.3:
                runs.append([])
            runs[-1].append(char)
        for run in runs:
            text = "".join(char["text"] for char in run)
            x0, x1 = run[0]["x0"], run[-1]["x1"]
            middle = (x0 + x1) / 2
            if not (text.isdigit() and len(text) <= 2):
                continue
            if _INDEX_EDGE_SHARE * width < middle < (1 - _INDEX_EDGE_SHARE) * width:
                continue
            top, bottom, size = run[0]["top"], run[0]["bottom"], run[0]["size"]
            # Alone at its height: nothing printed within two type sizes of it.
            near = rows[
                bisect.bisect_left(row_tops, top - size * 2) : bisect.bisect_left(row_tops, bottom)
            ]
            if any(
                char["top"] < bottom
                and top < char["bottom"]
                and char["x0"] < x1 + size * 2
                and x0 - size * 2 < char["x1"]
                and not any(char is own for own in run)
                for other in near
                for char in other
            ):
                continue
            marks.append(_IndexMark(middle, top, int(text), x0, x1, bottom, run))
    strips = []
    marks.sort(key=lambda mark: (mark.middle, mark.top))
    for _, stack in itertools.groupby(marks, key=lambda mark: round(mark.middle / 4)):
        column = sorted(stack, key=lambda mark: mark.top)
        numbers = [mark.number for mark in column]
        rising = all(b - a == 1 for a, b in itertools.pairwise(numbers))
        x0, x1 = min(mark.x0 for mark in column), max(mark.x1 for mark in column)
        # The outermost ink of the page: nothing but a stray character farther out.
        own = {id(char) for mark in column for char in mark.chars}
        top, bottom = column[0].top, column[-1].bottom
        outer = sum(
            1
            for char in chars
            if char["text"].strip()
            and id(char) not in own
            and (char["x1"] > x0 if x0 > width / 2 else char["x0"] < x1)
        )
        if len(column) >= _INDEX_MIN_MARKS and rising and outer <= _INDEX_STRAY_CHARS:
            strips.append((x0, top, x1, bottom))
    return strips


# Text rendering modes that stroke the glyphs' outlines (PDF 32000-1, 9.3.6): a font
# without a bold face is made bold by filling and stroking it.
_STROKE_MODES = frozenset({1, 2, 5, 6})
_STROKED = "gcm_open_stroked"


def _read_layout(page: Any) -> None:
    """Lay the page out as pdfplumber does, marking each character drawn in a mode that
    strokes its outline (pdfminer keeps the mode in the text state only). pdfplumber
    reuses this layout for everything else it reads from the page."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if hasattr(page, "_layout"):
        return
    device = _stroke_marking_device()(
        page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams
    )
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise SourceError(
            f"page {page.page_number}: its content cannot be read ({type(error).__name__})"
        ) from None
    page._layout = device.get_result()


@functools.cache
def _stroke_marking_device() -> type:
    """pdfplumber's layout device, marking the characters drawn in a stroking mode."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            drawn = len(self.cur_item._objs)
            super().render_string(textstate, seq, ncs, graphicstate)
            if textstate.render in _STROKE_MODES and graphicstate.linewidth > 0:
                for item in self.cur_item._objs[drawn:]:
                    setattr(item, _STROKED, True)

    return Device


def _extract_page(page: Any, number: int, known: Sequence[Gutter] = ()) -> dict[str, Any]:
    from pdfplumber.utils.text import chars_to_textmap

    width, height, chars, ruled, shift = _displayed(page)
    index = _thumb_index(chars, width)

    def in_index(x0: float, top: float, x1: float, bottom: float) -> bool:
        return any(
            left - 1 <= x0 and x1 <= right + 1 and upper - 1 <= top and bottom <= lower + 1
            for left, upper, right, lower in index
        )

    chars = [
        char for char in chars if not in_index(char["x0"], char["top"], char["x1"], char["bottom"])
    ]

    # Finding tables costs a page's full parse: only where something is drawn. The boxes
    # of a thumb index (a narrow table over its numbers) are no table.
    def boxes_index(x0: float, top: float, x1: float, bottom: float) -> bool:
        return any(
            x0 < right and left < x1 and top < lower and upper < bottom and x1 - x0 < width * 0.2
            for left, upper, right, lower in index
        )

    tables = [
        table
        for table in (page.find_tables() if ruled else [])
        if not boxes_index(*_shifted(table.bbox, shift))
    ]
    boxes = [_shifted(table.bbox, shift) for table in tables]

    def outside(char: dict[str, Any]) -> bool:
        return not any(
            x0 <= char["x0"]
            and char["x1"] <= x1
            and top <= char["top"]
            and char["bottom"] <= bottom
            for x0, top, x1, bottom in boxes
        )

    def text_lines(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        if not chars:
            return []
        textmap = chars_to_textmap(
            list(chars), x_tolerance_ratio=WORD_GAP_RATIO, y_tolerance=2.5, keep_blank_chars=False
        )
        found: list[dict[str, Any]] = textmap.extract_text_lines(strip=True, return_chars=True)
        return [line for line in found if line["text"].strip()]

    # Space glyphs stay: where a PDF has them they separate words even when the next
    # word is drawn closer than a word gap.
    chars = [char for char in chars if outside(char)]
    across = text_lines(chars)
    links = _link_annotations(page)
    gutters = find_gutters(across, width, known)
    if gutters:
        # Read column by column, as one tall column (see gcm_open.columns).
        spaces = [char for char in chars if not char["text"].strip()]
        unfolded = unfold(across, spaces, gutters, height, text_lines)
        across, height, move = unfolded.lines, unfolded.height, unfolded.move
        links = [(uri, x0, move(x0, top)) for uri, x0, top in links]
        boxes = [
            (x0, move(x0, top), x1, move(x0, top) + bottom - top) for x0, top, x1, bottom in boxes
        ]
    return {
        "number": number,
        "width": round(width, 2),
        "height": round(height, 2),
        "gutters": [[round(gutter.x0, 2), round(gutter.x1, 2)] for gutter in gutters],
        "lines": [_line(line) for line in across],
        "tables": [table.extract() for table in tables],
        "table_boxes": [[round(top, 2), round(bottom, 2)] for _, top, _, bottom in boxes],
        "links": [[uri, round(top, 2)] for uri, _, top in links],
    }


def _link_annotations(page: Any) -> list[tuple[str, float, float]]:
    """The page's link targets with the left and top of their rectangles, in displayed
    geometry. Read here rather than with pdfplumber's ``hyperlinks``, which fails on the
    whole page when one annotation lacks its rectangle: such a link is kept, at the top
    of its page."""
    from pdfminer.pdftypes import resolve_all

    links = []
    for annotation in resolve_all(page.page_obj.annots) or []:
        if not isinstance(annotation, dict):
            continue
        action = annotation.get("A")
        uri = action.get("URI") if isinstance(action, dict) else None
        if isinstance(uri, bytes):
            uri = uri.decode("utf-8", errors="replace")
        if not isinstance(uri, str) or not uri:
            continue
        rect = annotation.get("Rect")
        if not (
            isinstance(rect, list)
            and len(rect) == 4
            and all(isinstance(value, (int, float)) for value in rect)
        ):
            links.append((uri, 0.0, 0.0))
            continue
        x0, y0, x1, y1 = (float(value) for value in rect)
        # Displayed geometry, as pdfplumber turns the corners of annotations.
        for turn in range(int(page.rotation or 0) % 360 // 90):
            side = page.width if turn == (int(page.rotation) // 90) % 2 else page.height
            x0, y0, x1, y1 = y0, side - x0, y1, side - x1
        links.append((uri, min(x0, x1), float(page.height) - max(y0, y1)))
    return links


def _line(line: dict[str, Any]) -> dict[str, Any]:
    chars = [char for char in line["chars"] if char["text"].strip()]
    size = _dominant(char["size"] for char in chars)
    baseline = statistics.median(char["bottom"] for char in chars if abs(char["size"] - size) < 0.5)
    text, marks = _without_superscripts(line["text"], chars, size, baseline)
    parts = _parts(line["text"], chars, size, baseline)
    regular = [char for char in chars if char["size"] >= size * 0.8]
    bold = sum(
        1
        for char in regular
        if _BOLD_FONT.search(char.get("fontname", "")) or char.get("stroked", False)
    )
    return {
        "text": text,
        "marks": _merge_marks(marks),
        "size": round(size, 2),
        "bold": bold * 2 > len(regular),
        "top": round(min(char["top"] for char in regular or chars), 2),
        "bottom": round(max(char["bottom"] for char in regular or chars), 2),
        "x0": round(line["x0"], 2),
        "x1": round(line["x1"], 2),
        **({"parts": parts} if len(parts) > 1 else {}),
    }


def _raised(letter: str, char: dict[str, Any], size: float, baseline: float) -> bool:
    """Whether a character is a superscript digit: smaller, above the line's baseline."""
    raised = char["bottom"] < baseline - size * 0.15
    return letter.isdigit() and char["size"] < size * 0.8 and raised


def _parts(
    text: str, chars: Sequence[dict[str, Any]], size: float, baseline: float
) -> list[list[Any]]:
    """The parts of a line printed apart, as the columns of a table without rules are:
    [x0, text] for each run of words separated by more than a type size, without
    superscript digits (see :func:`_without_superscripts` for how text and chars pair)."""
    cells: list[list[Any]] = []
    glyphs = iter(chars)
    previous: dict[str, Any] | None = None
    for letter in text:
        if letter == " ":
            if cells:
                cells[-1][1] += " "
            continue
        char = next(glyphs, None)
        if char is None:
            return []
        if _raised(letter, char, size, baseline):
            continue
        if previous is None or char["x0"] - previous["x1"] > size * _CELL_GAP:
            cells.append([round(char["x0"], 2), ""])
        cells[-1][1] += letter
        previous = char
    return [[x0, " ".join(cell.split())] for x0, cell in cells]


def _dominant(sizes: Any) -> float:
    """The type size most characters of a line are set in."""
    counts = Counter(round(size, 1) for size in sizes)
    return float(max(counts.items(), key=lambda item: (item[1], item[0]))[0])


def _without_superscripts(
    text: str, chars: Sequence[dict[str, Any]], size: float, baseline: float
) -> tuple[str, list[tuple[int, str]]]:
    """The line's text without its superscript digits, and where they were.

    The line's text is its characters with spaces between words, in order, so the
    characters that are not spaces are the line's chars one for one. A superscript is a
    digit in a smaller type raised above the line's baseline.
    """
    kept: list[str] = []
    marks: list[tuple[int, str]] = []
    glyphs = iter(chars)
    for letter in text:
        if letter == " ":
            kept.append(letter)
            continue
        char = next(glyphs, None)
        if char is not None and _raised(letter, char, size, baseline):
            marks.append((len(kept), letter))
        else:
            kept.append(letter)
    # A marker set apart from the word that follows it ("¹ Texto") leaves a space.
    stripped = "".join(kept)
    lead = len(stripped) - len(stripped.lstrip())
    return stripped.lstrip(), [(max(0, offset - lead), digit) for offset, digit in marks]


def _merge_marks(marks: list[tuple[int, str]]) -> list[list[Any]]:
    """Superscript digits next to each other make one marker: [offset, number]."""
    merged: list[list[Any]] = []
    for offset, digit in marks:
        if merged and merged[-1][0] == offset:
            merged[-1][1] += digit
        else:
            merged.append([offset, digit])
    return [[offset, int(digits)] for offset, digits in merged]


def extract_pages(
    path: Path,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    sha256: str | None = None,
) -> list[dict[str, Any]]:
    """Every page of the PDF as plain data, from the cache when it has them."""
    digest = sha256 or sha256_of(path)
    cached = cache_dir() / f"{digest}-extractor{EXTRACTOR_VERSION}.json"
    if use_cache and cached.is_file():
        pages: list[dict[str, Any]] = json.loads(cached.read_text("utf-8"))
        log.info("%d pages of %s from the cache %s", len(pages), path.name, cached)
        if progress:
            progress(len(pages), len(pages))
        return pages
    watch = Stopwatch()
    document = _open(path)
    count = len(document.pages)
    jobs = max(1, min(jobs or os.cpu_count() or 1, count))
    chunk = max(1, min(16, -(-count // (jobs * 4))))
    ranges = [(first, min(first + chunk, count) - 1) for first in range(0, count, chunk)]
    try:
        pages = []
        if jobs == 1:
            global _worker_document  # noqa: PLW0603 - the same entry point as a worker's
            _worker_document = document
            try:
                for first, last in ranges:
                    pages += _extract_range(first, last)
                    if progress:
                        progress(len(pages), count)
            finally:
                _worker_document = None
                document.close()
        else:
            document.close()
            with ProcessPoolExecutor(
                max_workers=jobs, initializer=_open_in_worker, initargs=(str(path),)
            ) as pool:
                for result in pool.map(_extract_range, *zip(*ranges, strict=True)):
                    pages += result
                    if progress:
                        progress(len(pages), count)
    except SourceError as error:
        raise SourceError(f"{path}: {error}") from None
    log.info("extracted %d pages of %s in %d processes in %s", count, path.name, jobs, watch.lap())
    pages = _with_document_gutters(path, pages)
    if not any(page["lines"] for page in pages):
        raise SourceError(f"{path}: no text layer: this looks like a scanned PDF; run OCR first")
    if use_cache:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
        temporary.replace(cached)
        log.debug("cached the pages in %s", cached)
    return pages


def _with_document_gutters(path: Path, pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages read again where they show fewer columns of their own than the document's
    and those fit them (a column of two lines, a list of short items)."""
    shared = document_gutters([[Gutter(x0, x1) for x0, x1 in page["gutters"]] for page in pages])

    def lacks(page: dict[str, Any], gutter: Gutter) -> bool:
        return not any(x0 < gutter.x1 and gutter.x0 < x1 for x0, x1 in page["gutters"])

    again = [
        index for index, page in enumerate(pages) if any(lacks(page, gutter) for gutter in shared)
    ]
    if not again:
        return pages
    document = _open(path)
    try:
        for index in again:
            page = document.pages[index]
            found = _extract_page(page, index + 1, shared)
            page.close()
            if len(found["gutters"]) > len(pages[index]["gutters"]):
                pages[index] = found
    except SourceError as error:
        raise SourceError(f"{path}: {error}") from None
    finally:
        document.close()
    log.info("read %d pages again in the document's %d columns", len(again), len(shared) + 1)
    return pages


def read_pdf_pages(
    path: Path,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    sha256: str | None = None,
) -> PagedText:
    """Read a compendium PDF into the page model the text path also produces."""
    raw = extract_pages(path, jobs=jobs, use_cache=use_cache, progress=progress, sha256=sha256)
    spanish = SpanishWords.in_cache() if use_cache else SpanishWords()
    paged = read_extracted_pages(raw, spanish)
    spanish.save()
    return paged


# --- the layout, read from the whole document --------------------------------------------


@dataclass(frozen=True)
class _Survey:
    """What the whole document says about its layout."""

    body_size: float
    # The usual distance from one line of body type to the next.
    leading: float
    furniture: frozenset[tuple[str, str]]  # (margin, text with digits masked)
    page_numbers: dict[int, int]  # page index -> printed number
    # The type of footnotes: a page set in small type (a glossary) may have footnotes
    # no smaller than its text.
    note_size: float | None = None
    # The targets of the document's link annotations: a URL broken over two lines is
    # joined when its pieces begin one.
    targets: tuple[str, ...] = ()


def _furniture_keys(line: dict[str, Any]) -> list[str]:
    """What a running head or foot repeats: its text, digits masked, and the first of
    its parts set apart ("Compendio General 2022" beside "Objetivo 22", then "Anexos")."""
    keys = [_mask(line["text"])]
    if "parts" in line:
        keys.append(f"{_mask(line['parts'][0][1])} \u2026")
    return keys


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _margins(page: dict[str, Any]) -> list[tuple[str, int]]:
    """The lines that may be running heads or feet: the first and last few of a page,
    each in the half of the page it stands in."""
    lines = page["lines"]
    count = len(lines)
    indices = sorted(
        {*range(min(_MARGIN_LINES, count)), *range(max(count - _MARGIN_LINES, 0), count)}
    )
    middle = page["height"] / 2
    return [("top" if lines[index]["top"] < middle else "bottom", index) for index in indices]


def _apart(lines: Sequence[dict[str, Any]], index: int, body_size: float, zone: str) -> bool:
    """Whether a margin line is set apart from the text, as running heads and feet are:
    by space towards the middle of the page, or by another type size."""
    different = abs(lines[index]["size"] - body_size) > body_size * 0.1
    return different or _isolated(lines, index, below=zone == "top")


def _isolated(lines: Sequence[dict[str, Any]], index: int, *, below: bool) -> bool:
    """Whether a line stands apart from the line below it (or above it): more than 1.2
    times its height of space between them, or no such line. A heading that opens a
    page under a running head is close to the text below it; the running head is not."""
    line = lines[index]
    height = line["bottom"] - line["top"]
    if below:
        if index + 1 >= len(lines):
            return True
        gap = lines[index + 1]["top"] - line["bottom"]
    else:
        if index == 0:
            return True
        gap = line["top"] - lines[index - 1]["bottom"]
    return bool(gap > height * 1.2)


def _survey(raw: Sequence[dict[str, Any]]) -> _Survey:
    weights: Counter[float] = Counter()
    for page in raw:
        for line in page["lines"]:
            weights[round(line["size"], 1)] += len(line["text"])
    body_size = max(weights.items(), key=lambda item: item[1])[0] if weights else 0.0
    # Where each candidate stands on each page it repeats on.
    places: dict[tuple[str, str], dict[int, float]] = {}
    for number, page in enumerate(raw):
        lines = page["lines"]
        for zone, index in _margins(page):
            line = lines[index]
            if _apart(lines, index, body_size, zone):
                # A foot's place is its distance from the foot of the page: a page read
                # column by column is taller than the sheet.
                place = line["top"] if zone == "top" else page["height"] - line["top"]
                for key in _furniture_keys(line):
                    places.setdefault((zone, key), {}).setdefault(number, place)
    # A heading that opens many pages ("Resultados" atop a column) is printed in the
    # text far more often; a running head or foot is printed mostly where it stands.
    anywhere: Counter[str] = Counter()
    for page in raw:
        anywhere.update({_mask(line["text"]) for line in page["lines"]})
    least = max(_MIN_REPEATS, len(raw) * _MIN_REPEAT_SHARE)
    furniture = frozenset(
        key
        for key, tops in places.items()
        if len(tops) >= least
        and len(tops) * 2 >= anywhere[key[1]]
        and _same_place(list(tops.values()))
    )
    steps: Counter[float] = Counter()
    for page in raw:
        body = [line for line in page["lines"] if abs(line["size"] - body_size) < 0.3]
        steps.update(
            round(b["top"] - a["top"], 1)
            for a, b in itertools.pairwise(body)
            if b["top"] - a["top"] > body_size * 0.5
        )
    leading = max(steps.items(), key=lambda item: (item[1], -item[0]))[0] if steps else 0.0
    masks = {text for _, text in furniture}
    note_sizes: Counter[float] = Counter()
    for page in raw:
        lines = page["lines"]
        notes_from = _footnote_block(lines, body_size)
        note_sizes.update(
            round(line["size"], 1)
            for line in lines[notes_from:]
            if _opens_note(line) and _mask(line["text"]) not in masks
        )
    note_size = (
        max(note_sizes.items(), key=lambda item: (item[1], item[0]))[0] if note_sizes else None
    )
    targets = tuple(sorted({uri for page in raw for uri, _ in page["links"]}))
    return _Survey(
        body_size, leading, furniture, _page_numbers(raw, furniture, body_size), note_size, targets
    )


def _same_place(tops: Sequence[float]) -> bool:
    """Whether most occurrences of a line stand at the same height of their pages, as
    running heads and feet do (a heading that opens a page stands anywhere else too)."""
    middle = statistics.median(tops)
    return sum(1 for top in tops if abs(top - middle) <= 2) >= len(tops) * 0.8


def _number_candidates(
    page: dict[str, Any], furniture: frozenset[tuple[str, str]], body_size: float
) -> set[int]:
    lines = page["lines"]
    found: set[int] = set()
    for zone, index in _margins(page):
        text = " ".join(lines[index]["text"].split())
        alone = _PAGE_NUMBER.match(text) or _PAGE_WORD.search(text)
        # A running head that names the objective in force changes with it: it repeats
        # too little to be found by repetition, but it stands apart in the margin.
        names_objective = _RUNNING_OBJECTIVE.search(text) and _apart(lines, index, body_size, zone)
        if alone:
            found.add(int(alone.group(1)))
        elif (zone, _mask(text)) in furniture or names_objective:
            edge = _EDGE_NUMBER.search(text)
            if edge:
                found.add(int(edge.group(1) or edge.group(2)))
    return found


def _page_numbers(
    raw: Sequence[dict[str, Any]], furniture: frozenset[tuple[str, str]], body_size: float
) -> dict[int, int]:
    """Printed page numbers: the margin numbers that rise with the pages.

    Of the numbers found in the margins, the chain that rises through the document and
    holds the most pairs numbered one page apart as they stand (pages without a number
    may come between; an excerpt may jump ahead), without numbers that follow no other
    of their run: a stray number in a margin is not a page number.
    """
    candidates = [
        (index, number)
        for index, page in enumerate(raw)
        for number in sorted(_number_candidates(page, furniture, body_size))
    ]
    score: list[int] = []
    before: list[int] = []
    for position, (index, number) in enumerate(candidates):
        best, previous = 0, -1
        for earlier in range(position):
            other_index, other_number = candidates[earlier]
            if other_index >= index or other_number >= number:
                continue
            follows = number - other_number == index - other_index
            if score[earlier] + follows > best:
                best, previous = score[earlier] + follows, earlier
        score.append(best)
        before.append(previous)
    if not score or max(score) < _MIN_REPEATS - 1:
        return {}
    cursor = max(range(len(score)), key=lambda position: (score[position], -position))
    chain: list[tuple[int, int]] = []
    while cursor >= 0:
        chain.append(candidates[cursor])
        cursor = before[cursor]
    runs = Counter(number - index for index, number in chain)
    return {index: number for index, number in chain if runs[number - index] > 1}


def read_extracted_pages(
    raw: Sequence[dict[str, Any]], spanish: SpanishWords | None = None
) -> PagedText:
    """The page model of extracted pages (what :func:`extract_pages` returns)."""
    survey = _survey(raw)
    warnings: list[BuildWarning] = []
    pages: list[Page] = []
    line_no = 0
    next_note = 1
    for index, data in enumerate(raw):
        page, line_no, next_note = _page(
            data, survey, survey.page_numbers.get(index), line_no, next_note
        )
        if page.headers and not any(line.text.strip() for line in page.body):
            warnings.append(
                BuildWarning(
                    page.first_line,
                    "divider-page",
                    f"page {page.number} holds only the header of objective "
                    f"{page.headers[0].objective_id}: read as a divider page",
                )
            )
        pages.append(page)
    pages = _dehyphenate(pages, warnings, spanish or SpanishWords())
    return PagedText(tuple(pages), line_no, tuple(warnings))


def _page(
    data: dict[str, Any], survey: _Survey, printed: int | None, line_no: int, next_note: int
) -> tuple[Page, int, int]:
    number = data["number"]
    data = {**data, "lines": _side_headings_apart(data["lines"])}
    lines = data["lines"]
    furniture: set[int] = set()
    running: list[dict[str, Any]] = []  # objectives named by running heads
    for zone, index in _margins(data):
        text = " ".join(lines[index]["text"].split())
        apart = _apart(lines, index, survey.body_size, zone)
        is_number = printed is not None and (
            (match := _PAGE_NUMBER.match(text)) is not None and int(match.group(1)) == printed
        )
        # A line apart from the text that carries this page's number is furniture, however
        # little it repeats: "Página 3 de 209 Objetivo 1. Recopilar ...".
        carries_number = apart and printed is not None and _carries(text, printed)
        repeated = apart and any(
            (zone, key) in survey.furniture for key in _furniture_keys(lines[index])
        )
        if _HEADER.match(text):
            if not (carries_number and text.endswith(str(printed))):
                continue
            # "Objetivo 3. Proporcionar ... 9": a running head with the page number last.
            text = text[: -len(str(printed))].rstrip(" |·–—-")
        if is_number or carries_number or repeated:
            furniture.add(index)
            named = _RUNNING_OBJECTIVE.search(text)
            if named and 1 <= int(named.group(1)) <= OBJECTIVE_COUNT:
                title = named.group(2)
                running.append({"header": (int(named.group(1)), title), "top": lines[index]["top"]})
    # The body type of this page, from its upper part (footnotes may fill the foot of a
    # page whose body is a table): a dense page may be set smaller than the others.
    sizes: Counter[float] = Counter()
    for index, line in enumerate(lines):
        if index not in furniture and line["top"] < data["height"] * 0.65:
            sizes[round(line["size"], 1)] += len(line["text"])
    page_body = max(sizes.items(), key=lambda item: item[1])[0] if sizes else survey.body_size
    first_content = min(set(range(len(lines))) - furniture, default=0)
    # Headers and body lines, top to bottom; running heads first, as they stand outside
    # the text (one at the foot must not end the run of footnotes above it).
    flow: list[dict[str, Any]] = list(running)
    position = 0
    while position < len(lines):
        line = lines[position]
        if position in furniture:
            position += 1
            continue
        header = _HEADER.match(" ".join(line["text"].split()))
        if (
            header
            and 1 <= int(header.group(1)) <= OBJECTIVE_COUNT
            and _is_header(lines, position, page_body, survey.body_size, first_content)
        ):
            parts = [header.group(2) or ""]
            following = position + 1
            # "Objetivo 7." alone: its title is the lines below, in their own type, set
            # apart from the text.
            style = line if header.group(2) or following >= len(lines) else lines[following]
            titled = bool(header.group(2)) or style["size"] > page_body * 1.1 or style["bold"]
            while titled and following < len(lines) and _continues_header(lines, following, style):
                parts.append(lines[following]["text"])
                following += 1
            if not header.group(2) and len(parts) == 1:
                flow.append(line)  # "Objetivo 7." and nothing that reads as its title
                position += 1
                continue
            title = " ".join(" ".join(parts).split())
            flow.append({"header": (int(header.group(1)), title), "top": line["top"]})
            position = following
            continue
        flow.append(line)
        position += 1
    notes_from = _footnote_block(flow, page_body, survey, next_note)
    note_lines = flow[notes_from:]
    flow = flow[:notes_from]
    # A ruled table's cells go into the body one per line, where the table stands, as the
    # text extraction prints them: nothing on the page is left out of the text.
    for rows, (top, bottom) in zip(data["tables"], data["table_boxes"], strict=True):
        cells = [part for row in rows for cell in row if cell for part in cell.splitlines()]
        flow.append(
            {"cells": [cell for cell in cells if cell.strip()], "top": top, "bottom": bottom}
        )
    flow.sort(key=lambda line: line["top"])
    first_line = line_no + 1
    body, headers, line_no, markers, placed = _body(flow, number, line_no, survey)
    notes, line_no, next_note = _footnotes(note_lines, number, line_no, next_note, survey.targets)
    footnotes = [
        replace(
            note,
            marker_line=markers.get(note.number, (None, None))[0],
            marker_offset=markers.get(note.number, (None, None))[1],
        )
        for note in notes
    ]
    links = tuple(
        LinkAnnotation(url, _line_at(placed, top, line_no), number) for url, top in data["links"]
    )
    tables = tuple(
        tuple(tuple(cell or "" for cell in row) for row in table) for table in data["tables"]
    )
    return (
        Page(
            number=number,
            first_line=first_line,
            last_line=line_no,
            body=tuple(body),
            headers=tuple(headers),
            footnotes=tuple(footnotes),
            links=links,
            printed_number=printed,
            tables=tables,
        ),
        line_no,
        next_note,
    )


def _side_headings_apart(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines with a side heading ("Resultados" in the margin beside the first line of
    its paragraph) as two: the heading, then the text. A side heading is a short first
    part that stands left of where the page's lines start, its text starting about
    there (a bullet may hang)."""
    starts = Counter(round(line["x0"]) for line in lines if "parts" not in line)
    if not starts:
        return lines
    edge = starts.most_common(1)[0][0]
    apart: list[dict[str, Any]] = []
    for line in lines:
        parts = line.get("parts")
        if (
            parts
            and len(parts[0][1].split()) <= _SIDE_HEADING_WORDS
            and parts[0][0] < edge - line["size"] * 2
            and parts[1][0] >= edge - line["size"] * 2
        ):
            heading, rest = parts[0][1], " ".join(text for _, text in parts[1:])
            shift = len(line["text"]) - len(rest)
            apart.append({**line, "text": heading, "marks": [], "x1": parts[1][0]})
            apart[-1].pop("parts")
            text_marks = [
                [offset - shift, mark] for offset, mark in line["marks"] if offset >= shift
            ]
            apart.append({**line, "text": rest, "marks": text_marks, "x0": parts[1][0]})
            apart[-1]["parts"] = parts[1:]
            if len(parts) == 2:
                apart[-1].pop("parts")
        else:
            apart.append(line)
    return apart


def _footnotes(
    lines: Sequence[dict[str, Any]],
    number: int,
    line_no: int,
    next_note: int,
    targets: Sequence[str] = (),
) -> tuple[list[Footnote], int, int]:
    """The footnotes of a page's foot: each opened by its number, raised or inline (the
    number due next, or any for the first), and continued by the lines that follow."""
    notes: list[Footnote] = []
    for line in lines:
        line_no += 1
        text = " ".join(line["text"].split())
        raised = line["marks"][0][1] if line["marks"] and line["marks"][0][0] == 0 else None
        inline = _FOOTNOTE.match(text)
        if raised is not None:
            notes.append(Footnote(raised, text, line_no, number, None))
            next_note = raised + 1
        elif inline and (int(inline.group(1)) == next_note or not notes):
            notes.append(Footnote(int(inline.group(1)), inline.group(2), line_no, number, None))
            next_note = int(inline.group(1)) + 1
        elif notes:
            notes[-1] = replace(notes[-1], text=_join_note(notes[-1].text, text, targets))
    return notes, line_no, next_note


def _is_header(
    lines: Sequence[dict[str, Any]],
    index: int,
    page_body: float,
    body_size: float,
    first_content: int,
) -> bool:
    """An objective header is set larger or bolder than the text, or stands alone at the
    top of its page (a running head in the text's own type)."""
    line = lines[index]
    larger = line["size"] > max(page_body, body_size) * 1.12
    return (
        larger or line["bold"] or (index == first_content and _isolated(lines, index, below=True))
    )


def _continues_header(lines: Sequence[dict[str, Any]], index: int, style: dict[str, Any]) -> bool:
    """Whether a line goes on with the header above it: in the type of ``style`` (the
    header's first line, or the first line of its title), close below the line before."""
    line, previous = lines[index], lines[index - 1]
    return (
        abs(line["size"] - style["size"]) < 0.3
        and line["bold"] == style["bold"]
        and 0 <= line["top"] - previous["bottom"] < max(line["size"], previous["size"]) * 0.9
        and not _HEADER.match(line["text"])
    )


def _carries(text: str, printed: int) -> bool:
    """Whether a line prints the page number ``printed`` ("Página 12", "... | 12")."""
    word = _PAGE_WORD.search(text)
    edge = _EDGE_NUMBER.search(text)
    numbers = {word.group(1) if word else None, *(edge.groups() if edge else ())}
    return str(printed) in numbers


def _footnote_block(
    lines: Sequence[dict[str, Any]],
    page_body: float,
    survey: _Survey | None = None,
    next_note: int | None = None,
) -> int:
    """Where the footnotes of a page start: the run of smaller type at its foot, opened
    by a footnote number. Returns len(lines) when the page has none. (Headers among the
    lines end the run.)

    On a page set in small type (a glossary) the footnotes need not be smaller than its
    text: there the run is of the document's footnote type, smaller than its body type,
    opened by a raised number or by the number due next.
    """
    start = _opening(lines, lambda size: size < page_body * 0.9)
    if start < len(lines) or survey is None or survey.note_size is None or next_note is None:
        return start
    note_size, body_size = survey.note_size, survey.body_size
    return _opening(
        lines,
        lambda size: abs(size - note_size) <= 0.3 and size < body_size * 0.9,
        lambda line: (
            bool(line["marks"] and line["marks"][0][0] == 0)
            or ((match := _FOOTNOTE.match(line["text"])) is not None and int(match[1]) == next_note)
        ),
    )


def _opening(
    lines: Sequence[dict[str, Any]],
    small: Callable[[float], bool],
    opens: Callable[[dict[str, Any]], bool] | None = None,
) -> int:
    """The first line that opens a footnote in the run of ``small`` type at the foot."""
    start = len(lines)
    while start > 0 and "size" in lines[start - 1] and small(lines[start - 1]["size"]):
        start -= 1
    while start < len(lines):
        if (opens or _opens_note)(lines[start]):
            return start
        start += 1
    return len(lines)


def _opens_note(line: dict[str, Any]) -> bool:
    """Whether a line opens a footnote: a raised number first, or a number and text."""
    if "text" not in line:
        return False
    return bool(line["marks"] and line["marks"][0][0] == 0) or bool(_FOOTNOTE.match(line["text"]))


def _join_note(text: str, more: str, targets: Sequence[str] = ()) -> str:
    if breaks_word(text, more):
        return text + more
    if _url_goes_on(text, more, targets):
        return text + more
    return f"{text} {more}"


def _url_goes_on(text: str, following: str, targets: Sequence[str] = ()) -> bool:
    """Whether a line that ends in a URL is broken inside it: the two pieces begin one of
    the page's link targets; or the next line is one word (not another URL); or the line
    ends inside a ``%20`` or after a ``_``; or the URL ends where URLs are
    cut (``/``, ``=``, ``-``...) and the next line starts with a URL's piece (``%C3%B3``,
    ``a=b``, ``informe-anual``); or
    the next line starts with the rest of a host and its path (``gob.mx/formas/...``,
    printed after ``http://www.inmujeres.`` or ``http://www.politicamigrator``)."""
    words, more = text.split(), following.split()
    if not words or not more or _URL_START.search(words[-1]) is None:
        return False
    last, first = words[-1], more[0]
    if first.startswith(("http", "www")):
        return False
    joined = (last + first).rstrip(".,;:)")
    if any(target.startswith(joined) for target in targets):
        return True
    # No URL ends in "_" or a half-printed escape: the line end cut it.
    if (_URL_END.search(last) and len(more) == 1) or _HALF_ESCAPE.search(last):
        return True
    if last.endswith("_") and first[0].isalnum():
        return True
    if _URL_CUT.search(last) and (_URL_PIECE.search(first) or _JOINED_WORDS.search(first)):
        return True
    return last[-1] not in ",;:)" and _HOST_AND_PATH.match(first) is not None


def _line_at(placed: Sequence[tuple[float, int]], top: float, last_line: int) -> int:
    """The number of the last body line that starts above ``top`` (a link's place);
    ``placed`` holds (top, line number) of the page's text lines, top to bottom."""
    found = last_line
    for line_top, line_no in placed:
        if line_top <= top + 1:
            found = line_no
    return found


def _body(
    flow: Sequence[dict[str, Any]],
    number: int,
    line_no: int,
    survey: _Survey,
) -> tuple[
    list[SourceLine],
    list[ObjectiveHeader],
    int,
    dict[int, tuple[int, int]],
    list[tuple[float, int]],
]:
    """Body lines in reading order, blank lines where the leading shows missing lines,
    the objective headers among them, the footnote markers found (number -> (line,
    offset)) and where each text line stands (top, line number). A header takes a line
    number and leaves its space as blank lines.

    The leading is the page's own where it is set tighter than the document's usual
    leading (a dense page), the usual one otherwise, made tighter for smaller type: a
    page of spaced rows has no two lines at the normal distance to learn it from.
    """
    body: list[SourceLine] = []
    headers: list[ObjectiveHeader] = []
    markers: dict[int, tuple[int, int]] = {}
    placed: list[tuple[float, int]] = []
    usual_leading, body_size = survey.leading, survey.body_size
    texts = [line for line in flow if "text" in line]
    own_leading = _leading(texts)
    previous_top: float | None = None
    previous_size = body_size
    following_texts = iter(texts[1:])
    for line in flow:
        if "header" in line:
            line_no += 1
            objective, title = line["header"]
            headers.append(ObjectiveHeader(objective, title, line_no, number))
            continue
        if previous_top is not None and (own_leading or usual_leading):
            # Space for 0.4 of a line or more reads as a blank line (paragraphs are often
            # set half a line apart); a whole missing line as one, and so on.
            gap = line["top"] - previous_top
            # Smaller type is set with a tighter leading than the usual one (rows of a
            # glossary in 8pt); a dense page's own leading already is.
            size = max(line.get("size", body_size), previous_size)
            usual = usual_leading * min(1.0, size / body_size) if body_size else usual_leading
            leading = min(own_leading or usual, usual or own_leading)
            for _ in range(max(0, int(gap / leading + 0.6) - 1)):
                line_no += 1
                body.append(SourceLine(line_no, number, ""))
        if "cells" in line:
            # A table is a paragraph of its own: blank lines around its cells.
            for text in ["", *line["cells"], ""]:
                line_no += 1
                body.append(SourceLine(line_no, number, f"{text.strip()} " if text else ""))
            previous_top, previous_size = line["bottom"], body_size
            continue
        previous_top = line["top"]
        previous_size = line["size"]
        line_no += 1
        following = next(following_texts, {"text": ""})["text"].strip()
        text = line["text"].rstrip()
        # A URL broken at the line end goes on in one word on the next line: no space.
        broken = _url_goes_on(text, following, survey.targets)
        parts = tuple((x0, part) for x0, part in line.get("parts", [(line["x0"], text)]))
        body.append(SourceLine(line_no, number, text if broken else f"{text} ", parts))
        placed.append((line["top"], line_no))
        for offset, footnote in line["marks"]:
            markers[footnote] = (line_no, offset)
    return body, headers, line_no, markers, placed


def _leading(lines: Sequence[dict[str, Any]]) -> float:
    """The usual distance between two body lines of a page."""
    gaps = [b["top"] - a["top"] for a, b in itertools.pairwise(lines) if b["top"] > a["top"]]
    return min(gaps, default=0.0) if gaps else 0.0


def _dehyphenate(
    pages: list[Page], warnings: list[BuildWarning], spanish: SpanishWords
) -> list[Page]:
    """Drop the hyphen that ends a line when the joined word is known: spelled elsewhere
    in the document, or, for a word in lower case, an inflected form in simplemma's
    Spanish dictionary ("reca-" "bada"); or when the first piece is no word and the
    second is in lower case (``Hermosi-`` ``llo``, ``psicoeducati-`` ``vos``). Keep it
    when the document spells the hyphenated form (``ONU-Mujeres``), the first piece is a
    word (``teórico-`` ``práctico``) or either is in capitals (``UPMRIP-`` ``SEGOB``); a
    lower-case word kept so is a counted warning."""
    lines = [line for page in pages for line in page.body]
    # The words the document spells whole: not the pieces around a line-end hyphen.
    vocabulary: Counter[str] = Counter()
    after_break = False
    for line in lines:
        if not line.text.strip():
            continue
        words = _WORD.findall(line.text)
        broken = line.text.rstrip().endswith("-")
        for word in words[after_break : len(words) - broken]:
            vocabulary[word.lower()] += 1
        after_break = broken

    def known(word: str) -> bool:
        return bool(vocabulary[word.lower()]) or spanish(word.lower())

    def syllables(head: str, tail: str) -> bool:
        # The first piece is no word ("psicoeducati-" "vos", "Hermosi-" "llo"): the line
        # end broke a word between syllables. A word ("teórico-" "práctico") keeps it.
        piece = head.rsplit("-", maxsplit=1)[-1]
        return tail.islower() and not piece.isupper() and not known(piece)

    fixed: dict[int, str] = {}
    content = [line for line in lines if line.text.strip()]
    for line, following in itertools.pairwise(content):
        text = line.text.rstrip()
        if not (text.endswith("-") and len(text) > 2 and text[-2].isalpha()):
            continue
        head = _WORD.findall(text[:-1])
        tail = _WORD.findall(following.text)
        if not head or not tail or not following.text.lstrip()[:1].isalpha():
            continue
        joined, hyphenated = (head[-1] + tail[0]).lower(), f"{head[-1]}-{tail[0]}".lower()
        lower_case = head[-1].islower() and tail[0].islower()
        if vocabulary[hyphenated]:
            continue
        if vocabulary[joined] or (lower_case and spanish(joined)) or syllables(head[-1], tail[0]):
            fixed[line.line_no] = text[:-1]
        elif lower_case:
            warnings.append(
                BuildWarning(
                    line.line_no,
                    "hyphen-kept",
                    f"page {line.page}: '{head[-1]}-{tail[0]}' is broken at the line end, and "
                    "neither the document nor the Spanish dictionary knows the joined word: "
                    "the hyphen is kept",
                )
            )
    if not fixed:
        return pages
    return [
        replace(
            page,
            body=tuple(
                replace(line, text=fixed[line.line_no]) if line.line_no in fixed else line
                for line in page.body
            ),
        )
        for page in pages
    ]
