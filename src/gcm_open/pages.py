"""Source text -> pages: body lines with provenance, objective headers, footnotes, page numbers.

The page model is the meeting point of the readers: the text reader here and the PDF
reader both produce :class:`PagedText`, and one parser reads it.

The text extraction of the compendium has PDF artefacts this reader undoes:

- a page usually starts with a line that begins with exactly one space;
- the objective header of a page ("Objetivo 7. Abordar y reducir ...", over 1-3 lines)
  and the section mark ("ii. Objetivos del PMM") are emitted at the END of the page they
  head, often in the middle of a sentence that continues on the next page;
- the link annotations of a page (bare URLs, no surrounding spaces) follow its text;
- footnotes (``9 AFORE: Administradoras ...``) sit at the bottom of their page and their
  markers are glued to words (``Afore9``);
- a few printed page numbers survive on lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from gcm_open.diagnostics import BuildWarning
from gcm_open.rules import OBJECTIVE_COUNT, continues_a_sentence

_OBJECTIVE_HEADER = re.compile(r"^ ?Objetivo\s+(\d{1,2})\.\s+(\S.*?)\s*$")
_SECTION_MARK = re.compile(
    r"^ ?(?:i|ii|iii|iv|v)\.\s+(?:Introducción|Objetivos del PMM|Anexos)\s*$", re.IGNORECASE
)
_PAGE_START = re.compile(r"^ \S")
_LINK_ANNOTATION = re.compile(r"^(?:https?://\S+|\S+@\S+\.\S+)$")
_PAGE_NUMBER = re.compile(r"^ ?(\d{1,3})\s*$")
_FOOTNOTE = re.compile(r"^ ?(\d{1,2})\s+(\S.*?)\s*$")
_PRACTICE_NUMBER = re.compile(r"^ ?\d{1,2}\.\s")
# A word that cannot be the second half of a hyphenated compound: a line that ends in a
# dash set against a word ("Instituto- de junio ...") goes on with a space.
_FUNCTION_WORD = re.compile(
    r"^(?:a|al|con|de|del|e|el|en|la|las|los|o|para|por|que|se|u|y)(?:\s|$)"
)

# A page of the compendium holds 45-75 extracted lines; a line-start space closer than
# this to a surer page start is an indented line, not a new page.
MIN_PAGE_LINES = 30
# How far above its text a footnote marker is looked for.
_MARKER_SEARCH_LINES = 150
# A table flattened by the extraction: at least this many cells of at most this length.
_MIN_TABLE_CELLS = 4
_MAX_CELL_LENGTH = 40
_SENTENCE_ENDS = (".", ":", ";", "!", "?")


@dataclass(frozen=True)
class SourceLine:
    """One body line with its provenance; footnote markers are already removed.

    ``text`` is the line as extracted. A line broken inside a word or a URL ends without
    whitespace, one wrapped between words ends with a space: readers keep that
    difference, and the parser joins the former to the next line without a space.
    """

    line_no: int
    page: int
    text: str
    # Where a PDF prints the line: the left edge (points) and text of each part set
    # apart from the others, as the columns of a table without rules are. Empty in the
    # text path, which has no positions.
    parts: tuple[tuple[float, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ObjectiveHeader:
    """A page header naming a GCM objective, as printed."""

    objective_id: int
    title: str
    line_no: int
    page: int


@dataclass(frozen=True)
class Footnote:
    """A footnote: its number, text, where it is printed and where its marker sits."""

    number: int
    text: str
    line_no: int
    page: int
    marker_line: int | None
    # Where the marker stood in its line, once removed (a character offset).
    marker_offset: int | None = None


@dataclass(frozen=True)
class LinkAnnotation:
    """The target of a hyperlink on a page, as the extraction lists it after the text."""

    url: str
    line_no: int
    page: int


@dataclass(frozen=True)
class Page:
    """One page: body lines in reading order, its headers and footnotes."""

    number: int
    first_line: int
    last_line: int
    body: tuple[SourceLine, ...]
    headers: tuple[ObjectiveHeader, ...]
    footnotes: tuple[Footnote, ...]
    links: tuple[LinkAnnotation, ...] = ()
    printed_number: int | None = None
    # Ruled tables the reader found on the page, as rows of cells (the PDF reader).
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()


@dataclass(frozen=True)
class PagedText:
    """A whole document as pages, with what the reader noticed on the way."""

    pages: tuple[Page, ...]
    line_count: int
    warnings: tuple[BuildWarning, ...]

    def body_lines(self) -> list[SourceLine]:
        """Every body line of every page, in reading order."""
        return [line for page in self.pages for line in page.body]

    def headers(self) -> list[ObjectiveHeader]:
        """Every objective header, in reading order."""
        return [header for page in self.pages for header in page.headers]

    def footnotes(self) -> list[Footnote]:
        """Every footnote, in reading order."""
        return [footnote for page in self.pages for footnote in page.footnotes]

    def links(self) -> list[LinkAnnotation]:
        """Every link annotation, in reading order."""
        return [link for page in self.pages for link in page.links]


def _is_blank(text: str) -> bool:
    return not text.strip()


@dataclass
class _Classified:
    """Roles of the lines of a text, filled in by the passes of :func:`read_text_pages`."""

    lines: list[str]
    headers: dict[int, tuple[int, str]]  # first line index -> (objective, title)
    skip: set[int]  # indices that are not body: headers, marks, annotations, footnotes
    strong_breaks: set[int]  # indices that surely start a page
    footnotes: dict[int, tuple[int, str]]  # first line index -> (number, text)
    markers: dict[int, tuple[int, int, int]]  # footnote number -> (line index, start, end)
    page_numbers: dict[int, int]  # line index -> printed number
    links: set[int]  # indices of link annotation lines


def read_text_pages(text: str) -> PagedText:
    """Read a plain-text extraction of a compendium into pages.

    >>> paged = read_text_pages(" First page text\\nObjetivo 1. Recopilar datos\\n"
    ...                         " Second page\\n")
    >>> [(page.number, [line.text for line in page.body]) for page in paged.pages]
    [(1, [' First page text']), (2, [' Second page'])]
    >>> paged.headers()[0].objective_id
    1
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    found = _Classified(lines, {}, set(), set(), {}, {}, {}, set())
    _find_headers(found)
    _find_link_annotations(found)
    _find_footnotes(found)
    _find_page_numbers(found)
    return _paginate(found)


def _find_headers(found: _Classified) -> None:
    lines = found.lines
    for index, line in enumerate(lines):
        if _SECTION_MARK.match(line):
            found.skip.add(index)
            if _PAGE_START.match(line):
                found.strong_breaks.add(index)
            continue
        match = _OBJECTIVE_HEADER.match(line)
        if not match or not 1 <= int(match.group(1)) <= OBJECTIVE_COUNT:
            continue
        parts = [match.group(2)]
        block = [index]
        cursor = index + 1
        while len(parts) < 3 and cursor < len(lines) and not parts[-1].endswith("."):
            candidate = lines[cursor]
            gap: list[int] = []
            if _is_blank(candidate) and cursor + 1 < len(lines):
                # A header may hold one blank line, but only inside its sentence.
                after = lines[cursor + 1]
                if after[:1].islower():
                    gap, cursor, candidate = [cursor], cursor + 1, after
            if (
                _is_blank(candidate)
                or candidate.startswith(" ")
                or _SECTION_MARK.match(candidate)
                or _OBJECTIVE_HEADER.match(candidate)
                or _PRACTICE_NUMBER.match(candidate)
            ):
                break
            parts.append(candidate.strip())
            block.extend([*gap, cursor])
            cursor += 1
        found.headers[index] = (int(match.group(1)), " ".join(part.strip() for part in parts))
        found.skip.update(block)
        if _PAGE_START.match(line):
            found.strong_breaks.add(index)
        # The header closes its page: the next line-start space opens the next one.
        for following in range(cursor, min(cursor + 6, len(lines))):
            if _PAGE_START.match(lines[following]) and following not in found.skip:
                found.strong_breaks.add(following)
                break


def _find_link_annotations(found: _Classified) -> None:
    lines = found.lines
    index = 0
    while index < len(lines):
        if not _LINK_ANNOTATION.match(lines[index]):
            index += 1
            continue
        end = index
        while end < len(lines) and _LINK_ANNOTATION.match(lines[end]):
            end += 1
        # Annotations close their page; a bare URL followed by more text is a URL
        # wrapped inside the body.
        if end == len(lines) or _PAGE_START.match(lines[end]):
            found.skip.update(range(index, end))
            found.links.update(range(index, end))
            if end < len(lines):
                found.strong_breaks.add(end)
        index = end


def _find_footnotes(found: _Classified) -> None:
    lines = found.lines
    expected = 1
    previous_note_end = -1
    for index, line in enumerate(lines):
        match = _FOOTNOTE.match(line)
        if index in found.skip or not match or int(match.group(1)) != expected:
            continue
        # A footnote starts after a blank line or right below the previous footnote.
        if index > 0 and not _is_blank(lines[index - 1]) and index != previous_note_end:
            continue
        marker = _find_marker(found, expected, index)
        if marker is None:
            continue
        parts = [match.group(2)]
        cursor = index + 1
        while cursor < len(lines):
            candidate = lines[cursor]
            next_note = _FOOTNOTE.match(candidate)
            if (
                _is_blank(candidate)
                or _PAGE_START.match(candidate)
                or cursor in found.skip
                or (next_note is not None and int(next_note.group(1)) == expected + 1)
            ):
                break
            parts.append(candidate.strip())
            cursor += 1
        found.footnotes[index] = (expected, join_wrapped(parts))
        found.skip.update(range(index, cursor))
        found.markers[expected] = marker
        previous_note_end = cursor
        expected += 1


def _find_marker(found: _Classified, number: int, note_index: int) -> tuple[int, int, int] | None:
    """The nearest marker of footnote ``number`` above its text: a number glued to a word.

    A marker glued to a year (``marzo de 20092``) is accepted only as the digits after a
    four-digit year.
    """
    glued = re.compile(rf"(?<=[^\W\d_]|[).,”\"’])({number})(?!\d)")
    after_year = re.compile(rf"(?<=\b(?:19|20)\d\d)({number})(?!\d)")
    low = max(0, note_index - _MARKER_SEARCH_LINES)
    for index in range(note_index - 1, low - 1, -1):
        if index in found.skip:
            continue
        line = found.lines[index]
        if _PRACTICE_NUMBER.match(line) and line.lstrip().startswith(f"{number}."):
            continue
        for pattern in (glued, after_year):
            matches = list(pattern.finditer(line))
            if matches:
                last = matches[-1]
                return index, last.start(1), last.end(1)
    return None


def _find_page_numbers(found: _Classified) -> None:
    """Printed page numbers: a lone number between blank lines, in a plausible sequence."""
    lines = found.lines
    last_number, last_index = 0, 0
    for index, line in enumerate(lines):
        match = _PAGE_NUMBER.match(line)
        if not match or index in found.skip or index == 0 or index + 1 >= len(lines):
            continue
        if not (_is_blank(lines[index - 1]) and _is_blank(lines[index + 1])):
            continue
        number = int(match.group(1))
        # Pages hold at least MIN_PAGE_LINES lines; allow generous slack for blank pages.
        ceiling = last_number + (index - last_index) // MIN_PAGE_LINES + 20
        if last_number < number <= ceiling:
            found.page_numbers[index] = number
            found.strong_breaks.add(index)
            found.skip.add(index)
            last_number, last_index = number, index


def _select_breaks(found: _Classified) -> list[int]:
    weak = {
        index
        for index, line in enumerate(found.lines)
        if _PAGE_START.match(line) and index not in found.skip
    }
    strong = sorted(found.strong_breaks | {0})
    chosen: list[int] = []
    next_strong = 0
    for index in sorted(weak | set(strong)):
        while next_strong < len(strong) and strong[next_strong] <= index:
            next_strong += 1
        if index in found.strong_breaks or index == 0:
            if not chosen or chosen[-1] != index:
                chosen.append(index)
            continue
        upcoming = strong[next_strong] if next_strong < len(strong) else len(found.lines)
        if index - chosen[-1] >= MIN_PAGE_LINES and upcoming - index >= MIN_PAGE_LINES:
            chosen.append(index)
    return chosen


def _paginate(found: _Classified) -> PagedText:
    breaks = _select_breaks(found)
    bounds = list(zip(breaks, [*breaks[1:], len(found.lines)], strict=True))
    numbers, warnings = _number_pages(found, bounds)
    marker_cuts = {index: (start, end) for index, start, end in found.markers.values()}
    marker_lines = {number: index + 1 for number, (index, _s, _e) in found.markers.items()}
    marker_offsets = {number: start for number, (_i, start, _e) in found.markers.items()}
    pages: list[Page] = []
    for (start, end), number in zip(bounds, numbers, strict=True):
        body: list[SourceLine] = []
        headers: list[ObjectiveHeader] = []
        footnotes: list[Footnote] = []
        links: list[LinkAnnotation] = []
        printed: int | None = None
        for index in range(start, end):
            if index in found.headers:
                objective, title = found.headers[index]
                headers.append(ObjectiveHeader(objective, title, index + 1, number))
            if index in found.footnotes:
                note_number, note_text = found.footnotes[index]
                footnotes.append(
                    Footnote(
                        note_number,
                        note_text,
                        index + 1,
                        number,
                        marker_lines[note_number],
                        marker_offsets[note_number],
                    )
                )
            if index in found.page_numbers:
                printed = found.page_numbers[index]
            if index in found.links:
                links.append(LinkAnnotation(found.lines[index], index + 1, number))
            if index in found.skip:
                continue
            text = found.lines[index]
            if index in marker_cuts:
                cut_start, cut_end = marker_cuts[index]
                text = text[:cut_start] + text[cut_end:]
            body.append(SourceLine(index + 1, number, text))
        pages.append(
            Page(
                number,
                start + 1,
                end,
                tuple(body),
                tuple(headers),
                tuple(footnotes),
                tuple(links),
                printed,
            )
        )
    return PagedText(
        tuple(_restore_displaced_tables(pages, warnings)), len(found.lines), tuple(warnings)
    )


def _restore_displaced_tables(pages: list[Page], warnings: list[BuildWarning]) -> list[Page]:
    """Put back in reading order a table the extraction emitted at the end of its page.

    The extraction flattens a table to one cell per line and may emit it after the rest
    of its page, in the middle of a sentence that goes on on the next page. Such a run of
    short lines, after an unfinished sentence and before a next page that starts in
    lower case, is moved after the last line of the page that announces it with a colon
    ("... las siguientes caravanas:"); without one it stays where it is.
    """
    restored: list[Page] = []
    for position, page in enumerate(pages):
        following = pages[position + 1] if position + 1 < len(pages) else None
        body = list(page.body)
        cells = _trailing_cells(body)
        interrupted = [line for line in body[: len(body) - len(cells)] if line.text.strip()]
        next_lines = [line for line in following.body if line.text.strip()] if following else []
        if (
            sum(1 for line in cells if line.text.strip()) >= _MIN_TABLE_CELLS
            and interrupted
            and not interrupted[-1].text.rstrip().endswith(_SENTENCE_ENDS)
            and next_lines
            and continues_a_sentence(next_lines[0].text)
        ):
            anchor = next(
                (line for line in reversed(interrupted[:-1]) if line.text.rstrip().endswith(":")),
                None,
            )
            if anchor is not None:
                rest = body[: len(body) - len(cells)]
                at = rest.index(anchor) + 1
                # After the blank line that follows the announcement: a new paragraph.
                if at < len(rest) and not rest[at].text.strip():
                    at += 1
                body = [*rest[:at], *cells, *rest[at:]]
                warnings.append(
                    BuildWarning(
                        cells[0].line_no,
                        "displaced-table",
                        f"lines {cells[0].line_no}-{cells[-1].line_no}: a table printed at the "
                        f"end of page {page.number} cuts a sentence short; read after line "
                        f"{anchor.line_no}, which announces it",
                    )
                )
        restored.append(replace(page, body=tuple(body)))
    return restored


def _trailing_cells(body: Sequence[SourceLine]) -> list[SourceLine]:
    """The run of short lines (and blank lines) that ends a page's body, with the header
    row of the table right above it."""
    start = len(body)
    while start > 0 and len(body[start - 1].text.strip()) <= _MAX_CELL_LENGTH:
        start -= 1
    while start < len(body) and not body[start].text.strip():
        start += 1
    # The table's header row is longer than its cells; it sits right above them.
    if start > 0 and body[start - 1].text.strip():
        start -= 1
    return list(body[start:])


def _number_pages(
    found: _Classified, bounds: Sequence[tuple[int, int]]
) -> tuple[list[int], list[BuildWarning]]:
    """Number the pages from the printed page numbers that survived the extraction.

    The first printed number anchors the count; each later one is checked against it,
    and where they disagree (a page start the extraction hid, or an indented line taken
    for one) the count is re-anchored and a warning says by how much it moved.
    """
    warnings: list[BuildWarning] = []
    printed_at = {
        position: found.page_numbers[index]
        for position, (start, end) in enumerate(bounds)
        for index in range(start, end)
        if index in found.page_numbers
    }
    if not printed_at:
        return list(range(1, len(bounds) + 1)), warnings
    first = min(printed_at)
    offset = printed_at[first] - first
    numbers: list[int] = []
    for position, (start, _end) in enumerate(bounds):
        if position in printed_at and position != first:
            printed = printed_at[position]
            if printed != position + offset:
                warnings.append(
                    BuildWarning(
                        start + 1,
                        "page-count-drift",
                        f"pages counted from page {printed_at[first]} reach {position + offset} "
                        f"here, but page {printed} is printed; counting on from {printed}",
                    )
                )
                offset = printed - position
        numbers.append(position + offset)
    return numbers, warnings


def breaks_word(text: str, following: str) -> bool:
    """Whether a line ending in a hyphen breaks a word or compound that ``following``
    completes (no space between them), rather than ending in a dash before a word."""
    return (
        text.endswith("-")
        and len(text) > 1
        and text[-2].isalnum()
        and not _FUNCTION_WORD.match(following.lstrip())
    )


def join_wrapped(parts: Sequence[str]) -> str:
    """Join wrapped lines with single spaces, without one after a word-breaking hyphen."""
    joined = " ".join(parts)
    if "-" not in joined or not any(part.rstrip().endswith("-") for part in parts):
        return " ".join(joined.split())  # no line ends in a hyphen: most paragraphs
    text = ""
    for raw_part in parts:
        part = raw_part.strip()
        if not part:
            continue
        if breaks_word(text, part):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return " ".join(text.split())
