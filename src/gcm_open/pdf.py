"""PDF -> pages: the second reader of the page model, with pdfplumber.

Each page is extracted to plain data (lines with their font size, position and
superscript digits; ruled tables; link annotations), in parallel processes and cached by
the PDF's sha256. Then, from position and type size rather than from font names:

- objective headers ("Objetivo 7. ...") are lines in the top band of the page in a type
  larger than the body, or bold;
- the page number is a lone number in the bottom band;
- footnotes are lines in a smaller type at the bottom, starting with their number, and
  their markers are superscript digits glued to a word of the body;
- the body is every other line, top to bottom, with a blank line for each missing line
  of leading, so that paragraphs and headers read as in the text path.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import statistics
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gcm_open.diagnostics import Progress, Stopwatch
from gcm_open.errors import SourceError
from gcm_open.pages import (
    Footnote,
    LinkAnnotation,
    ObjectiveHeader,
    Page,
    PagedText,
    SourceLine,
)
from gcm_open.rules import OBJECTIVE_COUNT

# Bump when the extracted data change, so that cached extractions are not reused.
EXTRACTOR_VERSION = "2"
_HEADER = re.compile(r"^Objetivo\s+(\d{1,2})\.\s+(\S.*)$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_URL_END = re.compile(r"(?:://|^www\.)\S*[^.,;:)\s]$")
TOP_BAND, BOTTOM_BAND = 0.12, 0.14

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where extracted pages are kept: $XDG_CACHE_HOME/gcm-open (~/.cache/gcm-open)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gcm-open"


def is_pdf(path: Path) -> bool:
    """Whether ``path`` starts like a PDF."""
    with path.open("rb") as handle:
        return handle.read(5) == b"%PDF-"


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


def _extract_range(path: str, first: int, last: int) -> list[dict[str, Any]]:
    """Plain data of pages ``first``..``last`` (0-based, inclusive), for another process."""
    document = _open(Path(path))
    try:
        return [_extract_page(document.pages[index], index + 1) for index in range(first, last + 1)]
    finally:
        document.close()


def _extract_page(page: Any, number: int) -> dict[str, Any]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(char: dict[str, Any]) -> bool:
        return not any(
            x0 <= char["x0"]
            and char["x1"] <= x1
            and top <= char["top"]
            and char["bottom"] <= bottom
            for x0, top, x1, bottom in boxes
        )

    lines = []
    for line in page.filter(outside).extract_text_lines(return_chars=True):
        chars = line["chars"]
        body_size = statistics.median(char["size"] for char in chars)
        text, marks = _without_superscripts(line["text"], chars, body_size)
        lines.append(
            {
                "text": text,
                "marks": _merge_marks(marks),
                "size": round(body_size, 2),
                "bold": any("Bold" in char.get("fontname", "") for char in chars),
                "top": round(line["top"], 2),
                "bottom": round(line["bottom"], 2),
                "x1": round(line["x1"], 2),
            }
        )
    return {
        "number": number,
        "height": float(page.height),
        "lines": lines,
        "tables": [table.extract() for table in tables],
        "table_boxes": [[round(top, 2), round(bottom, 2)] for _, top, _, bottom in boxes],
        "links": [link["uri"] for link in page.hyperlinks if link.get("uri")],
    }


def _without_superscripts(
    text: str, chars: Sequence[dict[str, Any]], size: float
) -> tuple[str, list[tuple[int, str]]]:
    """The line's text without its superscript digits, and where they were.

    The line's text is its characters with spaces between words, in order, so the
    characters that are not spaces are the line's chars one for one.
    """
    kept: list[str] = []
    marks: list[tuple[int, str]] = []
    glyphs = iter(chars)
    for letter in text:
        if letter == " ":
            kept.append(letter)
            continue
        char = next(glyphs, None)
        if char is not None and letter.isdigit() and char["size"] < size * 0.8:
            marks.append((len(kept), letter))
        else:
            kept.append(letter)
    return "".join(kept), marks


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
    path: Path, *, jobs: int | None = None, use_cache: bool = True, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Every page of the PDF as plain data, from the cache when it has them."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
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
    document.close()
    jobs = max(1, min(jobs or os.cpu_count() or 1, count))
    chunk = max(1, min(16, -(-count // (jobs * 4))))
    ranges = [(first, min(first + chunk, count) - 1) for first in range(0, count, chunk)]
    pages = []
    if jobs == 1:
        for first, last in ranges:
            pages += _extract_range(str(path), first, last)
            if progress:
                progress(len(pages), count)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(
                _extract_range, [str(path)] * len(ranges), *zip(*ranges, strict=True)
            ):
                pages += result
                if progress:
                    progress(len(pages), count)
    log.info("extracted %d pages of %s in %d processes in %s", count, path.name, jobs, watch.lap())
    if not any(page["lines"] for page in pages):
        raise SourceError(f"{path}: no text layer: this looks like a scanned PDF; run OCR first")
    if use_cache:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
        temporary.replace(cached)
        log.debug("cached the pages in %s", cached)
    return pages


def read_pdf_pages(
    path: Path, *, jobs: int | None = None, use_cache: bool = True, progress: Progress | None = None
) -> PagedText:
    """Read a compendium PDF into the page model the text path also produces."""
    raw = extract_pages(path, jobs=jobs, use_cache=use_cache, progress=progress)
    pages: list[Page] = []
    line_no = 0
    for data in raw:
        # Type sizes are judged against the page's own body type: a dense page may be
        # set smaller than the others.
        sizes = [line["size"] for line in data["lines"]]
        body_size = statistics.median(sizes) if sizes else 0.0
        page, line_no = _page(data, body_size, line_no)
        pages.append(page)
    return PagedText(tuple(pages), line_no, ())


def _page(data: dict[str, Any], body_size: float, line_no: int) -> tuple[Page, int]:
    number, height = data["number"], data["height"]
    headers: list[ObjectiveHeader] = []
    footnotes: list[Footnote] = []
    printed: int | None = None
    body_raw: list[dict[str, Any]] = []
    for line in data["lines"]:
        text = line["text"].strip()
        top_band = line["top"] < height * TOP_BAND
        bottom_band = line["top"] > height * (1 - BOTTOM_BAND)
        header = _HEADER.match(text)
        if (
            top_band
            and header
            and (line["size"] > body_size * 1.2 or line["bold"])
            and 1 <= int(header.group(1)) <= OBJECTIVE_COUNT
        ):
            line_no += 1
            headers.append(ObjectiveHeader(int(header.group(1)), header.group(2), line_no, number))
        elif bottom_band and _PAGE_NUMBER.match(text) and line is data["lines"][-1]:
            printed = int(text)
        elif bottom_band and line["size"] < body_size * 0.9:
            note = _FOOTNOTE.match(text)
            line_no += 1
            if note:
                footnotes.append(Footnote(int(note.group(1)), note.group(2), line_no, number, None))
            elif footnotes:
                last = footnotes[-1]
                footnotes[-1] = Footnote(
                    last.number, f"{last.text} {text}", last.line_no, number, None
                )
        else:
            body_raw.append(line)
    # A ruled table's cells go into the body one per line, where the table stands, as the
    # text extraction prints them: nothing on the page is left out of the text.
    for rows, (top, bottom) in zip(data["tables"], data["table_boxes"], strict=True):
        cells = [part for row in rows for cell in row if cell for part in cell.splitlines()]
        body_raw.append(
            {"cells": [cell for cell in cells if cell.strip()], "top": top, "bottom": bottom}
        )
    body_raw.sort(key=lambda line: line["top"])
    body, line_no, markers = _body(body_raw, number, line_no)
    footnotes = [
        Footnote(f.number, f.text, f.line_no, f.page, *markers.get(f.number, (None, None)))
        for f in footnotes
    ]
    links = tuple(LinkAnnotation(url, line_no, number) for url in data["links"])
    tables = tuple(
        tuple(tuple(cell or "" for cell in row) for row in table) for table in data["tables"]
    )
    return (
        Page(
            number=number,
            first_line=(body[0].line_no if body else line_no),
            last_line=line_no,
            body=tuple(body),
            headers=tuple(headers),
            footnotes=tuple(footnotes),
            links=links,
            printed_number=printed,
            tables=tables,
        ),
        line_no,
    )


def _body(
    lines: Sequence[dict[str, Any]], number: int, line_no: int
) -> tuple[list[SourceLine], int, dict[int, tuple[int, int]]]:
    """Body lines in reading order, blank lines where the leading shows missing lines,
    and the footnote markers found (number -> (line, offset))."""
    body: list[SourceLine] = []
    markers: dict[int, tuple[int, int]] = {}
    leading = _leading([line for line in lines if "cells" not in line])
    previous_top: float | None = None
    for position, line in enumerate(lines):
        if previous_top is not None and leading:
            gap = line["top"] - previous_top
            for _ in range(max(0, round(gap / leading) - 1)):
                line_no += 1
                body.append(SourceLine(line_no, number, ""))
        if "cells" in line:
            # A table is a paragraph of its own: blank lines around its cells.
            for text in ["", *line["cells"], ""]:
                line_no += 1
                body.append(SourceLine(line_no, number, f"{text.strip()} " if text else ""))
            previous_top = line["bottom"]
            continue
        previous_top = line["top"]
        line_no += 1
        following = lines[position + 1].get("text", "").strip() if position + 1 < len(lines) else ""
        text = line["text"].rstrip()
        # A URL broken at the line end goes on in one word on the next line: no space.
        broken = (
            _URL_END.search(text.split()[-1]) is not None
            and " " not in following
            and following
            and not following.startswith(("http", "www"))
        )
        body.append(SourceLine(line_no, number, text if broken else f"{text} "))
        for offset, footnote in line["marks"]:
            markers[footnote] = (line_no, offset)
    return body, line_no, markers


def _leading(lines: Sequence[dict[str, Any]]) -> float:
    """The usual distance between two body lines of a page."""
    gaps = [b["top"] - a["top"] for a, b in itertools.pairwise(lines) if b["top"] > a["top"]]
    return min(gaps, default=0.0) if gaps else 0.0
