"""Reading order of pages set in columns.

A page set in columns is read column by column, top to bottom; lines that span the
columns (a heading across the page, a running head or foot, a footnote across the foot)
divide it into bands that are read in turn. :func:`unfold` turns such a page into one
tall column: each column of a band is placed below the one before it, one line of
leading apart, so that the rest of the reader (leading and blank lines, footnotes at the
foot, links by height) reads it as it reads a page of one column.

Columns are found from the page's own ink. A gutter is an upright strip, away from the
page edges, that the lines of the page leave empty (all but the few that span it), with
text on each side that fills its column up to the strip, side by side. A table that
is not ruled (short names at the left, their descriptions at the right) does not fill
its left column, and stays one column.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Char = dict[str, Any]
# A line as pdfplumber's text map returns it: text, x0, x1, top, bottom and its chars.
TextLine = dict[str, Any]

# Characters closer than this share of the type size belong to one run of ink: word
# spaces join, a gutter does not.
_INK_JOIN = 0.5
# A gutter is at least this share of the type size wide, and stands in this middle part
# of the page.
_GUTTER_WIDTH = 0.8
_GUTTER_ZONE = (0.15, 0.85)
# Lines that may cross a gutter (headings, running heads, notes across the page).
_SPANNING_SHARE = 0.3
# Text beside a gutter: this many lines each side; on the right most lines start this
# close to it (as a share of the column's width), on the left this share of the lines
# end this close to it (a list of short items fills few).
_MIN_SIDE_LINES = 3
_FILL = 0.2
_FULL_SHARE = 0.25
# Gutters of a document: on this share of its pages, at the same place within this many
# points.
_SHARED_SHARE = 0.25
_SAME_GUTTER = 6
# Running heads and feet: at most this many lines at the top or foot of a page.
_MARGIN_LINES = 3
# A column of text is at least this share of the page's width.
_MIN_COLUMN_SHARE = 0.18


@dataclass(frozen=True)
class Gutter:
    """The strip between two columns, from x0 to x1 (points from the left edge)."""

    x0: float
    x1: float


def _size(chars: Sequence[Char]) -> float:
    sizes = [char["size"] for char in chars if char["text"].strip()]
    return statistics.median(sizes) if sizes else 0.0


def _ink(chars: Sequence[Char]) -> list[tuple[float, float]]:
    """The runs of ink of a line, left to right."""
    runs: list[tuple[float, float]] = []
    join = _size(chars) * _INK_JOIN
    for char in sorted(chars, key=lambda char: char["x0"]):
        if not char["text"].strip():
            continue
        if runs and char["x0"] - runs[-1][1] <= join:
            runs[-1] = (runs[-1][0], max(runs[-1][1], char["x1"]))
        else:
            runs.append((char["x0"], char["x1"]))
    return runs


def find_gutters(
    lines: Sequence[TextLine], width: float, known: Sequence[Gutter] = ()
) -> list[Gutter]:
    """The gutters of a page, left to right (none for a page of one column).

    ``known`` are the gutters of the document (see :func:`document_gutters`): a page
    with too little text to show its own (a column of two lines, a list of short
    items) has them where its lines leave them empty, with text on both sides.
    """
    found = _own_gutters(lines, width)
    inks = [_ink(line["chars"]) for line in lines]
    allowed = len(lines) * _SPANNING_SHARE
    narrowest = width * _MIN_COLUMN_SHARE
    crossings = {gutter: sum(1 for runs in inks if _crosses(runs, gutter)) for gutter in known}
    # The document's gutters that fit this page best first: where columns move from page
    # to page (margins swapped on facing pages), another page's gutter falls inside one
    # of this page's columns, too close to its own gutter to leave a column between.
    for gutter in sorted(known, key=lambda gutter: crossings[gutter]):
        if any(
            other.x0 - narrowest < gutter.x1 and gutter.x0 < other.x1 + narrowest for other in found
        ):
            continue
        if crossings[gutter] > allowed:
            continue  # the page is not set in these columns
        if _starts_columns(inks, gutter, width):
            found.append(gutter)
    return sorted(found, key=lambda gutter: gutter.x0)


def _starts_columns(
    inks: Sequence[list[tuple[float, float]]], gutter: Gutter, width: float
) -> bool:
    """Whether a page has text on both sides of a gutter of its document, the text on
    the right starting at the gutter as a column does (a column of acronyms further
    right, beside a list of names, is a table)."""
    middle = (gutter.x0 + gutter.x1) / 2
    lefts = 0
    starts: list[float] = []
    ends: list[float] = []
    for runs in inks:
        if _crosses(runs, gutter):
            continue
        lefts += any(x1 <= middle for _, x1 in runs)
        after = [(x0, x1) for x0, x1 in runs if x0 >= middle]
        if after:
            starts.append(after[0][0])
            ends.append(after[-1][1])
    if not lefts or not starts:
        return False
    column = max(max(ends) - gutter.x1, width * _MIN_COLUMN_SHARE)
    return statistics.median(start - gutter.x1 for start in starts) <= column * _FILL


def document_gutters(pages: Sequence[Sequence[Gutter]]) -> list[Gutter]:
    """The gutters most pages of a document share: those found, within a few points,
    on at least a quarter of its pages (the part all of them leave empty)."""
    found = sorted(
        ((gutter, page) for page, gutters in enumerate(pages) for gutter in gutters),
        key=lambda item: item[0].x0 + item[0].x1,
    )
    groups: list[list[tuple[Gutter, int]]] = []
    for gutter, page in found:
        centre = (gutter.x0 + gutter.x1) / 2
        first = groups[-1][0][0] if groups else None
        if first is not None and centre - (first.x0 + first.x1) / 2 <= _SAME_GUTTER:
            groups[-1].append((gutter, page))
        else:
            groups.append([(gutter, page)])
    shared = []
    for group in groups:
        if len({page for _, page in group}) >= len(pages) * _SHARED_SHARE:
            x0 = max(gutter.x0 for gutter, _ in group)
            x1 = min(gutter.x1 for gutter, _ in group)
            if x1 > x0:
                shared.append(Gutter(x0, x1))
    return shared


def _own_gutters(lines: Sequence[TextLine], width: float) -> list[Gutter]:
    if len(lines) < 2 * _MIN_SIDE_LINES:
        return []
    inks = [_ink(line["chars"]) for line in lines]
    size = statistics.median(_size(line["chars"]) for line in lines)
    cover = _cover(inks, int(width) + 1)
    allowed = len(lines) * _SPANNING_SHARE
    low, high = int(width * _GUTTER_ZONE[0]), int(width * _GUTTER_ZONE[1])
    candidates = [
        gutter
        for start, end in _runs(cover, low, high, allowed)
        for gutter in _emptiest(inks, cover, start, end)
        if gutter.x1 - gutter.x0 >= max(size * _GUTTER_WIDTH, 4)
    ]
    gutters: list[Gutter] = []
    for gutter in candidates:
        since = gutters[-1].x1 if gutters else 0.0
        if _has_columns_beside(inks, gutter, width, since):
            gutters.append(gutter)
    return gutters


def _emptiest(
    inks: Sequence[list[tuple[float, float]]], cover: Sequence[int], start: int, end: int
) -> list[Gutter]:
    """The gutters in a strip that few lines cover (a ragged column reaches into it; a
    column of a few lines stands inside it): each run of its emptiest points, narrowed
    to what the lines of the columns leave empty (the lines through its middle span
    it). Where most lines of a column are indented (bullets), a gutter reaches up to
    the indent; a heading across the page covers only part of it."""
    least = min(cover[start:end])
    gutters = []
    for low, high in _runs(cover, start, end, least + max(1, len(inks) * 0.03)):
        centre = (low + high) / 2
        columns = [runs for runs in inks if not any(x0 <= centre <= x1 for x0, x1 in runs)]
        columns_only = _cover(columns, len(cover))
        empty = _runs(columns_only, low, high, min(columns_only[low:high]))
        left, right = max(empty, key=lambda run: run[1] - run[0])
        gutters.append(Gutter(float(left), float(right)))
    return gutters


def _cover(inks: Sequence[list[tuple[float, float]]], bins: int) -> list[int]:
    """How many lines have ink at each point (1 pt bins) across the page."""
    cover = [0] * bins
    for runs in inks:
        for x0, x1 in runs:
            for position in range(max(0, int(x0)), min(bins, int(x1) + 1)):
                cover[position] += 1
    return cover


def _runs(cover: Sequence[int], start: int, end: int, most: float) -> list[tuple[int, int]]:
    """The runs of positions in start..end covered by at most ``most`` lines."""
    runs: list[tuple[int, int]] = []
    run_start: int | None = None
    for position in range(start, end + 1):
        inside = position < end and cover[position] <= most
        if inside and run_start is None:
            run_start = position
        elif not inside and run_start is not None:
            runs.append((run_start, position))
            run_start = None
    return runs


def _crosses(runs: Sequence[tuple[float, float]], gutter: Gutter) -> bool:
    """Whether ink runs through the middle half of a gutter: a line of a column may
    stand out into the gutter a little; a word space of a line across the page is not
    as wide as the gutter's middle."""
    quarter = (gutter.x1 - gutter.x0) / 4
    return any(x0 < gutter.x1 - quarter and x1 > gutter.x0 + quarter for x0, x1 in runs)


def _has_columns_beside(
    inks: Sequence[list[tuple[float, float]]], gutter: Gutter, width: float, since: float
) -> bool:
    """Whether text fills the width on each side of a gutter, side by side (the column
    on its left starts at ``since``, the gutter before it)."""
    left: list[tuple[float, float, int]] = []
    right: list[tuple[float, float, int]] = []
    for index, runs in enumerate(inks):
        if _crosses(runs, gutter):
            continue  # a line across the gutter
        middle = (gutter.x0 + gutter.x1) / 2
        before = [run for run in runs if run[1] <= middle and run[0] >= since]
        after = [run for run in runs if run[0] >= middle]
        if before:
            left.append((before[0][0], before[-1][1], index))
        if after:
            right.append((after[0][0], after[-1][1], index))
    if len(left) < _MIN_SIDE_LINES or len(right) < _MIN_SIDE_LINES:
        return False
    left_width = gutter.x0 - min(x0 for x0, _, _ in left)
    right_width = max(x1 for _, x1, _ in right) - gutter.x1
    if min(left_width, right_width) < width * _MIN_COLUMN_SHARE:
        return False  # a column of acronyms or numbers beside names: a table
    # A column of text fills its width in many lines (a list of short items, not all);
    # the text of the next column starts at the gutter in most of its lines.
    full = sum(1 for _, x1, _ in left if gutter.x0 - x1 <= left_width * _FILL)
    ends_near = full >= len(left) * _FULL_SHARE
    starts_near = statistics.median(x0 - gutter.x1 for x0, _, _ in right) <= right_width * _FILL
    # Side by side: the two sides share the height of the page, not one above the other.
    left_rows = [index for _, _, index in left]
    right_rows = [index for _, _, index in right]
    beside = min(right_rows) < max(left_rows) and min(left_rows) < max(right_rows)
    return ends_near and starts_near and beside


@dataclass(frozen=True)
class _Band:
    top: float
    bottom: float
    shifts: dict[int, float]  # column -> how far its lines moved down
    after: float  # how far the lines below the band move down


@dataclass
class Unfolded:
    """A page read column by column: its lines in reading order, moved into one column,
    the page's new height, and where any other point of the page moved to."""

    lines: list[TextLine]
    height: float
    move: Callable[[float, float], float]  # (x, top) -> new top


def unfold(
    lines: Sequence[TextLine],
    spaces: Sequence[Char],
    gutters: Sequence[Gutter],
    height: float,
    split: Callable[[Sequence[Char]], list[TextLine]],
) -> Unfolded:
    """Read a page of columns: ``lines`` are its lines top to bottom across the page,
    ``spaces`` its space glyphs (which separate words), and ``split`` makes lines of a
    set of characters (the text map, for one column)."""
    edges = [(gutter.x0 + gutter.x1) / 2 for gutter in gutters]

    def column_of(x: float) -> int:
        return sum(1 for edge in edges if x > edge)

    spanning: list[TextLine] = []
    across: list[TextLine] = []  # lines of text across the gutters (not running heads)
    by_column: dict[int, list[Char]] = {}
    # A line that stands apart at the top or foot keeps its place across the page,
    # unless its pieces start where the columns do: the first lines of the columns, set
    # level above a heading across the page.
    margin = {
        index
        for index in _margin_lines(lines)
        if not any(
            abs(x0 - gutter.x1) <= _size(lines[index]["chars"])
            for x0, _ in _ink(lines[index]["chars"])
            for gutter in gutters
        )
    }
    for index, line in enumerate(lines):
        runs = _ink(line["chars"])
        if index in margin or any(_crosses(runs, gutter) for gutter in gutters):
            spanning.append(line)
            if index not in margin:
                across.append(line)
            continue
        for char in line["chars"]:
            by_column.setdefault(column_of((char["x0"] + char["x1"]) / 2), []).append(char)
    for char in spaces:
        by_column.setdefault(column_of((char["x0"] + char["x1"]) / 2), []).append(char)
    placed: list[tuple[TextLine, int | None]] = [(line, None) for line in spanning]
    for column, chars in by_column.items():
        placed += [(line, column) for line in split(chars)]
    placed = _alone_at_their_height(placed, across, gutters[0])
    placed.sort(key=lambda item: (item[0]["top"], item[1] if item[1] is not None else -1))
    return _stack(placed, height, column_of)


def _margin_lines(lines: Sequence[TextLine]) -> set[int]:
    """The first and last lines of a page that stand apart from the rest (running heads
    and feet), one by one or, in a type other than the page's, a few set close together
    (a footer of two lines, a page number over a running head): they keep their place
    across the page."""
    if len(lines) < 2:
        return set()
    usual = statistics.median(_size(line["chars"]) for line in lines)

    def apart(upper: TextLine, lower: TextLine) -> bool:
        height = max(upper["bottom"] - upper["top"], lower["bottom"] - lower["top"])
        return bool(lower["top"] - upper["bottom"] > height * 1.2)

    def small(line: TextLine) -> bool:
        # Not the text's type: smaller, or a page number a little off it (9 beside 9.5).
        return abs(_size(line["chars"]) - usual) > usual * 0.04

    kept: set[int] = set()
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        steps = list(itertools.pairwise(order))[:_MARGIN_LINES]
        close: list[int] = []  # a run of small lines set close together
        for index, neighbour in steps:
            upper, lower = sorted((index, neighbour))
            if apart(lines[upper], lines[lower]):
                kept.update([*close, index])
                close = []
            elif small(lines[index]) and small(lines[neighbour]):
                close.append(index)
            else:
                break
    return kept


def _alone_at_their_height(
    placed: list[tuple[TextLine, int | None]], across: Sequence[TextLine], gutter: Gutter
) -> list[tuple[TextLine, int | None]]:
    """A short line across the columns (a heading, a row of a glossary) does not reach
    into the gutter: it reads as a line of the first column. Such lines span the page
    when none of them fills the column up to the gutter (a line broken at the column's
    edge belongs to it), with nothing beside them in the other columns, text above and
    below them (of the other columns, or lines across the page in type as large as
    theirs), and when they open a band (see :func:`_opens_band`)."""
    columns = {column for _, column in placed if column is not None}
    if len(columns) < 2:
        return placed
    first = [line for line, column in placed if column == min(columns)]
    first.sort(key=lambda line: line["top"])
    left = min((line["x0"] for line in first), default=0.0)
    filled = gutter.x0 - (gutter.x0 - left) * 0.1
    others = [line for line, column in placed if column is not None and column != min(columns)]
    spanning: set[int] = set()
    for group in _paragraphs(first):
        head, tail = group[0], group[-1]
        alone = not any(
            other["top"] < line["bottom"] + (line["bottom"] - line["top"]) / 2
            and other["bottom"] > line["top"] - (line["bottom"] - line["top"]) / 2
            for line in group
            for other in others
        )
        size = _size(head["chars"]) * 0.9
        text_around = [*others, *(line for line in across if _size(line["chars"]) >= size)]
        above = any(other["bottom"] <= head["top"] for other in text_around)
        below = any(other["top"] >= tail["bottom"] for other in text_around)
        short = all(line["x1"] < filled for line in group)
        if alone and short and above and below and _opens_band(group, first, across):
            spanning.update(id(line) for line in group)
    return [(line, None if id(line) in spanning else column) for line, column in placed]


def _opens_band(
    group: Sequence[TextLine], column: Sequence[TextLine], across: Sequence[TextLine]
) -> bool:
    """Whether lines start something new rather than end their column a line lower than
    the others: they follow a line across the page, or are set apart from their
    column's text above by more than a line, or are closer to a line across the page
    below them than to their column's text above (the first row of a list across)."""
    head, tail = group[0], group[-1]
    height = head["bottom"] - head["top"]
    own = [line["bottom"] for line in column if line["bottom"] <= head["top"]]
    spanning_above = [line["bottom"] for line in across if line["bottom"] <= head["top"]]
    if not own or (spanning_above and max(spanning_above) > max(own)):
        return True
    gap_above = head["top"] - max(own)
    spanning_below = [line["top"] for line in across if line["top"] >= tail["bottom"]]
    gap_below = min(spanning_below, default=float("inf")) - tail["bottom"]
    return bool(gap_above > height or gap_below <= gap_above + 1)


def _paragraphs(lines: Sequence[TextLine]) -> list[list[TextLine]]:
    """Runs of lines set close together (less than 0.6 of a line apart)."""
    groups: list[list[TextLine]] = []
    for line in lines:
        if groups:
            previous = groups[-1][-1]
            if line["top"] - previous["bottom"] < (line["bottom"] - line["top"]) * 0.6:
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _stack(
    placed: Sequence[tuple[TextLine, int | None]],
    height: float,
    column_of: Callable[[float], int],
) -> Unfolded:
    """Lay the bands out one below the other, each band's columns one after another;
    a run of smaller type at the foot of a column in the last band (its footnotes) goes
    under the whole band, where a page of one column has them."""
    out: list[TextLine] = []
    bands: list[_Band] = []
    offset = 0.0
    last_column_line = max(
        (index for index, (_, column) in enumerate(placed) if column is not None), default=-1
    )
    band: list[tuple[TextLine, int]] = []

    def flush(final: bool) -> None:
        nonlocal offset, band
        if not band:
            return
        top = min(line["top"] for line, _ in band)
        bottom = max(line["bottom"] for line, _ in band)
        shifts: dict[int, float] = {}
        cursor: float | None = None
        feet: list[list[TextLine]] = []
        for column in sorted({column for _, column in band}):
            own = [line for line, at in band if at == column]
            if final:
                own, foot = _split_notes(own)
                feet.append(foot)
            if not own:
                continue
            shift = offset if cursor is None else cursor - own[0]["top"]
            shifts[column] = shift
            out.extend(_moved(line, shift) for line in own)
            cursor = own[-1]["top"] + shift + _leading(own)
        for foot in filter(None, feet):
            shift = offset if cursor is None else cursor - foot[0]["top"]
            out.extend(_moved(line, shift) for line in foot)
            cursor = foot[-1]["top"] + shift + _leading(foot)
        offset = max(offset, max(line["bottom"] for line in out) - bottom)
        bands.append(_Band(top, bottom, shifts, offset))
        band = []

    for index, (line, column) in enumerate(placed):
        if column is None:
            flush(final=False)
            out.append(_moved(line, offset))
            continue
        band.append((line, column))
        if index == last_column_line:
            flush(final=True)

    def move(x: float, top: float) -> float:
        shift = 0.0
        for each in bands:
            if each.top - 1 <= top <= each.bottom + 1:
                first = next(iter(each.shifts.values()), shift)
                return top + each.shifts.get(column_of(x), first)
            if each.bottom < top:
                shift = each.after
        return top + shift

    return Unfolded(out, height + offset, move)


def _split_notes(lines: list[TextLine]) -> tuple[list[TextLine], list[TextLine]]:
    """A column's lines and the run of smaller type at its foot."""
    if not lines:
        return lines, []
    size = statistics.median(_size(line["chars"]) for line in lines)
    start = len(lines)
    while start > 0 and _size(lines[start - 1]["chars"]) < size * 0.9:
        start -= 1
    return lines[:start], lines[start:]


def _leading(lines: Sequence[TextLine]) -> float:
    steps = [b["top"] - a["top"] for a, b in itertools.pairwise(lines)]
    size = statistics.median(_size(line["chars"]) for line in lines)
    usual = [step for step in steps if size * 0.8 < step < size * 2]
    return statistics.median(usual) if usual else size * 1.2


def _moved(line: TextLine, shift: float) -> TextLine:
    if not shift:
        return line
    chars = [
        {**char, "top": char["top"] + shift, "bottom": char["bottom"] + shift}
        for char in line["chars"]
    ]
    return {**line, "top": line["top"] + shift, "bottom": line["bottom"] + shift, "chars": chars}
